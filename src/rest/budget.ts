/**
 * The rate-limit budget: `rateLimits()` makes one, `rest: { limits }` installs it. It learns each
 * origin's limits from the responses (src/rest/limits.ts), holds a call back until the window resets
 * instead of sending it to fail, pauses every queued call to an origin after a 429 (or a 503 with
 * Retry-After) until the server's time, and caps calls in flight per origin. A separate factory so a
 * client that never imports it carries none of it (the REST bundle guard, test/bundle).
 */
import { count, fn, milliseconds, record } from '../core/checks.js'
import { type RateLimitInfo, RateLimitError, TimeoutError } from '../core/index.js'
import { parseRateLimit, readRateLimit } from './limits.js'
import { serverDelay } from './retry.js'

/**
 * Options of {@link rateLimits}.
 *
 * @example
 * rateLimits({ maxWait: 30_000, maxConcurrency: 8 })
 */
export interface RateLimitOptions {
  /**
   * The longest a call waits for the budget, in ms. A call that would wait longer rejects at once
   * with a `RateLimitError` (its `retryAfter` says how long), without being sent.
   * @default 60000
   */
  maxWait?: number
  /**
   * Calls in flight per origin, at most.
   * @default Infinity
   */
  maxConcurrency?: number
  /**
   * The clock, in epoch milliseconds. Injectable for tests.
   * @default Date.now
   */
  now?: () => number
}

/** One budget as {@link RateLimits.state} reports it. */
export interface RateLimitState {
  /** `https://api.example.com`. */
  readonly origin: string
  /** The policy the server named, or `''` for the origin's unnamed budget. */
  readonly policy: string
  /** Requests per window, once a response said. */
  readonly limit: number | undefined
  /** Requests this client may still send in the window, by its own count checked against the server's. */
  readonly remaining: number | undefined
  /** When the window resets, epoch ms, once a response said. */
  readonly resetAt: number | undefined
  /** Until when every call to the origin waits after a 429 or 503, epoch ms; 0 when not paused. */
  readonly pausedUntil: number
  /** Calls to the origin on the wire now. */
  readonly inFlight: number
  /** Calls to the origin waiting for the budget. */
  readonly queued: number
}

/**
 * The check of {@link rateLimits}' options, at the path `rateLimits`. Internal; exported so a test
 * can walk every path.
 */
export const rateLimitOptions = /* @__PURE__ */ record({
  maxWait: /* @__PURE__ */ milliseconds(60_000),
  maxConcurrency: /* @__PURE__ */ count(Infinity, 1),
  now: /* @__PURE__ */ fn<() => number>('a function returning epoch milliseconds', Date.now),
})

interface Bucket {
  policy: string
  limit: number | undefined
  remaining: number | undefined
  resetAt: number | undefined
  /**
   * The window's length, ms: stated by the server (the IETF policy's `w`), or inferred from a delta
   * reset heard at a window's start. The next window's reset is then this one's plus it, not
   * re-learned from an answer that came a round trip late (see #wait).
   */
  window: number | undefined
  /** `window` was inferred, not stated. */
  inferred: boolean
  /** An inferred window proved too short (a 429 on the first call of a window): never infer again. */
  refuted: boolean
  /** The fewest remaining calls an answer of this window announced. */
  heard: number | undefined
  /** When this client last refilled the bucket: answers to requests sent before it are stale. */
  windowStart: number
  /** A new window began: one call goes first, and its answer says what is left (see #wait). */
  probe: boolean
  /** That first call is on the wire. */
  probeOut: boolean
}

interface Origin {
  name: string
  buckets: Map<string, Bucket>
  /** `origin/first-segment` → the policy its responses named. */
  routes: Map<string, string>
  inFlight: number
  pausedUntil: number
  queue: Waiter[]
  timer: ReturnType<typeof setTimeout> | undefined
}

interface Ticket {
  origin: Origin
  bucket: Bucket
  route: string
  sentAt: number
  probe: boolean
  /** The attempt it was reserved for has gone to the fetch (a retry then needs a ticket of its own). */
  used: boolean
}

