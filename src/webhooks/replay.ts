/** Replay protection and delivery leases: remembering which deliveries were accepted, are being handled, or were handled. */
import { count, fn, record } from '../core/checks.js'

/**
 * Where delivery ids are remembered. `claim` is called only after the signature checked out, so only
 * the real sender can fill the store. Back it with anything that has an atomic set-if-absent with
 * expiry, e.g. Redis `SET key 1 NX EX ttl`.
 *
 * @example
 * const redisStore: ReplayStore = {
 *   claim: async (id, ttl) => (await redis.set(`webhook:${id}`, '1', { NX: true, EX: ttl })) === 'OK',
 *   release: async (id) => { await redis.del(`webhook:${id}`) },
 * }
 */
export interface ReplayStore {
  /**
   * Records `id` for `ttlSeconds`. Resolves true when the id was not already recorded (first delivery),
   * false when it was (a replay). Must be atomic: two concurrent claims of one id may not both win.
   */
  claim(id: string, ttlSeconds: number): boolean | Promise<boolean>
  /** Forgets `id`, so the sender's retry of a delivery your handler failed on is accepted. */
  release?(id: string): void | Promise<void>
}

/**
 * What {@link DeliveryStore.begin} found: `'new'` (the lease is yours: run the handler), `'processing'`
 * (another process holds a live lease), `'done'` (handled before), `'stale'` (ordering: a newer version
 * of the resource was already handed to a handler).
 */
export type BeginOutcome = 'new' | 'processing' | 'done' | 'stale'

/** What {@link DeliveryStore.begin} is asked to do. */
export interface BeginRequest {
  /** Names this attempt's lease; `complete` and `release` act only on the lease that carries it. */
  readonly token: string
  /** How long the lease lives, in milliseconds: a process that dies mid-handler frees the id after it. */
  readonly leaseMs: number
  /** Ordering (optional): take the lease only when `version` is newer than the resource's last one. */
  readonly order?: BeginOrder | undefined
}

/** The ordering part of a {@link BeginRequest}. */
export interface BeginOrder {
  /** The resource the delivery updates. */
  readonly resource: string
  /** Its version; an older one than the resource's newest is `stale`. */
  readonly version: number
  /** How long the resource's newest version is remembered, in milliseconds. */
  readonly ttlMs: number
}

/**
 * A delivery-id store with leases: an id moves `new → processing (lease) → done`, one atomic step per
 * transition, so two processes never both run the handler for one delivery and a process that dies
 * mid-handler (its lease expires) does not lose the sender's retry. `MemoryReplayStore` is one
 * process's; `RedisReplayStore` (in `@wirekit/sdk/webhooks/intake`) shares it across processes. The
 * intake helper (`webhookIntake`) drives it.
 *
 * @example
 * const outcome = await store.begin('msg_1', { token: crypto.randomUUID(), leaseMs: 60_000 })
 */
export interface DeliveryStore {
  /** Takes the lease on `id` when it is neither done nor leased (and, with `order`, not stale). Atomic. */
  begin(id: string, request: BeginRequest): BeginOutcome | Promise<BeginOutcome>
  /**
   * Marks `id` done for `doneMs` milliseconds: `token`'s handler ran to its end. It does so even when
   * that lease expired and another attempt took the id meanwhile: the delivery is handled, so the other
   * attempt's release must not let a retry run it again.
   */
  complete(id: string, token: string, doneMs: number): void | Promise<void>
  /** Drops the lease that `token` holds, so the sender's retry runs the handler; without a token, forgets `id` whatever its state. */
  release(id: string, token?: string): void | Promise<void>
}

/** Options of {@link MemoryReplayStore}. */
export interface MemoryReplayStoreOptions {
  /**
   * The most ids kept. When full, the oldest is dropped first. Ids are only added after a valid
   * signature, so an attacker cannot flood the store.
   * @default 10000
   */
  maxEntries?: number
  /**
   * The clock, in milliseconds since the epoch. Inject one in tests.
   * @default Date.now
   */
  now?: () => number
}

