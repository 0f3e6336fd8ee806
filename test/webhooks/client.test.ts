import { describe, expect, it } from 'vitest'
import { ConfigError } from '../../src/core/errors.js'
import { createClient } from '../../src/index.js'
import { MemoryReplayStore } from '../../src/webhooks/index.js'
import { VECTOR, atVector, reasonOf, vectorHeaders } from './helpers.js'

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
