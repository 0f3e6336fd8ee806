import { type BackoffOptions, ConfigError, type RandomSource, type StandardSchemaV1, isStandardSchema } from '../core/index.js'

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

/** Options of `wirekit/realtime`, given as the `realtime` section of the client options. */
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

/** The realtime options, validated and defaulted. */
export interface RealtimeSettings {
  heartbeatMs: number
  heartbeatTimeoutMs: number
  backoff: Required<BackoffOptions>
  maxRetries: number
  stableAfterMs: number
  queueSize: number
  queueTtlMs: number
  schemas: SchemaMap | undefined
  random: RandomSource
  clock: Clock
}

const KEYS = ['heartbeatMs', 'heartbeatTimeoutMs', 'backoff', 'maxRetries', 'stableAfterMs', 'queue', 'schemas', 'random', 'clock']

/** Validates the `realtime` section; throws a ConfigError naming the field. Does no other work. */
export function resolveRealtimeOptions(section: Readonly<Record<string, unknown>>): RealtimeSettings {
  for (const key of Object.keys(section)) {
    if (!KEYS.includes(key)) throw new ConfigError(`realtime.${key}`, `is not an option; the options are ${KEYS.join(', ')}`)
  }
  const o = section as RealtimeOptions
  const backoff = o.backoff ?? {}
  const queue = o.queue ?? {}
  const settings: RealtimeSettings = {
    heartbeatMs: ms('heartbeatMs', o.heartbeatMs, 25_000, 1),
    heartbeatTimeoutMs: ms('heartbeatTimeoutMs', o.heartbeatTimeoutMs, 10_000, 1),
    backoff: { base: ms('backoff.base', backoff.base, 500, 0), cap: ms('backoff.cap', backoff.cap, 30_000, 0) },
    maxRetries: o.maxRetries === Infinity ? Infinity : count('maxRetries', o.maxRetries, Infinity),
    stableAfterMs: ms('stableAfterMs', o.stableAfterMs, 10_000, 0),
    queueSize: count('queue.size', queue.size, 1_000),
    queueTtlMs: ms('queue.ttlMs', queue.ttlMs, 30_000, 1),
    schemas: o.schemas,
    random: o.random ?? (() => Math.random()),
    clock: o.clock ?? {
      now: () => Date.now(),
      setTimeout: (callback, delay) => setTimeout(callback, delay),
      clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    },
  }
  if (settings.backoff.cap < settings.backoff.base) throw new ConfigError('realtime.backoff.cap', 'must be at least backoff.base')
  if (typeof settings.random !== 'function') throw new ConfigError('realtime.random', 'must be a function returning [0, 1)')
  const clock = settings.clock as Partial<Clock>
  if (typeof clock.now !== 'function' || typeof clock.setTimeout !== 'function' || typeof clock.clearTimeout !== 'function') {
    throw new ConfigError('realtime.clock', 'must have now, setTimeout and clearTimeout functions')
  }
  for (const [channel, names] of Object.entries(o.schemas ?? {})) {
    for (const [name, schema] of Object.entries(names)) {
      if (!isStandardSchema(schema)) throw new ConfigError(`realtime.schemas.${channel}.${name}`, 'must be a Standard Schema')
    }
  }
  return settings
}

function ms(field: string, value: unknown, fallback: number, min: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new ConfigError(`realtime.${field}`, `must be a number of milliseconds, at least ${min}`)
  }
  return value
}

function count(field: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new ConfigError(`realtime.${field}`, 'must be a whole number, 0 or more')
  }
  return value
}