/**
 * Internal: what the budget's fetch throws when a retry has to wait for its place. ky passes it
 * through (it retries only its own error kinds), and the engine waits outside ky, against the call's
 * total timeout rather than the attempt's, then carries on with the retries that are left. Not an
 * Error: it never reaches a caller.
 */
class BudgetWait {
  constructor(
    /** Settles when the place is reserved (or rejects: maxWait, abort). */
    readonly waiting: Promise<void>,
  ) {}
}

/**
 * What the budget keeps for one REST call, on one small object the engine makes per call (across its
 * ky calls): the ticket of its attempt on the wire and its wait, as properties rather than in
 * WeakMaps (perf: docs/performance.md#rest-budget-holder).
 */
interface Slot {
  ticket?: Ticket | undefined
  waiter?: Waiter | undefined
  /** Attempts of the call that went to the fetch. */
  attempts?: number
}

interface Waiter {
  holder: Slot
  origin: Origin
  bucket: Bucket
  route: string
  resolve: () => void
  reject: (error: unknown) => void
  cleanup: () => void
}

// A pause longer than a day is not believed (the same cap as a reset, src/rest/limits.ts).
const MAX_PAUSE_MS = 86_400_000

/**
 * A rate-limit budget shared by every client it is given to. Internal methods are used by the
 * engine; users read {@link RateLimits.state} (or `client.rest.limits()`).
 */
export class RateLimits {
  readonly #maxWait: number
  readonly #maxConcurrency: number
  readonly #now: () => number
  readonly #origins = new Map<string, Origin>()
  #last: { origin: Origin; route: string } | undefined

  constructor(options: RateLimitOptions = {}) {
    const checked = rateLimitOptions(options, 'rateLimits')
    this.#maxWait = checked.maxWait
    this.#maxConcurrency = checked.maxConcurrency
    this.#now = checked.now
  }

  /** Every budget learned so far, per origin and policy. */
  state(): RateLimitState[] {
    const out: RateLimitState[] = []
    for (const origin of this.#origins.values()) {
      for (const bucket of origin.buckets.values()) {
        // The unnamed budget of an origin whose answers all named a policy has nothing to report.
        if (bucket.policy === '' && origin.buckets.size > 1 && bucket.limit === undefined && bucket.remaining === undefined) continue
        out.push(Object.freeze({
          origin: origin.name,
          policy: bucket.policy,
          limit: bucket.limit,
          remaining: bucket.remaining,
          resetAt: bucket.resetAt,
          pausedUntil: origin.pausedUntil,
          inFlight: origin.inFlight,
          queued: origin.queue.length,
        }))
      }
    }
    return out
  }

