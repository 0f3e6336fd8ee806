/** Replay protection: remembering which deliveries were already accepted. */

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
 * mid-handler (its lease expires) does not lose the sender's retry. `MemoryDeliveryStore` is one
 * process's; `RedisReplayStore` shares it across processes (both in `@wirekit/sdk/webhooks/intake`). The intake helper (`webhookIntake`) drives it.
 *
 * @example
 * const outcome = await store.begin('msg_1', { token: crypto.randomUUID(), leaseMs: 60_000 })
 */
export interface DeliveryStore {
  /** Takes the lease on `id` when it is neither done nor leased (and, with `order`, not stale). Atomic. */
  begin(id: string, request: BeginRequest): BeginOutcome | Promise<BeginOutcome>
  /** Marks `id` done for `doneMs` milliseconds, unless another attempt's lease now holds it. */
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

/**
 * An in-process {@link ReplayStore}: ids expire after their TTL and are swept lazily on each claim,
 * with no timers. Right for one server process; several instances need a shared store (Redis, KV).
 *
 * @example
 * const webhooks = standardWebhooks({ secret, replay: new MemoryReplayStore() })
 */
export class MemoryReplayStore implements ReplayStore {
  readonly #seen = new Map<string, number>()
  readonly #maxEntries: number
  readonly #now: () => number

  constructor(options: MemoryReplayStoreOptions = {}) {
    const maxEntries = options.maxEntries ?? 10_000
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError('maxEntries must be a positive integer')
    this.#maxEntries = maxEntries
    this.#now = options.now ?? Date.now
  }

  /** How many ids are remembered now, expired ones not yet swept included. */
  get size(): number {
    return this.#seen.size
  }

  /** Records `id` for `ttlSeconds`; false when it is already recorded and not yet expired. */
  claim(id: string, ttlSeconds: number): boolean {
    const now = this.#now()
    this.#sweep(now)
    const expires = this.#seen.get(id)
    if (expires !== undefined && expires > now) return false
    // Re-inserting moves the id to the end, keeping the map ordered by insertion for the sweep.
    this.#seen.delete(id)
    this.#seen.set(id, now + ttlSeconds * 1000)
    if (this.#seen.size > this.#maxEntries) {
      const oldest = this.#seen.keys().next()
      if (!oldest.done) this.#seen.delete(oldest.value)
    }
    return true
  }

  /** Forgets `id`. */
  release(id: string): void {
    this.#seen.delete(id)
  }

  /** Drops expired ids from the old end; stops at the first live one, so each claim does little work. */
  #sweep(now: number): void {
    for (const [id, expires] of this.#seen) {
      if (expires > now) return
      this.#seen.delete(id)
    }
  }
}
