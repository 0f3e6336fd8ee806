import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { ConfigError, WebhookVerificationError } from '../../src/core/errors.js'
import { MemoryReplayStore, standardWebhooks } from '../../src/webhooks/index.js'
import { VECTOR, atVector, ed25519Keys, vectorHeaders } from './support.js'

const reasonOfSync = (fn: () => unknown): string => {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(WebhookVerificationError)
    return (error as WebhookVerificationError).reason
  }
  throw new Error('expected a refusal')
}

describe('verifySync', () => {
  it('verifies v1 and v1a synchronously on node:crypto, with schemas and a memory replay store', async () => {
    const webhooks = standardWebhooks({
      secret: VECTOR.secret,
      now: atVector,
      replay: new MemoryReplayStore({ now: atVector }),
      schemas: { '': z.object({ test: z.number() }) },
    })
    const event = webhooks.verifySync(VECTOR.body, vectorHeaders())
    expect(event).toEqual({ type: '', id: VECTOR.id, timestamp: VECTOR.timestamp, payload: { test: 2432232314 } })
    expect(reasonOfSync(() => webhooks.verifySync(VECTOR.body, vectorHeaders()))).toBe('replayed')
    expect(reasonOfSync(() => webhooks.verifySync('{"test": 1}', vectorHeaders()))).toBe('no_matching_signature')

    const keys = ed25519Keys()
    const headers = await standardWebhooks({ secret: keys.whsk, now: atVector }).sign('{}', { id: 'm' })
    expect(standardWebhooks({ secret: [VECTOR.secret, keys.whpk], now: atVector }).verifySync('{}', headers).id).toBe('m')
    expect(reasonOfSync(() => standardWebhooks({ secret: [VECTOR.secret, ed25519Keys().whpk], now: atVector }).verifySync('{}', headers))).toBe(
      'no_matching_signature',
    )
  })

  it('throws a ConfigError on Web Crypto, with an async schema, or with an async store (and gives the id back)', async () => {
    expect(() => standardWebhooks({ secret: VECTOR.secret, now: atVector, crypto: 'web' }).verifySync(VECTOR.body, vectorHeaders())).toThrow(ConfigError)
    const asyncSchema = { '~standard': { version: 1 as const, vendor: 'test', validate: async (value: unknown) => ({ value }) } }
    expect(() => standardWebhooks({ secret: VECTOR.secret, now: atVector, schemas: { '': asyncSchema } }).verifySync(VECTOR.body, vectorHeaders())).toThrow(
      'schemas',
    )
    const released: string[] = []
    const store = { claim: async () => true, release: async (id: string) => void released.push(id) }
    expect(() => standardWebhooks({ secret: VECTOR.secret, now: atVector, replay: store }).verifySync(VECTOR.body, vectorHeaders())).toThrow('replay')
    await new Promise((resolve) => setImmediate(resolve))
    expect(released).toEqual([VECTOR.id])
  })
})
