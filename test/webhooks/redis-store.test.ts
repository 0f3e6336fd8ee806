// RedisReplayStore without a server: its script SHA-1s are the scripts' own, what it accepts as a client,
// and its one watchdog timer (a client that never answers) on faked timers.
import { createHash } from 'node:crypto'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ConfigError, WebhookVerificationError } from '../../src/core/errors.js'
import { RedisReplayStore } from '../../src/webhooks/intake/index.js'
import { SCRIPTS } from '../../src/webhooks/intake/redis-store.js'

describe('RedisReplayStore', () => {
  it('ships each Lua script with its own SHA-1, so EVALSHA runs the script written here', () => {
    for (const [name, { source, sha }] of Object.entries(SCRIPTS)) expect(sha, name).toBe(createHash('sha1').update(source).digest('hex'))
  })

  it('refuses something that is not a Redis client, and checks its options with the kit', () => {
    expect(() => new RedisReplayStore({} as never)).toThrow(ConfigError)
    const client = { call: async () => null }
    expect(() => new RedisReplayStore(client, { prefx: 'a' } as never)).toThrow(/prefx.*prefix/)
    expect(() => new RedisReplayStore(client, { timeout: 0 })).toThrow(ConfigError)
  })

  it('refuses a node-redis-shaped or ioredis-shaped client only by what it has', () => {
    expect(() => new RedisReplayStore({ sendCommand: async () => null })).not.toThrow()
    expect(() => new RedisReplayStore({ evalsha: async () => 0 } as never)).toThrow(/ioredis client \(call\) or a node-redis client \(sendCommand\)/)
  })
})

describe('RedisReplayStore: no answer within `timeout`', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  /** A client whose commands wait until the test answers them, by index. */
  function silentClient() {
    const answers: Array<(reply: unknown) => void> = []
    const sent: string[][] = []
    return {
      answers,
      sent,
      client: {
        call: (...args: string[]) => {
          sent.push(args)
          return new Promise<unknown>((resolve) => answers.push(resolve))
        },
      },
    }
  }
  const reasonOf = (error: unknown) => (error instanceof WebhookVerificationError ? error.reason : error)

  it('fails each command at its own deadline with store_unavailable, from one watchdog timer; answered ones are untouched', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
    const { answers, client } = silentClient()
    const store = new RedisReplayStore(client, { timeout: 1000 })
    const first = store.begin('a', { token: 't', leaseMs: 1000 }).catch((error: unknown) => error)
    await vi.advanceTimersByTimeAsync(600)
    const second = store.begin('b', { token: 't', leaseMs: 1000 }).catch((error: unknown) => error)
    const answered = store.begin('c', { token: 't', leaseMs: 1000 })
    answers[2]!(null)
    expect(await answered).toBe('new')
    // Three commands sent, one timer: none per command.
    expect(vi.getTimerCount()).toBe(1)
    await vi.advanceTimersByTimeAsync(400)
    expect(reasonOf(await first)).toBe('store_unavailable')
    let secondSettled = false
    void second.then(() => (secondSettled = true))
    await vi.advanceTimersByTimeAsync(599)
    expect(secondSettled).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(reasonOf(await second)).toBe('store_unavailable')
    expect(((await second) as Error).cause).toEqual(new Error('no answer within 1000 ms'))
    // Nothing waits any more, so the watchdog is not re-armed; a late answer changes nothing.
    expect(vi.getTimerCount()).toBe(0)
    answers[0]!(null)
    expect(reasonOf(await first)).toBe('store_unavailable')
  })

  it('a client that throws, or answers something unknown, is store_unavailable too', async () => {
    const throwing = new RedisReplayStore({
      call: () => {
        throw new Error('connection is closed')
      },
    })
    expect(reasonOf(await throwing.claim('a', 60).catch((error: unknown) => error))).toBe('store_unavailable')
    const odd = new RedisReplayStore({ call: async () => 'something else' })
    expect(reasonOf(await odd.begin('a', { token: 't', leaseMs: 1000 }).catch((error: unknown) => error))).toBe('store_unavailable')
  })
})
