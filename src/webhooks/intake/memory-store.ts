/** `MemoryDeliveryStore`: delivery leases in one process (the Redis store's semantics, in a Map). */
import type { BeginOutcome, BeginRequest, DeliveryStore, MemoryReplayStoreOptions, ReplayStore } from '../replay.js'
import { count, fn, record } from '../../core/checks.js'

/** The option check of {@link MemoryDeliveryStore} (the options of `MemoryReplayStore`); walked by the option-path test. */
export const MEMORY_STORE_OPTIONS = /* @__PURE__ */ record({
  maxEntries: /* @__PURE__ */ count(10_000, 1),
  now: /* @__PURE__ */ fn<(() => number) | undefined>('a function returning epoch milliseconds'),
})

/** A remembered id: when it expires, and the lease token while processing (`undefined` once done). */
interface Entry {
  expires: number
  token: string | undefined
}

/**
 * The lease semantics of {@link DeliveryStore} in one process, for `webhookIntake` (and a
 * {@link ReplayStore} too): ids (marks, leases, done ids) expire after their TTL and are swept lazily on
 * each call, with no timers. `MemoryReplayStore` with leases, kept apart so verifier-only bundles do not
 * carry them. Several processes need a shared store: `RedisReplayStore`.
 *
 * @example
 * const intake = webhookIntake(standardWebhooks({ secret }), { store: new MemoryDeliveryStore(), handler })
 */
export class MemoryDeliveryStore implements ReplayStore, DeliveryStore {
  readonly #seen = new Map<string, Entry>()
  /** Ordering: the newest version per resource, and the id that carried it. */
  readonly #versions = new Map<string, { version: number; id: string; expires: number }>()
  readonly #maxEntries: number
  readonly #now: () => number

  constructor(options: MemoryReplayStoreOptions = {}) {
    const settings = MEMORY_STORE_OPTIONS(options, '')
    this.#maxEntries = settings.maxEntries
    this.#now = settings.now ?? Date.now
  }

  /** How many ids are remembered now, expired ones not yet swept included. */
  get size(): number {
    return this.#seen.size
  }

  /** Records `id` for `ttlSeconds`; false when it is already recorded and not yet expired. */
  claim(id: string, ttlSeconds: number): boolean {
    const now = this.#now()
    this.#sweep(now)
    const entry = this.#seen.get(id)
    if (entry !== undefined && entry.expires > now) return false
    this.#put(id, now + ttlSeconds * 1000, undefined)
    return true
  }

  /** Takes the lease on `id` unless it is done, leased, or (with `order`) stale; see {@link DeliveryStore.begin}. */
  begin(id: string, request: BeginRequest): BeginOutcome {
    const now = this.#now()
    this.#sweep(now)
    const entry = this.#seen.get(id)
    if (entry !== undefined && entry.expires > now) return entry.token === undefined ? 'done' : 'processing'
    const { order } = request
    if (order) {
      const last = this.#versions.get(order.resource)
      // The same id may come back at its own version: its handler failed and the lease was released.
      if (last !== undefined && last.expires > now && (last.version > order.version || (last.version === order.version && last.id !== id))) return 'stale'
      this.#versions.set(order.resource, { version: order.version, id, expires: now + order.ttlMs })
    }
    this.#put(id, now + request.leaseMs, request.token)
    return 'new'
  }

  /** Marks `id` done for `doneMs`, unless another attempt's lease holds it. */
  complete(id: string, token: string, doneMs: number): void {
    const entry = this.#seen.get(id)
    const now = this.#now()
    if (entry !== undefined && entry.expires > now && entry.token !== token) return
    this.#put(id, now + doneMs, undefined)
  }

  /** Drops `token`'s lease on `id`; without a token, forgets `id` whatever its state (the {@link ReplayStore} use). */
  release(id: string, token?: string): void {
    if (token === undefined || this.#seen.get(id)?.token === token) this.#seen.delete(id)
  }

  #put(id: string, expires: number, token: string | undefined): void {
    // Re-inserting moves the id to the end. Entries are swept from the front while expired; one with a
    // shorter TTL behind a longer one waits for it, which only delays its removal.
    this.#seen.delete(id)
    this.#seen.set(id, { expires, token })
    if (this.#seen.size > this.#maxEntries) {
      const oldest = this.#seen.keys().next()
      if (!oldest.done) this.#seen.delete(oldest.value)
    }
    if (this.#versions.size > this.#maxEntries) {
      const oldest = this.#versions.keys().next()
      if (!oldest.done) this.#versions.delete(oldest.value)
    }
  }

  /** Drops expired ids from the old end; stops at the first live one, so each call does little work. */
  #sweep(now: number): void {
    for (const [id, entry] of this.#seen) {
      if (entry.expires > now) return
      this.#seen.delete(id)
    }
  }
}
