import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MemoryReplayStore, type ReplayStore, standardWebhooks } from '../../src/webhooks/index.js'
import { BACKENDS, VECTOR, atVector, reasonOf, vectorHeaders } from './support.js'

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

  it('refuses a bad maxEntries', () => {
    expect(() => new MemoryReplayStore({ maxEntries: 0 })).toThrow(RangeError)
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

  it('claims only after the signature checks out, so forged deliveries cannot burn an id', async () => {
    const webhooks = standardWebhooks({ secret: VECTOR.secret, now: atVector, crypto, replay: new MemoryReplayStore({ now: atVector }) })
    const forged = `v1,${Buffer.alloc(32).toString('base64')}`
    expect(await reasonOf(webhooks.verify(VECTOR.body, vectorHeaders(forged)))).toBe('no_matching_signature')
    expect((await webhooks.verify(VECTOR.body, vectorHeaders())).id).toBe(VECTOR.id)
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

  it('concurrent deliveries of one id: exactly one is accepted', async () => {
    const webhooks = standardWebhooks({ secret: VECTOR.secret, now: atVector, crypto, replay: new MemoryReplayStore({ now: atVector }) })
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => webhooks.verify(VECTOR.body, vectorHeaders())))
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
  })
})

describe('MemoryReplayStore leases (DeliveryStore)', () => {
  it('moves an id new → processing → done; a released lease lets the next attempt in', () => {
    const store = new MemoryReplayStore({ now: () => 0 })
    expect(store.begin('a', { token: 't1', leaseMs: 1000 })).toBe('new')
    expect(store.begin('a', { token: 't2', leaseMs: 1000 })).toBe('processing')
    store.release('a', 't2')
    expect(store.begin('a', { token: 't3', leaseMs: 1000 })).toBe('processing')
    store.release('a', 't1')
    expect(store.begin('a', { token: 't4', leaseMs: 1000 })).toBe('new')
    store.complete('a', 't4', 5000)
    expect(store.begin('a', { token: 't5', leaseMs: 1000 })).toBe('done')
  })

  it('the old one-argument release(id) still forgets an id in any state', () => {
    const store = new MemoryReplayStore({ now: () => 0 })
    store.begin('a', { token: 't', leaseMs: 1000 })
    store.complete('a', 't', 5000)
    store.release('a')
    expect(store.begin('a', { token: 'u', leaseMs: 1000 })).toBe('new')
  })

  it('matches a model of leases, done ids and their expiry on any sequence of steps (fast-check)', () => {
    type Step = { op: 'begin' | 'complete' | 'release'; id: number; token: number } | { op: 'wait'; ms: number }
    const step: fc.Arbitrary<Step> = fc.oneof(
      fc.record({ op: fc.constantFrom('begin' as const, 'complete' as const, 'release' as const), id: fc.integer({ min: 0, max: 2 }), token: fc.integer({ min: 0, max: 3 }) }),
      fc.record({ op: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 1500 }) }),
    )
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        let now = 0
        const store = new MemoryReplayStore({ now: () => now })
        const model = new Map<number, { token: number | undefined; expires: number }>()
        for (const s of steps) {
          if (s.op === 'wait') {
            now += s.ms
            continue
          }
          const live = model.get(s.id)
          const alive = live !== undefined && live.expires > now
          if (s.op === 'begin') {
            const expected = alive ? (live.token === undefined ? 'done' : 'processing') : 'new'
            expect(store.begin(`id${s.id}`, { token: `t${s.token}`, leaseMs: 1000 })).toBe(expected)
            if (expected === 'new') model.set(s.id, { token: s.token, expires: now + 1000 })
          } else if (s.op === 'complete') {
            store.complete(`id${s.id}`, `t${s.token}`, 3000)
            if (!alive || live.token === s.token) model.set(s.id, { token: undefined, expires: now + 3000 })
          } else {
            store.release(`id${s.id}`, `t${s.token}`)
            if (live?.token === s.token) model.delete(s.id)
          }
        }
      }),
      { numRuns: 300 },
    )
  })
})
