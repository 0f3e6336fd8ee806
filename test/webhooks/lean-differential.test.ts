/**
 * standardWebhooksV1Lite against standardWebhooks on random deliveries: valid ones, and ones with a
 * header missing, doubled, re-spelt, too long or malformed, signature lists of every shape, bodies of
 * every kind and timestamps on both sides of the window. Both must accept the same deliveries, to the
 * same event, and refuse the rest with the same reason. The lean verifier is written apart from the
 * full one to keep its bundle small (issue 7); this is what keeps the two in step.
 */
import { createHmac } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import { standardWebhooks, standardWebhooksV1Lite } from '../../src/webhooks/index.js'
import { BACKENDS } from './support.js'

const SECRET_BYTES = Buffer.alloc(32, 42)
const SECRET = `whsec_${SECRET_BYTES.toString('base64')}`
const OTHER = `whsec_${Buffer.alloc(24, 9).toString('base64')}`
const NOW = 1_700_000_000
const now = () => NOW * 1000

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64')
const sign = (id: string, timestamp: string, body: string | Uint8Array) => b64(createHmac('sha256', SECRET_BYTES).update(`${id}.${timestamp}.`).update(body).digest())

/** What a verifier did: the event it produced, or the reason it refused. */
async function outcome(run: () => Promise<unknown>): Promise<unknown> {
  try {
    return { event: await run() }
  } catch (error) {
    return { reason: (error as { reason?: string }).reason ?? (error as Error).name }
  }
}

const id = fc.oneof({ weight: 4, arbitrary: fc.constant('msg_1') }, fc.string({ maxLength: 8 }), fc.string({ minLength: 255, maxLength: 258, unit: fc.constantFrom('a', 'b') }))
const timestamp = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: NOW - 400, max: NOW + 400 }).map(String) },
  fc.constantFrom('', '1e9', '+1700000000', ' 1700000000', '0x10', '1234567890123', '01700000000'),
)
const body = fc.oneof(
  fc.json(),
  fc.constantFrom('', '\ufeff{"type":"a"}', '{"__proto__":{"x":1},"type":"t"}', '{"constructor":{"prototype":{}}}', 'not json', '{"type":7}'),
  fc.string({ maxLength: 40 }),
)
/** One signature entry: valid, wrong, v1a, another version, or malformed. */
const entry = (good: string) =>
  fc.oneof(
    fc.constant(`v1,${good}`),
    fc.uint8Array({ minLength: 32, maxLength: 32 }).map((bytes) => `v1,${b64(bytes)}`),
    fc.uint8Array({ minLength: 64, maxLength: 64 }).map((bytes) => `v1a,${b64(bytes)}`),
    fc.constantFrom('v2,abc', 'v1,', ',abc', 'v1', 'v1a,AAAA', `v1,${good.slice(0, -1)}`, `v1,${good.replace('=', '')}`, 'v1,AAAA AAAA', `v1, ${good}`, 'x,y,z'),
    fc.string({ maxLength: 12 }),
  )
const entries = (good: string) => fc.array(entry(good), { minLength: 0, maxLength: 22 }).map((list) => list.join(' '))

/** How a header reaches the verifier: as text, in a one- or two-element array, absent, not text, or too long. */
const shape = fc.constantFrom<'text' | 'one' | 'two' | 'absent' | 'number' | 'long'>('text', 'text', 'text', 'one', 'two', 'absent', 'number', 'long')
const shaped = (value: string, how: string): unknown =>
  ({ text: value, one: [value], two: [value, value], absent: undefined, number: 7, long: 'x'.repeat(8193) })[how]

const delivery = fc
  .record({ id, timestamp, body, asBytes: fc.boolean(), svix: fc.boolean(), upper: fc.boolean(), twice: fc.boolean() })
  .chain((d) => {
    const good = sign(d.id, d.timestamp, d.body)
    return fc.record({ d: fc.constant(d), signature: fc.oneof({ weight: 2, arbitrary: fc.constant(`v1,${good}`) }, entries(good)), shapes: fc.tuple(shape, shape, shape), plain: fc.boolean() })
  })

/**
 * The browser and Worker build: `#node-crypto` resolved as a browser bundler resolves it, so the lean
 * verifier decodes base64 with its atob/btoa round trip and runs on Web Crypto.
 */
async function browserBuild(): Promise<typeof standardWebhooksV1Lite> {
  vi.resetModules()
  vi.doMock('#node-crypto', () => import('../../src/webhooks/crypto/absent.js'))
  const { standardWebhooksV1Lite: fresh } = await import('../../src/webhooks/standard-v1-lite.js')
  vi.doUnmock('#node-crypto')
  return fresh
}

describe.each([...BACKENDS, 'browser build'] as const)('standardWebhooksV1Lite agrees with standardWebhooks (%s)', (variant) => {
  const crypto = variant === 'node' ? 'node' : 'web'
  let lean = standardWebhooksV1Lite({ secret: [OTHER, SECRET], now, crypto })
  const full = standardWebhooks({ secret: [OTHER, SECRET], now, crypto })

  it('is the build under test', async () => {
    if (variant === 'browser build') lean = (await browserBuild())({ secret: [OTHER, SECRET], now })
    expect(lean.backend).toBe(crypto)
  })

  it('on random deliveries: the same event or the same reason', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(delivery, async ({ d, signature, shapes, plain }) => {
        const prefix = d.svix ? 'svix-' : 'webhook-'
        const values = [d.id, d.timestamp, signature]
        const headers: Record<string, unknown> = {}
        ;['id', 'timestamp', 'signature'].forEach((name, i) => {
          const value = plain ? values[i] : shaped(values[i]!, shapes[i]!)
          const key = d.upper ? `${prefix}${name}`.toUpperCase() : `${prefix}${name}`
          headers[key] = value
          if (d.twice) headers[`${prefix}${name}`.replace(/^./, (c) => c.toUpperCase())] = value
        })
        const payload = d.asBytes ? new TextEncoder().encode(d.body) : d.body
        const [a, b] = [await outcome(() => lean.verify(payload, headers as never)), await outcome(() => full.verify(payload, headers as never))]
        expect(a).toEqual(b)
        // And through a Fetch Headers, where the spelling and doubling questions do not arise.
        if (plain && !d.twice) {
          const fetchHeaders = new Headers(headers as Record<string, string>)
          expect(await outcome(() => lean.verify(payload, fetchHeaders))).toEqual(await outcome(() => full.verify(payload, fetchHeaders)))
        }
      }),
      { numRuns: variant === 'node' ? 3_000 : 500 },
    )
  })

  it('counts a valid delivery as valid often enough to mean something', async () => {
    const good = sign('msg_1', String(NOW), '{"type":"a"}')
    const event = await lean.verify('{"type":"a"}', { 'webhook-id': 'msg_1', 'webhook-timestamp': String(NOW), 'webhook-signature': `v1a,${b64(new Uint8Array(64))} v1,${good}` })
    expect(event).toEqual({ type: 'a', id: 'msg_1', timestamp: NOW, payload: { type: 'a' } })
  })
})
