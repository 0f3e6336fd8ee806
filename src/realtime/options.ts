/**
 * Internal: the `realtime` options, their docs and the one kit check that validates them at
 * construction (`realtimeSection`, used by createClient's and createRealtimeClient's option tables).
 */
import { type Check, backoff, check, count, dictionary, fn, milliseconds, record } from '../core/checks.js'
import * as option from '../core/config.js'
import { type BackoffOptions, type OptionFields, type RandomSource, type StandardSchemaV1, isStandardSchema } from '../core/index.js'

/** The timer functions and clock the client uses. Injectable so tests fake only these. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number
  /** Runs `callback` once after `ms`; returns a handle for `clearTimeout`. */
  setTimeout(callback: () => void, ms: number): unknown
  /** Cancels a timer made by `setTimeout`. */
  clearTimeout(handle: unknown): void
}

/** Standard Schemas for event payloads, by channel and event name. */
export type SchemaMap = { readonly [channel: string]: { readonly [name: string]: StandardSchemaV1 } }

/** Options of `@wirekit/sdk/realtime`, given as the `realtime` section of the client options. */
export interface RealtimeOptions {
  /**
   * Send a ping this often, in milliseconds. A smaller `heartbeatMs` in the server's welcome wins.
   * @default 25000
   */
  heartbeatMs?: number
  /**
   * How much longer than `heartbeatMs` the link may stay silent before it is judged dead, in ms.
   * @default 10000
   */
  heartbeatTimeoutMs?: number
  /**
   * Reconnect backoff, full jitter: attempt n waits a uniform draw from `[0, min(cap, base·2^n))`.
   * @default { base: 500, cap: 30000 }
   */
  backoff?: BackoffOptions
  /**
   * Reconnect attempts in a row before giving up with a RealtimeError (`retries_exhausted`).
   * @default Infinity (never gives up)
   */
  maxRetries?: number
  /**
   * Connection attempts in a row that fail before the socket opens (a refused upgrade such as an
   * HTTP 404, a refused port, a host that never answers) before the client emits one `error`, a
   * RealtimeError with code `connect_failed`, and rejects every unconfirmed `sub.ready` with it. The
   * client keeps retrying (within `maxRetries`); a connection that opens starts the count again.
   * @default 5
   */
  failedOpensBeforeError?: number
  /**
   * A connection that stayed open this long resets the attempt count, in milliseconds.
   * @default 10000
   */
  stableAfterMs?: number
  /**
   * Publishes waiting for a connection: at most `size` unacknowledged at once, each for at most
   * `ttlMs` since `publish()` was called.
   * @default { size: 1000, ttlMs: 30000 }
   */
  queue?: {
    /** Unacknowledged publishes allowed at once; one more is refused with `queue_full`. @default 1000 */
    size?: number
    /** How long a publish may wait for a connection, in ms counted from `publish()`, before it fails with `publish_expired`. @default 30000 */
    ttlMs?: number
  }
  /**
   * Standard Schemas (zod, valibot, …) that validate event payloads by channel and event name. On a
   * channel listed here, an event that fails or has no schema goes to `onError`; the stream goes on.
   * @default undefined (no validation)
   */
  schemas?: SchemaMap
  /**
   * The uniform random source for backoff jitter.
   * @default Math.random
   */
  random?: RandomSource
  /**
   * The clock and timers.
   * @default Date.now, setTimeout, clearTimeout
   */
  clock?: Clock
}

/** The realtime options, validated and defaulted: the same shape, every field present. */
export interface RealtimeSettings {
  readonly heartbeatMs: number
  readonly heartbeatTimeoutMs: number
  readonly backoff: Readonly<Required<BackoffOptions>>
  readonly maxRetries: number
  readonly failedOpensBeforeError: number
  readonly stableAfterMs: number
  readonly queue: Readonly<Required<NonNullable<RealtimeOptions['queue']>>>
  /** Empty when no schemas were given. */
  readonly schemas: SchemaMap
  readonly random: RandomSource
  readonly clock: Clock
}

const isFunction = (value: unknown) => typeof value === 'function'

const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, delay) => setTimeout(callback, delay),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
}

/**
 * Checks the `realtime` section: defaults applied, frozen; an unknown key at any depth
 * (`realtime.queue.sizee`) is a ConfigError naming its full path with the nearest name.
 */
export const realtimeSection: Check<RealtimeSettings> = /* @__PURE__ */ record({
  heartbeatMs: /* @__PURE__ */ milliseconds(25_000, 1),
  heartbeatTimeoutMs: /* @__PURE__ */ milliseconds(10_000, 1),
  backoff: /* @__PURE__ */ backoff({ base: 500, cap: 30_000 }),
  maxRetries: /* @__PURE__ */ count(Infinity),
  failedOpensBeforeError: /* @__PURE__ */ count(5, 1),
  stableAfterMs: /* @__PURE__ */ milliseconds(10_000),
  queue: /* @__PURE__ */ record({ size: /* @__PURE__ */ count(1_000), ttlMs: /* @__PURE__ */ milliseconds(30_000, 1) }),
  schemas: /* @__PURE__ */ dictionary(
    /* @__PURE__ */ dictionary(/* @__PURE__ */ check<StandardSchemaV1>(isStandardSchema, 'a Standard Schema'), '{ [event]: Standard Schema }'),
    '{ [channel]: { [event]: Standard Schema } }',
  ),
  random: /* @__PURE__ */ fn('a function returning [0, 1)', () => Math.random()),
  clock: /* @__PURE__ */ check(
    (clock: any) => isFunction(clock?.now) && isFunction(clock.setTimeout) && isFunction(clock.clearTimeout),
    '{ now, setTimeout, clearTimeout } functions',
    systemClock,
  ),
})

/** The options `createRealtimeClient()` reads, each with its check. */
export const REALTIME_OPTIONS = {
  baseUrl: option.baseUrl,
  realtimeUrl: option.realtimeUrl,
  auth: option.auth,
  timeout: option.timeout,
  WebSocket: option.webSocketOption,
  logger: option.logger,
  logLevel: option.logLevel,
  realtime: realtimeSection,
} satisfies OptionFields
