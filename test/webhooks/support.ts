import { generateKeyPairSync } from 'node:crypto'
import { expect } from 'vitest'
import { WebhookVerificationError } from '../../src/core/errors.js'

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
