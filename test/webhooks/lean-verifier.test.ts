/**
 * standardWebhooksV1Lite, the lean v1 verifier: it accepts what standardWebhooks accepts and refuses
 * what it refuses, with the same reason, on both backends.
 */
import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { ConfigError } from '../../src/core/errors.js'
import { Secret } from '../../src/core/secret.js'
import { MemoryReplayStore, standardWebhooks, standardWebhooksV1Lite } from '../../src/webhooks/index.js'
import { BACKENDS, VECTOR, atVector, ed25519Keys, reasonOf, vectorHeaders } from './support.js'

const OTHER = `whsec_${Buffer.alloc(32, 7).toString('base64')}`

describe.each(BACKENDS)('standardWebhooksV1Lite (%s crypto)', (crypto) => {
  it('verifies the known vector to the same event as standardWebhooks', async () => {
    const lean = standardWebhooksV1Lite({ secret: VECTOR.secret, now: atVector, crypto })
    const full = standardWebhooks({ secret: VECTOR.secret, now: atVector, crypto })
    const event = await lean.verify(VECTOR.body, vectorHeaders())
    expect(event).toEqual(await full.verify(VECTOR.body, vectorHeaders()))
    expect(Object.isFrozen(event)).toBe(true)
    expect(lean.backend).toBe(crypto)
  })

  it('takes bytes, an ArrayBuffer, svix- headers, a Headers object, a Secret and a rotation list', async () => {
    const lean = standardWebhooksV1Lite({ secret: [OTHER, new Secret(VECTOR.secret)], now: atVector, crypto })
    const bytes = new TextEncoder().encode(VECTOR.body)
    const svix = { 'svix-id': VECTOR.id, 'svix-timestamp': String(VECTOR.timestamp), 'svix-signature': VECTOR.signature }
    for (const [payload, headers] of [
      [bytes, vectorHeaders()],
      [bytes.buffer, new Headers(vectorHeaders())],
      [VECTOR.body, svix],
    ] as const) {
      expect((await lean.verify(payload, headers)).id).toBe(VECTOR.id)
    }
  })

  it('refuses every bad delivery with the reason standardWebhooks gives', async () => {
    const options = { secret: VECTOR.secret, now: atVector, crypto } as const
    const lean = standardWebhooksV1Lite(options)
    const full = standardWebhooks(options)
    const wrong = `v1,${Buffer.alloc(32, 1).toString('base64')}`
    const v1a = `v1a,${Buffer.alloc(64, 1).toString('base64')}`
    const signedText = await standardWebhooks({ ...options, secret: VECTOR.secret }).sign('not json', { id: 'msg_x' })
    const cases: [string, unknown, unknown, string][] = [
      ['tampered body', '{"test": 1}', vectorHeaders(), 'no_matching_signature'],
      ['wrong signature', VECTOR.body, vectorHeaders(wrong), 'no_matching_signature'],
      ['only a v1a signature', VECTOR.body, vectorHeaders(v1a), 'no_matching_signature'],
      ['truncated signature', VECTOR.body, vectorHeaders(VECTOR.signature.slice(0, -2)), 'malformed_header'],
      ['no signature entry', VECTOR.body, vectorHeaders('v2,abc'), 'malformed_header'],
      ['missing id', VECTOR.body, { ...vectorHeaders(), 'webhook-id': undefined }, 'missing_header'],
      ['sent twice', VECTOR.body, { ...vectorHeaders(), 'webhook-id': [VECTOR.id, VECTOR.id] }, 'malformed_header'],
      ['timestamp not digits', VECTOR.body, { ...vectorHeaders(), 'webhook-timestamp': '1e9' }, 'malformed_header'],
      ['too old', VECTOR.body, { ...vectorHeaders(), 'webhook-timestamp': String(VECTOR.timestamp - 301) }, 'timestamp_too_old'],
      ['in the future', VECTOR.body, { ...vectorHeaders(), 'webhook-timestamp': String(VECTOR.timestamp + 301) }, 'timestamp_in_future'],
      ['no headers', VECTOR.body, undefined, 'missing_header'],
      ['a parsed body', JSON.parse(VECTOR.body), vectorHeaders(), 'payload_not_raw'],
      ['a valid signature over text that is not JSON', 'not json', signedText, 'invalid_payload'],
    ]
    for (const [name, payload, headers, reason] of cases) {
      expect(await reasonOf(lean.verify(payload as never, headers as never)), name).toBe(reason)
      expect(await reasonOf(full.verify(payload as never, headers as never)), name).toBe(reason)
    }
  })

  it('replay: a second delivery of one id is refused, with a synchronous or an asynchronous store', async () => {
    const memory = standardWebhooksV1Lite({ secret: VECTOR.secret, now: atVector, crypto, replay: new MemoryReplayStore({ now: atVector }) })
    await memory.verify(VECTOR.body, vectorHeaders())
    expect(await reasonOf(memory.verify(VECTOR.body, vectorHeaders()))).toBe('replayed')
    const claims: [string, number][] = []
    const seen = new Set<string>()
    const store = { claim: async (id: string, ttl: number) => (claims.push([id, ttl]), !seen.has(id) && !!seen.add(id)) }
    const remote = standardWebhooksV1Lite({ secret: VECTOR.secret, now: atVector, crypto, replay: { store, ttl: 60 } })
    await remote.verify(VECTOR.body, vectorHeaders())
    expect(await reasonOf(remote.verify(VECTOR.body, vectorHeaders()))).toBe('replayed')
    expect(claims).toEqual([
      [VECTOR.id, 60],
      [VECTOR.id, 60],
    ])
    // A refused signature never reaches the store, so only the real sender can fill it.
    await reasonOf(remote.verify('{}', vectorHeaders()))
    expect(claims).toHaveLength(2)
  })
})

