import { describe, expect, it } from 'vitest'
import { ConfigError } from '../../src/core/errors.js'
import { createClient } from '../../src/index.js'
import { MemoryReplayStore, standardWebhooks } from '../../src/webhooks/index.js'
import { VECTOR, atVector, ed25519Keys, reasonOf, vectorHeaders } from './support.js'

describe('client.webhooks', () => {
  it('verifies with the client webhookSecret and the webhooks section options', async () => {
    const client = createClient({ webhookSecret: [`whsec_${Buffer.alloc(32, 9).toString('base64')}`, VECTOR.secret], webhooks: { now: atVector, replay: new MemoryReplayStore({ now: atVector }) } })
    expect((await client.webhooks.verify(VECTOR.body, vectorHeaders())).id).toBe(VECTOR.id)
    expect(await reasonOf(client.webhooks.verify(VECTOR.body, vectorHeaders()))).toBe('replayed')
  })

  it('a client without a secret works, and verify throws a ConfigError naming webhookSecret', async () => {
    const client = createClient({ baseUrl: 'https://api.example.test' })
    const error = await client.webhooks.verify(VECTOR.body, vectorHeaders()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).field).toBe('webhookSecret')
  })

  it('a bad webhooks section fails at createClient, naming the field', () => {
    expect(() => createClient({ webhooks: { tolerance: 'soon' } as never })).toThrow('webhooks.tolerance')
    expect(() => createClient({ webhooks: { secret: 'x' } as never })).toThrow('webhooks.secret')
    expect(() => createClient({ webhooks: { tolerence: 1 } as never })).toThrow('webhooks.tolerence')
  })
})

describe('client.webhooks checks webhookSecret when the client is made', () => {
  const short = `whsec_${Buffer.alloc(10, 1).toString('base64')}`

  it('a too-short or undecodable secret is a ConfigError from createClient, by the rule standardWebhooks applies', async () => {
    for (const [secret, field] of [
      [short, 'webhookSecret'],
      ['whsec_not base64!', 'webhookSecret'],
      [[VECTOR.secret, short], 'webhookSecret[1]'],
    ] as const) {
      const error = (() => {
        try {
          createClient({ webhookSecret: secret })
        } catch (caught) {
          return caught
        }
      })()
      expect(error, String(secret)).toBeInstanceOf(ConfigError)
      expect((error as ConfigError).field).toBe(field)
    }
    expect(await reasonOf((async () => standardWebhooks({ secret: short }))())).toBe('invalid_secret')
  })

  it('the message says what is wrong and never shows the secret', () => {
    expect(() => createClient({ webhookSecret: short })).toThrow('webhookSecret: the secret holds 10 bytes of key (after base64 decoding); Standard Webhooks v1 secrets need at least 24')
    expect(() => createClient({ webhookSecret: short })).not.toThrow(short.slice(6))
  })

  it('Ed25519 keys and bare base64 pass, as standardWebhooks takes them', () => {
    expect(() => createClient({ webhookSecret: [VECTOR.secret, VECTOR.secret.slice(6), ed25519Keys().whsk, ed25519Keys().whpk] })).not.toThrow()
  })
})