  /** Internal: the limits `headers` announce (what fills `ApiError.rateLimit`). */
  parse(headers: Headers): RateLimitInfo | undefined {
    return parseRateLimit(headers, this.#now())
  }

  /**
   * Internal: waits until the budget lets the next attempt of `holder` (one REST call) go to `url`, then
   * counts it as sent; `undefined` when it may go at once. Rejects with a RateLimitError when the
   * wait would pass `maxWait`, and with the signal's reason on abort.
   */
  acquire(holder: object, url: string, signal: AbortSignal | undefined): Promise<void> | undefined {
    // Reserved by a wait that ended (a retry's, see resume) and not used yet: it is this attempt's.
    if ((holder as Slot).ticket?.used === false) return undefined
    this.release(holder)
    const { origin, route } = this.#route(url)
    const bucket = this.#bucket(origin, origin.routes.get(route) ?? '')
    const now = this.#now()
    const wait = this.#wait(origin, bucket, now)
    if (wait === 0 && origin.queue.length === 0) {
      this.#reserve(holder as Slot, origin, bucket, route, now)
      return undefined
    }
    if (wait > this.#maxWait) throw this.#tooLong(origin, bucket, wait)
    signal?.throwIfAborted()
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.#drop(waiter)
        reject(signal!.reason)
      }
      const waiter: Waiter = { holder: holder as Slot, origin, bucket, route, resolve, reject, cleanup: () => signal?.removeEventListener('abort', onAbort) }
      waiter.holder.waiter = waiter
      signal?.addEventListener('abort', onAbort, { once: true })
      origin.queue.push(waiter)
      this.#pump(origin)
    })
  }

  /** Internal: `waiting` (from {@link acquire}) within what is left of the call's total timeout (`false`: no limit). */
  within(waiting: Promise<void>, remaining: number | false, label: string): Promise<void> {
    if (remaining === false) return waiting
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new TimeoutError(`${label} timed out`)), Math.max(0, remaining))
      waiting.then(resolve, reject).finally(() => clearTimeout(timer))
    })
  }

  /**
   * Internal: `inner` for the ky calls of `holder` (one REST call), learning from each response it
   * gets (see {@link learn}). The engine reserves the first attempt's place; a retry reserves its own
   * here, and when it would have to wait, ends the ky call with a `BudgetWait` instead.
   */
  fetchFor(holder: object, inner: typeof fetch): typeof fetch {
    const slot = holder as Slot
    return (input, init) => {
      if (slot.ticket === undefined || slot.ticket.used) {
        const request = input as Request
        const waiting = this.acquire(holder, request.url, request.signal)
        if (waiting) {
          // Handled here too: ky may end the call another way first (its total timeout).
          waiting.catch(() => undefined)
          return Promise.reject(new BudgetWait(waiting))
        }
      }
      slot.ticket!.used = true
      slot.attempts = (slot.attempts ?? 0) + 1
      return inner(input, init).then((response) => {
        this.learn(holder, response)
        return response
      })
    }
  }

  /**
   * Internal: learns from the response to the attempt of `holder`, by its headers alone, and frees
   * its place. The engine calls it from the fetch it gives ky, not from ky's afterResponse hook,
   * which hands each hook a clone of the response (a tee of its body).
   */
  learn(holder: object, response: Response): void {
    const slot = holder as Slot
    const ticket = slot.ticket
    if (ticket === undefined) return
    const now = this.#now()
    const limits = readRateLimit(response.headers, now)
    // Freed without letting the queue go yet: what this answer says (a pause) comes first.
    slot.ticket = undefined
    ticket.origin.inFlight--
    const { origin } = ticket
    let bucket = ticket.bucket
    if (limits?.policy !== undefined && limits.policy !== bucket.policy) {
      origin.routes.set(ticket.route, limits.policy)
      bucket = this.#bucket(origin, limits.policy)
    }
    const status = response.status
    if (ticket.sentAt >= ticket.bucket.windowStart) ticket.bucket.probe = ticket.bucket.probeOut = false
    if (limits && ticket.sentAt >= bucket.windowStart) {
      if (limits.limit !== undefined) bucket.limit = limits.limit
      if (limits.window !== undefined) {
        bucket.window = limits.window
        bucket.inferred = false
      } else if (ticket.probe && status !== 429 && limits.delta && limits.reset! >= 1000 && limits.reset! % 1000 === 0 && bucket.window === undefined && !bucket.refuted) {
        // The first call of a window: a fixed window of whole seconds, hit in its first second, says its
        // full length. A wrong guess shows as a 429 on a window's first call and is dropped (below).
        bucket.window = limits.reset
        bucket.inferred = true
      }
      // Each answer's reset is rounded up to a whole second, so each is a late bound of the real one:
      // the earliest of a window's answers is the closest (later answers would drift a window late).
      if (limits.reset !== undefined && (bucket.resetAt === undefined || now + limits.reset < bucket.resetAt)) bucket.resetAt = now + limits.reset
      if (limits.remaining !== undefined) {
        if (bucket.heard !== undefined && bucket.resetAt !== undefined && limits.remaining > bucket.heard + origin.inFlight + 1) {
          // More left than answers arriving out of order can explain: the server's window reset before
          // this answer, earlier than the late bound. The budget's window ends now, and the next one
          // ends a window from now, which takes back the lateness of the first bound (a call sent
          // late in a window and counted against it, but landing in the next, would else do so again
          // in every window).
          bucket.resetAt = now
        } else {
          bucket.heard = Math.min(bucket.heard ?? Infinity, limits.remaining)
          // The first figure heard: the calls still on the wire may not be counted in it yet.
          bucket.remaining = bucket.remaining === undefined ? Math.max(0, limits.remaining - origin.inFlight) : Math.min(bucket.remaining, limits.remaining)
        }
      }
    }
    if (status === 429 || status === 503) {
      const delay = serverDelay(response.headers, now) ?? (status === 429 ? limits?.reset : undefined)
      if (delay !== undefined) origin.pausedUntil = Math.max(origin.pausedUntil, now + Math.min(delay, MAX_PAUSE_MS))
      if (status === 429) {
        bucket.remaining = 0
        // A window's first call refused: the inferred window ended it too early.
        if (ticket.probe && bucket.inferred) {
          bucket.window = undefined
          bucket.inferred = false
          bucket.refuted = true
        }
      }
    }
    this.#pump(origin)
  }

  /** Internal: the attempt of `holder` is over (answered, failed or abandoned); frees its place. */
  release(holder: object): void {
    const slot = holder as Slot
    const ticket = slot.ticket
    if (!ticket) return
    slot.ticket = undefined
    ticket.origin.inFlight--
    // The first call of a window failed without an answer: let another go first.
    if (ticket.probe) ticket.bucket.probeOut = false
    this.#pump(ticket.origin)
  }

  /**
   * Internal: when `error` is a retry's `BudgetWait`, waits for its place within `remaining` of the
   * call's total timeout and readies `init` (ky's options) for the ky call that makes that attempt:
   * the retries left of `retryLimit`, and the attempts made so far, from which the engine's hooks
   * number theirs (`context.attemptsBefore`). Resolves to true then, else false.
   */
  async resume(holder: object, error: unknown, init: { retry?: unknown; context?: object }, retryLimit: number, remaining: number | false, label: string): Promise<boolean> {
    if (!(error instanceof BudgetWait)) return false
    await this.within(error.waiting, remaining, label)
    const sent = (holder as Slot).attempts ?? 0
    init.retry = { ...(init.retry as object), limit: retryLimit - sent }
    init.context = { attemptsBefore: sent }
    return true
  }

  /** Internal: the REST call of `holder` has ended; a wait it left behind (a total timeout) is dropped. */
  end(holder: object): void {
    const { waiter } = holder as Slot
    if (waiter !== undefined) this.#drop(waiter)
    this.release(holder)
  }

  /**
   * The origin and route (origin and first path segment) of a serialized URL (lower-case host, no
   * default port, no credentials): what precedes the path, and the path's first segment. The last
   * one is kept, and a URL under it reuses it (perf: docs/performance.md#rest-budget-routes).
   */
  #route(url: string): { origin: Origin; route: string } {
    const last = this.#last
    if (last !== undefined && url.startsWith(last.route)) {
      const next = url.charCodeAt(last.route.length)
      // The route ends there: at the end, or at '/', '?' or '#'.
      if (Number.isNaN(next) || next === 47 || next === 63 || next === 35) return last
    }
    const path = url.indexOf('/', url.indexOf('//') + 2)
    const origin = this.#origin(path < 0 ? url : url.slice(0, path))
    let end = path < 0 ? url.length : path + 1
    while (end < url.length && url[end] !== '/' && url[end] !== '?' && url[end] !== '#') end++
    const found = { origin, route: url.slice(0, end) }
    // A route without a path (never a serialized request URL) is not kept: it would prefix the others.
    if (path >= 0) this.#last = found
    return found
  }

  #origin(name: string): Origin {
    let origin = this.#origins.get(name)
    if (!origin) {
      origin = { name, buckets: new Map(), routes: new Map(), inFlight: 0, pausedUntil: 0, queue: [], timer: undefined }
      this.#origins.set(name, origin)
    }
    return origin
  }

  #bucket(origin: Origin, policy: string): Bucket {
    let bucket = origin.buckets.get(policy)
    if (!bucket) {
      bucket = { policy, limit: undefined, remaining: undefined, resetAt: undefined, window: undefined, inferred: false, refuted: false, heard: undefined, windowStart: 0, probe: false, probeOut: false }
      origin.buckets.set(policy, bucket)
    }
    return bucket
  }

  /** Milliseconds until an attempt may go (0: now), or -1 when only a free place will let it. */
  #wait(origin: Origin, bucket: Bucket, now: number): number {
    if (bucket.resetAt !== undefined && now >= bucket.resetAt) {
      // Calls sent late in the old window may have landed in the new one (a slow or busy client), so
      // the new window is not assumed full: one call goes first and its answer says what is left.
      bucket.remaining = undefined
      bucket.heard = undefined
      // With a known window the next reset follows this one (while the windows run back to back); a
      // reset learned from that first call's answer would start each window a round trip later.
      bucket.resetAt = bucket.window !== undefined && now < bucket.resetAt + bucket.window ? bucket.resetAt + bucket.window : undefined
      bucket.windowStart = now
      bucket.probe = bucket.limit !== undefined
      bucket.probeOut = false
    }
    let wait = Math.max(0, origin.pausedUntil - now)
    if (bucket.probe && bucket.probeOut) return wait > 0 ? wait : -1
    if (bucket.remaining !== undefined && bucket.remaining <= 0) {
      // Spent, with no reset announced: one probe at a time until a response says more.
      if (bucket.resetAt === undefined) return wait > 0 ? wait : origin.inFlight > 0 ? -1 : 0
      wait = Math.max(wait, bucket.resetAt - now)
    }
    if (wait === 0 && origin.inFlight >= this.#maxConcurrency) return -1
    return wait
  }

  #reserve(holder: Slot, origin: Origin, bucket: Bucket, route: string, now: number): void {
    origin.inFlight++
    if (bucket.remaining !== undefined) bucket.remaining--
    if (bucket.probe) bucket.probeOut = true
    holder.ticket = { origin, bucket, route, sentAt: now, probe: bucket.probe, used: false }
  }

  #drop(waiter: Waiter): void {
    const { queue } = waiter.origin
    const at = queue.indexOf(waiter)
    if (at >= 0) queue.splice(at, 1)
    if (waiter.holder.waiter === waiter) waiter.holder.waiter = undefined
    waiter.cleanup()
    this.#pump(waiter.origin)
  }

  /** Lets queued calls go in order while the budget allows; arms one timer for the next reset. */
  #pump(origin: Origin): void {
    if (origin.timer !== undefined) clearTimeout(origin.timer)
    origin.timer = undefined
    while (origin.queue.length > 0) {
      const waiter = origin.queue[0]!
      const now = this.#now()
      const wait = this.#wait(origin, waiter.bucket, now)
      if (wait > this.#maxWait) {
        // A pause announced after the call queued: it would now wait past its maximum.
        origin.queue.shift()
        waiter.holder.waiter = undefined
        waiter.cleanup()
        waiter.reject(this.#tooLong(origin, waiter.bucket, wait))
        continue
      }
      if (wait !== 0) {
        if (wait > 0) origin.timer = setTimeout(() => this.#pump(origin), wait)
        return
      }
      origin.queue.shift()
      waiter.holder.waiter = undefined
      waiter.cleanup()
      this.#reserve(waiter.holder, origin, waiter.bucket, waiter.route, now)
      waiter.resolve()
    }
  }

  #tooLong(origin: Origin, bucket: Bucket, wait: number): RateLimitError {
    const rateLimit: RateLimitInfo = { ...(bucket.policy && { policy: bucket.policy }), ...(bucket.limit !== undefined && { limit: bucket.limit }), remaining: Math.max(0, bucket.remaining ?? 0), reset: wait }
    return new RateLimitError({
      status: 429,
      message: `${origin.name}: the rate limit needs a wait of ${Math.ceil(wait)} ms, over the maxWait of ${this.#maxWait} ms; the call was not sent`,
      retryAfter: wait,
      rateLimit,
    })
  }
}

/**
 * A rate-limit budget to give to `rest: { limits }`: calls wait for the server's announced window
 * instead of being sent to fail, a 429 pauses every queued call to its origin, and
 * `client.rest.limits()` reports what was learned. One budget may serve several clients.
 *
 * @example
 * import { createRestClient, rateLimits } from '@wirekit/sdk/rest'
 * const rest = createRestClient({ baseUrl, rest: { limits: rateLimits({ maxWait: 30_000, maxConcurrency: 8 }) } })
 */
export function rateLimits(options?: RateLimitOptions): RateLimits {
  return new RateLimits(options)
}