/** The option check of {@link MemoryReplayStore}; walked by the option-path test. */
export const MEMORY_STORE_OPTIONS = /* @__PURE__ */ record({
  maxEntries: /* @__PURE__ */ count(10_000, 1),
  now: /* @__PURE__ */ fn<(() => number) | undefined>('a function returning epoch milliseconds'),
})

/** A remembered id: when it expires, and the lease token while leased (`undefined` once done or claimed). */
interface Entry {
  expires: number
  token: string | undefined
}

/**
 * Delivery ids in one process: the {@link ReplayStore} of a verifier's `replay` option (`claim`), and
 * the {@link DeliveryStore} leases of `webhookIntake` (`begin` → processing → `complete`, or `release`;
 * an expired lease lets the next attempt in). Ids expire after their TTL and are swept lazily on each
 * call, with no timers. Right for one server process; several need a shared store (`RedisReplayStore`).
 *
 * @example
 * const webhooks = standardWebhooks({ secret, replay: new MemoryReplayStore() })
 * const intake = webhookIntake(standardWebhooks({ secret }), { store: new MemoryReplayStore(), handler })
 */
export class MemoryReplayStore implements ReplayStore, DeliveryStore {
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

  /** Records `id` for `ttlSeconds`; false when it is already recorded (claimed, leased or done) and not yet expired. */
  claim(id: string, ttlSeconds: number): boolean {
    return this.#begin(id, ttlSeconds * 1000, undefined) === 'new'
  }

  /** Takes the lease on `id` unless it is done, leased, or (with `order`) stale; see {@link DeliveryStore.begin}. */
  begin(id: string, request: BeginRequest): BeginOutcome {
    return this.#begin(id, request.leaseMs, request.token, request.order)
  }

  /** Marks `id` done for `doneMs`; see {@link DeliveryStore.complete}. */
  complete(id: string, _token: string, doneMs: number): void {
    this.#put(id, this.#now() + doneMs, undefined)
  }

  /** Drops `token`'s lease on `id`; without a token, forgets `id` whatever its state (the {@link ReplayStore} use). */
  release(id: string, token?: string): void {
    if (token === undefined || this.#seen.get(id)?.token === token) this.#seen.delete(id)
  }

  #begin(id: string, ms: number, token: string | undefined, order?: BeginOrder): BeginOutcome {
    const now = this.#now()
    this.#sweep(now)
    const entry = this.#seen.get(id)
    if (entry !== undefined && entry.expires > now) return entry.token === undefined ? 'done' : 'processing'
    if (order) {
      const last = this.#versions.get(order.resource)
      // The same id may come back at its own version: its handler failed and the lease was released.
      if (last !== undefined && last.expires > now && (last.version > order.version || (last.version === order.version && last.id !== id))) return 'stale'
      this.#versions.delete(order.resource)
      this.#versions.set(order.resource, { version: order.version, id, expires: now + order.ttlMs })
      if (this.#versions.size > this.#maxEntries) this.#versions.delete(this.#versions.keys().next().value!)
    }
    this.#put(id, now + ms, token)
    return 'new'
  }

  #put(id: string, expires: number, token: string | undefined): void {
    // Re-inserting moves the id to the end. Entries are swept from the front while expired; one with a
    // shorter TTL behind a longer one waits for it, which only delays its removal.
    this.#seen.delete(id)
    this.#seen.set(id, { expires, token })
    if (this.#seen.size > this.#maxEntries) this.#seen.delete(this.#seen.keys().next().value!)
  }

  /** Drops expired ids from the old end; stops at the first live one, so each call does little work. */
  #sweep(now: number): void {
    for (const [id, entry] of this.#seen) {
      if (entry.expires > now) return
      this.#seen.delete(id)
    }
  }
}
