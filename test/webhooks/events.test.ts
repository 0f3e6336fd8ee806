import { describe, expect, expectTypeOf, it } from 'vitest'
import * as v from 'valibot'
import { z } from 'zod'
import { type WebhookEventOf, standardWebhooks } from '../../src/webhooks/index.js'
import { BACKENDS, VECTOR, atVector, reasonOf } from './support.js'

interface Events {
  'invoice.paid': { type: 'invoice.paid'; data: { id: string; amount: number } }
  'user.deleted': { type: 'user.deleted'; data: { id: string } }
}

describe.each(BACKENDS)('typed events (%s crypto)', (crypto) => {
  const signer = standardWebhooks({ secret: VECTOR.secret, now: atVector, crypto })
  const deliver = async (body: string) => ({ body, headers: await signer.sign(body, { id: `msg_${body.length}` }) })

  it('narrows a discriminated union by type', async () => {
    const webhooks = standardWebhooks<Events>({ secret: VECTOR.secret, now: atVector, crypto })
    const { body, headers } = await deliver('{"type":"invoice.paid","data":{"id":"in_1","amount":5}}')
    const event = await webhooks.verify(body, headers)
    expectTypeOf(event).toEqualTypeOf<WebhookEventOf<Events>>()
    if (event.type === 'invoice.paid') {
      expectTypeOf(event.payload.data.amount).toEqualTypeOf<number>()
      expect(event.payload.data.amount).toBe(5)
    } else {
      expectTypeOf(event.type).toEqualTypeOf<'user.deleted'>()
      throw new Error('wrong branch')
    }
    // @ts-expect-error: not an event type of the map
    if (event.type === 'invoice.voided') throw new Error('unreachable')
  })

  it('runs a Standard Schema per type (zod and valibot): a mismatch is invalid_payload, output is the schema output', async () => {
    const webhooks = standardWebhooks<{ 'invoice.paid': { type: string; data: { amount: number } }; 'user.deleted': { type: string; id: string } }>({
      secret: VECTOR.secret,
      now: atVector,
      crypto,
      schemas: {
        'invoice.paid': z.object({ type: z.string(), data: z.object({ amount: z.coerce.number() }) }),
        'user.deleted': v.object({ type: v.string(), id: v.string() }),
      },
    })
    const good = await deliver('{"type":"invoice.paid","data":{"amount":"7"}}')
    expect((await webhooks.verify(good.body, good.headers)).payload).toEqual({ type: 'invoice.paid', data: { amount: 7 } })
    const bad = await deliver('{"type":"invoice.paid","data":{"amount":"seven"}}')
    const error = (await webhooks.verify(bad.body, bad.headers).catch((e: unknown) => e)) as Error & { reason: string }
    expect(error.reason).toBe('invalid_payload')
    expect(error.message).toContain('data.amount')
    const goodValibot = await deliver('{"type":"user.deleted","id":"u1","extra":1}')
    expect((await webhooks.verify(goodValibot.body, goodValibot.headers)).payload).toEqual({ type: 'user.deleted', id: 'u1' })
    const badValibot = await deliver('{"type":"user.deleted"}')
    expect(await reasonOf(webhooks.verify(badValibot.body, badValibot.headers))).toBe('invalid_payload')
    const noType = await deliver('{"type":5}')
    expect((await webhooks.verify(noType.body, noType.headers)).type).toBe('')
  })

  it("unknownEvents: 'reject' refuses a type without a schema, including prototype names", async () => {
    const webhooks = standardWebhooks({ secret: VECTOR.secret, now: atVector, crypto, schemas: { a: z.object({}) }, unknownEvents: 'reject' })
    for (const type of ['b', 'constructor', 'toString', '__proto__']) {
      const { body, headers } = await deliver(JSON.stringify({ type }))
      expect(await reasonOf(webhooks.verify(body, headers))).toBe('invalid_payload')
    }
  })

  it('a validly signed body that is not JSON is invalid_payload; verifyRaw returns it; empty is payload undefined', async () => {
    const webhooks = standardWebhooks({ secret: VECTOR.secret, now: atVector, crypto })
    const text = await deliver('not json')
    expect(await reasonOf(webhooks.verify(text.body, text.headers))).toBe('invalid_payload')
    expect((await webhooks.verifyRaw(text.body, text.headers)).body).toBe('not json')
    const empty = await deliver('')
    expect((await webhooks.verify(empty.body, empty.headers)).payload).toBeUndefined()
    const bom = await deliver('\ufeff{"type":"x"}')
    expect((await webhooks.verify(Buffer.from(bom.body), bom.headers)).type).toBe('x')
  })

  it('JSON parsing drops __proto__ and constructor.prototype keys at any depth, escaped or not', async () => {
    const webhooks = standardWebhooks({ secret: VECTOR.secret, now: atVector, crypto })
    const bodies = [
      '{"type":"x","__proto__":{"polluted":1},"a":{"__proto__":{"polluted":2}}}',
      '{"type":"x","\\u005f_proto__":{"polluted":3}}',
      '{"type":"x","constructor":{"prototype":{"polluted":4}},"b":[{"constructor":{"prototype":{"polluted":5}}}]}',
    ]
    for (const raw of bodies) {
      const { body, headers } = await deliver(raw)
      const event = await webhooks.verify(body, headers)
      // What careless code does next: a deep merge into a fresh object.
      const merge = (target: Record<string, unknown>, source: unknown): void => {
        if (typeof source !== 'object' || source === null) return
        for (const key of Object.keys(source)) {
          const value = (source as Record<string, unknown>)[key]
          if (typeof value === 'object' && value !== null) {
            target[key] ??= {}
            merge(target[key] as Record<string, unknown>, value)
          } else target[key] = value
        }
      }
      merge({}, event.payload)
      Object.assign({}, event.payload)
      expect(({} as Record<string, unknown>).polluted).toBeUndefined()
      expect(Object.prototype).not.toHaveProperty('polluted')
      expect(Object.hasOwn(event.payload as object, '__proto__')).toBe(false)
    }
    const kept = await deliver('{"type":"x","constructor":"a string is fine","c":{"constructor":1}}')
    expect((await webhooks.verify(kept.body, kept.headers)).payload).toEqual({ type: 'x', constructor: 'a string is fine', c: { constructor: 1 } })
  })
})