describe('standardWebhooksV1Lite options and secrets', () => {
  it('refuses Ed25519 keys, short or malformed secrets, and unknown or bad options', () => {
    const reasonOfSync = (fn: () => unknown): string => {
      try {
        fn()
      } catch (error) {
        return (error as { reason?: string; code: string }).reason ?? (error as ConfigError).code
      }
      return 'accepted'
    }
    expect(reasonOfSync(() => standardWebhooksV1Lite({ secret: ed25519Keys().whpk }))).toBe('invalid_secret')
    expect(reasonOfSync(() => standardWebhooksV1Lite({ secret: ed25519Keys().whsk }))).toBe('invalid_secret')
    expect(reasonOfSync(() => standardWebhooksV1Lite({ secret: `whsec_${Buffer.alloc(23).toString('base64')}` }))).toBe('invalid_secret')
    expect(reasonOfSync(() => standardWebhooksV1Lite({ secret: 'whsec_not base64!' }))).toBe('invalid_secret')
    expect(reasonOfSync(() => standardWebhooksV1Lite({ secret: [] }))).toBe('invalid_secret')
    // Each bad option is a ConfigError that names the option and says what it must be.
    const bad: Array<[object, string]> = [
      [{ secret: VECTOR.secret, schemas: {} }, 'schemas: is not an option'],
      [{ secret: VECTOR.secret, tolerance: -1 }, 'tolerance: must be a number of seconds, 0 or more'],
      [{ secret: VECTOR.secret, tolerance: { past: 5, future: Number.NaN } }, 'tolerance: must be a number of seconds'],
      [{ secret: VECTOR.secret, now: 5 }, 'now: must be a function returning epoch milliseconds'],
      [{ secret: VECTOR.secret, replay: {} }, 'replay: must be a ReplayStore or { store, ttl }'],
      [{ secret: VECTOR.secret, crypto: 'wasm' }, "crypto: must be 'auto', 'node' or 'web'"],
    ]
    for (const [options, message] of bad) {
      expect(() => standardWebhooksV1Lite(options as never)).toThrow(ConfigError)
      expect(() => standardWebhooksV1Lite(options as never)).toThrow(message)
    }
    expect(() => standardWebhooksV1Lite(undefined as never)).toThrow('options: must be an object with a secret')
  })

  it('a tolerance of { past, future } is applied each way', async () => {
    const lean = standardWebhooksV1Lite({ secret: VECTOR.secret, now: () => (VECTOR.timestamp + 10) * 1000, tolerance: { past: 9, future: 0 } })
    expect(await reasonOf(lean.verify(VECTOR.body, vectorHeaders()))).toBe('timestamp_too_old')
    const ahead = standardWebhooksV1Lite({ secret: VECTOR.secret, now: () => (VECTOR.timestamp - 1) * 1000, tolerance: { past: 0, future: 0 } })
    expect(await reasonOf(ahead.verify(VECTOR.body, vectorHeaders()))).toBe('timestamp_in_future')
  })

  it('the secret never shows in the verifier or its refusals', async () => {
    const lean = standardWebhooksV1Lite({ secret: VECTOR.secret, now: atVector })
    const error = await lean.verify('{"test": 1}', vectorHeaders()).catch((e: unknown) => e)
    for (const view of [String(lean), JSON.stringify(lean), inspect(lean, { showHidden: true }), JSON.stringify(error), inspect(error)]) {
      expect(view).not.toContain(VECTOR.secret.slice(6))
    }
  })
})
