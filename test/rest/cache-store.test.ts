// The built-in store of the revalidation cache (src/rest/cache.ts, MemoryCacheStore) against a model
// LRU: the same entries, in the same order of use, under any sequence of gets, sets and deletes.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type CachedResponse, MemoryCacheStore } from '../../src/rest/cache.js'

const entry = (bytes: number): CachedResponse => ({ status: 200, statusText: 'OK', headers: [], body: 'x'.repeat(bytes), bytes, vary: [] })

/** The model: an array, most recently used last, trimmed from the front. */
class ModelStore {
  entries: Array<[string, CachedResponse]> = []
  constructor(readonly maxEntries: number, readonly maxBytes: number) {}
  get(key: string): CachedResponse | undefined {
    const at = this.entries.findIndex(([name]) => name === key)
    if (at < 0) return undefined
    const [found] = this.entries.splice(at, 1)
    this.entries.push(found!)
    return found![1]
  }
  set(key: string, value: CachedResponse): void {
    this.delete(key)
    if (value.bytes > this.maxBytes) return
    this.entries.push([key, value])
    const bytes = () => this.entries.reduce((sum, [, stored]) => sum + stored.bytes, 0)
    while (this.entries.length > this.maxEntries || bytes() > this.maxBytes) this.entries.shift()
  }
  delete(key: string): void {
    this.entries = this.entries.filter(([name]) => name !== key)
  }
}

type Operation = { get: string } | { set: string; bytes: number } | { delete: string }

describe('the built-in cache store', () => {
  it('keeps what a model LRU keeps, bounded in entries and bytes, under any operations (property)', () => {
    const key = fc.constantFrom(...'abcdefghijkl'.split(''))
    const operation: fc.Arbitrary<Operation> = fc.oneof(
      fc.record({ get: key }),
      fc.record({ set: key, bytes: fc.integer({ min: 0, max: 40 }) }),
      fc.record({ delete: key }),
    )
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 100 }), fc.array(operation, { maxLength: 300 }), (maxEntries, maxBytes, operations) => {
        const store = new MemoryCacheStore(maxEntries, maxBytes)
        const model = new ModelStore(maxEntries, maxBytes)
        for (const op of operations) {
          if ('get' in op) expect(store.get(op.get)).toBe(model.get(op.get))
          else if ('set' in op) {
            const value = entry(op.bytes)
            store.set(op.set, value)
            model.set(op.set, value)
          } else {
            store.delete(op.delete)
            model.delete(op.delete)
          }
        }
        // Every key the model keeps is kept (gets in the model's order leave both orders unchanged).
        for (const [name, value] of [...model.entries]) expect(store.get(name)).toBe(value)
        for (const name of 'abcdefghijkl') if (!model.entries.some(([kept]) => kept === name)) expect(store.get(name)).toBeUndefined()
      }),
      { numRuns: 500 },
    )
  })

  it('drops the least recently used first after thousands of turns over a full store', () => {
    const store = new MemoryCacheStore(50, 1_000_000)
    const model = new ModelStore(50, 1_000_000)
    for (let turn = 0; turn < 5000; turn++) {
      const name = String((turn * 7919) % 120)
      if (turn % 3 === 0) expect(store.get(name)).toBe(model.get(name))
      else {
        const value = entry(turn % 10)
        store.set(name, value)
        model.set(name, value)
      }
    }
    expect(model.entries).toHaveLength(50)
    for (const [name, value] of [...model.entries]) expect(store.get(name)).toBe(value)
  })
})
