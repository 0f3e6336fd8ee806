// MemoryReplayStore's leases: the DeliveryStore semantics of one process (begin → processing → done /
// release, expiry) against a model under fast-check, sharing one memory with the verifier's `claim`.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MemoryReplayStore, standardWebhooks } from '../../src/webhooks/index.js'
import { VECTOR, atVector, reasonOf, vectorHeaders } from './support.js'

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

  it('complete after the lease expired and another attempt took the id marks it done; that attempt cannot release it', () => {
    let now = 0
    const store = new MemoryReplayStore({ now: () => now })
    expect(store.begin('a', { token: 'slow', leaseMs: 1000 })).toBe('new')
    now = 1000
    expect(store.begin('a', { token: 'next', leaseMs: 1000 })).toBe('new')
    store.complete('a', 'slow', 5000)
    store.release('a', 'next')
    expect(store.begin('a', { token: 'third', leaseMs: 1000 })).toBe('done')
  })

  it('claims and leases share one memory: a claimed id is done to begin, a leased or done id cannot be claimed', () => {
    let now = 0
    const store = new MemoryReplayStore({ now: () => now })
    expect(store.claim('a', 1)).toBe(true)
    expect(store.begin('a', { token: 't', leaseMs: 1000 })).toBe('done')
    expect(store.begin('b', { token: 't', leaseMs: 1000 })).toBe('new')
    expect(store.claim('b', 60)).toBe(false)
    now = 1000
    expect(store.claim('b', 60)).toBe(true)
    expect(store.begin('a', { token: 't', leaseMs: 1000 })).toBe('new')
  })

  it('ordering: an older version, or the same version under another id, is stale; the id that carried it may come back', () => {
    const store = new MemoryReplayStore({ now: () => 0 })
    const order = (version: number) => ({ resource: 'sub_1', version, ttlMs: 60_000 })
    expect(store.begin('v5', { token: 't', leaseMs: 1000, order: order(5) })).toBe('new')
    expect(store.begin('v3', { token: 't', leaseMs: 1000, order: order(3) })).toBe('stale')
    expect(store.begin('v5b', { token: 't', leaseMs: 1000, order: order(5) })).toBe('stale')
    store.release('v5', 't')
    expect(store.begin('v5', { token: 'u', leaseMs: 1000, order: order(5) })).toBe('new')
    expect(store.begin('v6', { token: 't', leaseMs: 1000, order: order(6) })).toBe('new')
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
            // Done whoever holds the id now: the handler ran to its end.
            store.complete(`id${s.id}`, `t${s.token}`, 3000)
            model.set(s.id, { token: undefined, expires: now + 3000 })
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

describe('MemoryReplayStore as the verifier replay store', () => {
  it('a second delivery of one id is replayed; release(id) lets the retry through', async () => {
    const webhooks = standardWebhooks({ secret: VECTOR.secret, now: atVector, replay: new MemoryReplayStore({ now: atVector }) })
    await webhooks.verify(VECTOR.body, vectorHeaders())
    expect(await reasonOf(webhooks.verify(VECTOR.body, vectorHeaders()))).toBe('replayed')
    await webhooks.release(VECTOR.id)
    await webhooks.verify(VECTOR.body, vectorHeaders())
  })
})
