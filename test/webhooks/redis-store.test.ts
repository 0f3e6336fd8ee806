// RedisReplayStore without a server: its script SHA-1s are the scripts' own, and what it accepts as a client.
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { ConfigError } from '../../src/core/errors.js'
import { RedisReplayStore } from '../../src/webhooks/intake/index.js'
import { SCRIPTS } from '../../src/webhooks/intake/redis-store.js'

describe('RedisReplayStore', () => {
  it('ships each Lua script with its own SHA-1, so EVALSHA runs the script written here', () => {
    for (const [name, { source, sha }] of Object.entries(SCRIPTS)) expect(sha, name).toBe(createHash('sha1').update(source).digest('hex'))
  })

  it('refuses something that is not a Redis client, and checks its options with the kit', () => {
    expect(() => new RedisReplayStore({} as never)).toThrow(ConfigError)
    const client = { evalsha: async () => 0, eval: async () => 0 }
    expect(() => new RedisReplayStore(client, { prefx: 'a' } as never)).toThrow(/prefx.*prefix/)
    expect(() => new RedisReplayStore(client, { timeout: 0 })).toThrow(ConfigError)
  })
})
