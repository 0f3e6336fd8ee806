import { describe, expect, it } from 'vitest'
import { ConfigError } from '../../src/core/errors.js'
import { MemoryReplayStore, type ReplayStore, standardWebhooks } from '../../src/webhooks/index.js'
import { BACKENDS, VECTOR, atVector, reasonOf, replayContract, vectorHeaders } from './support.js'

describe('MemoryReplayStore', () => {
  it('claims an id once within its TTL, again after it expires', () => {
    let now = 0
    const store = new MemoryReplayStore({ now: () => now })
    expect(store.claim('a', 10)).toBe(true)
    expect(store.claim('a', 10)).toBe(false)
    now = 9_999
    expect(store.claim('a', 10)).toBe(false)
    now = 10_000
    expect(store.claim('a', 10)).toBe(true)
  })

  it('sweeps expired ids on claim, without timers', () => {
    let now = 0
    const store = new MemoryReplayStore({ now: () => now })
    for (let i = 0; i < 100; i++) store.claim(`id${i}`, 1)
    expect(store.size).toBe(100)
    now = 1_000
    store.claim('fresh', 1)
    expect(store.size).toBe(1)
  })

  it('holds at most maxEntries, dropping the oldest', () => {
    const store = new MemoryReplayStore({ maxEntries: 3, now: () => 0 })
    for (const id of ['a', 'b', 'c', 'd']) store.claim(id, 60)
    expect(store.size).toBe(3)
    expect(store.claim('a', 60)).toBe(true)
    expect(store.claim('d', 60)).toBe(false)
  })

  it('release forgets an id', () => {
    const store = new MemoryReplayStore()
    store.claim('a', 60)
    store.release('a')
    expect(store.claim('a', 60)).toBe(true)
  })

  it('refuses a bad maxEntries with a ConfigError naming it', () => {
    expect(() => new MemoryReplayStore({ maxEntries: 0 })).toThrow(ConfigError)
    expect(() => new MemoryReplayStore({ maxEntries: 0 })).toThrow(/maxEntries/)
  })
})

describe.each(BACKENDS)('replay protection in the verifier (%s crypto)', (crypto) => {
  it('a duplicate delivery id is replayed; the TTL defaults to past + future tolerance', async () => {
    const calls: Array<[string, number]> = []
    const memory = new MemoryReplayStore({ now: atVector })
    const store: ReplayStore = {
      claim: (id, ttl) => {
        calls.push([id, ttl])
        return memory.claim(id, ttl)
      },
    }
    const webhooks = standardWebhooks({ secret: VECTOR.secret, now: atVector, crypto, replay: store })
    await webhooks.verify(VECTOR.body, vectorHeaders())
    expect(await reasonOf(webhooks.verify(VECTOR.body, vectorHeaders()))).toBe('replayed')
    expect(await reasonOf(webhooks.verifyRaw(VECTOR.body, vectorHeaders()))).toBe('replayed')
    expect(calls[0]).toEqual([VECTOR.id, 600])
  })

  it('an async (Redis-like) store with a custom ttl, and release() lets a retry through', async () => {
    const seen = new Map<string, number>()
    const store: ReplayStore = {
      claim: async (id, ttl) => (seen.has(id) ? false : (seen.set(id, ttl), true)),
      release: async (id) => void seen.delete(id),
    }
    const webhooks = standardWebhooks({ secret: VECTOR.secret, now: atVector, crypto, replay: { store, ttl: 3_600 } })
    const event = await webhooks.verify(VECTOR.body, vectorHeaders())
    expect(seen.get(VECTOR.id)).toBe(3_600)
    await webhooks.release(event.id)
    await webhooks.verify(VECTOR.body, vectorHeaders())
  })
})

describe.each(BACKENDS)('the replay contract on MemoryReplayStore (%s crypto)', (crypto) => {
  replayContract(() => new MemoryReplayStore({ now: atVector }), crypto)
})
