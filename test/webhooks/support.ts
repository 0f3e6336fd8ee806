import { generateKeyPairSync } from 'node:crypto'
import { expect, it } from 'vitest'
import { WebhookVerificationError } from '../../src/core/errors.js'
import { type DeliveryStore, type ReplayStore, standardWebhooks } from '../../src/webhooks/index.js'

/** Every behaviour test runs on both backends: node:crypto and Web Crypto. */
export const BACKENDS = ['node', 'web'] as const

/** The Standard Webhooks known vector. */
export const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
} as const

/** A clock pinned to the vector's timestamp, in milliseconds. */
export const atVector = (): number => VECTOR.timestamp * 1000

export const vectorHeaders = (signature: string = VECTOR.signature): Record<string, string> => ({
  'webhook-id': VECTOR.id,
  'webhook-timestamp': String(VECTOR.timestamp),
  'webhook-signature': signature,
})

/** Resolves to the refusal reason; fails the test when the promise resolves or rejects with anything else. */
export async function reasonOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(WebhookVerificationError)
    return (error as WebhookVerificationError).reason
  }
  throw new Error('expected a WebhookVerificationError, but verification succeeded')
}

/** A fresh Ed25519 pair as Standard Webhooks keys. */
export function ed25519Keys(): { whsk: string; whpk: string; seed: Buffer; publicKey: Buffer } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url')
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url')
  return { whsk: `whsk_${seed.toString('base64')}`, whpk: `whpk_${raw.toString('base64')}`, seed, publicKey: raw }
}

/**
 * The verifier's `replay` contract, declared as tests for one kind of store (called inside a
 * `describe`): replay.test.ts runs it on MemoryReplayStore, redis-store.redis.test.ts on
 * RedisReplayStore over both clients. `makeStore` gives a fresh, empty store each time.
 */
export function replayContract(makeStore: () => ReplayStore & DeliveryStore, crypto: (typeof BACKENDS)[number]): void {
  const verifierOn = (store: ReplayStore) => standardWebhooks({ secret: VECTOR.secret, now: atVector, crypto, replay: store })

  it('a second delivery of one id is replayed, by verify and verifyRaw alike', async () => {
    const webhooks = verifierOn(makeStore())
    await webhooks.verify(VECTOR.body, vectorHeaders())
    expect(await reasonOf(webhooks.verify(VECTOR.body, vectorHeaders()))).toBe('replayed')
    expect(await reasonOf(webhooks.verifyRaw(VECTOR.body, vectorHeaders()))).toBe('replayed')
  })

  it('claims only after the signature checks out, so forged deliveries cannot burn an id', async () => {
    const webhooks = verifierOn(makeStore())
    const forged = `v1,${Buffer.alloc(32).toString('base64')}`
    expect(await reasonOf(webhooks.verify(VECTOR.body, vectorHeaders(forged)))).toBe('no_matching_signature')
    expect((await webhooks.verify(VECTOR.body, vectorHeaders())).id).toBe(VECTOR.id)
  })

  it('release(id) lets the retry through', async () => {
    const webhooks = verifierOn(makeStore())
    const event = await webhooks.verify(VECTOR.body, vectorHeaders())
    await webhooks.release(event.id)
    await webhooks.verify(VECTOR.body, vectorHeaders())
  })

  it('concurrent deliveries of one id: exactly one is accepted', async () => {
    const webhooks = verifierOn(makeStore())
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => webhooks.verify(VECTOR.body, vectorHeaders())))
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
  })

  it('claims and leases share the store: an id the verifier accepted is done to begin, a leased one is replayed', async () => {
    const store = makeStore()
    const webhooks = verifierOn(store)
    await webhooks.verify(VECTOR.body, vectorHeaders())
    expect(await store.begin(VECTOR.id, { token: 't', leaseMs: 60_000 })).toBe('done')
    expect(await store.begin('leased', { token: 't', leaseMs: 60_000 })).toBe('new')
    expect(await store.claim('leased', 60)).toBe(false)
  })
}
