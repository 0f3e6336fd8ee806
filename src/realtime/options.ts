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
  heartbeatMs: number
  heartbeatTimeoutMs: number
  backoff: Required<BackoffOptions>
  maxRetries: number
  stableAfterMs: number
  queue: Required<NonNullable<RealtimeOptions['queue']>>
  schemas?: SchemaMap
  random: RandomSource
  clock: Clock
}

/** One option: where it is, its default, what it accepts, and what the error says it must be. */
type Rule = readonly [path: string, fallback: unknown, valid: (value: any) => boolean, expected: string]

const ms = (path: string, fallback: number, min: number): Rule => [
  path,
  fallback,
  (value) => Number.isFinite(value) && value >= min,
  `a number of milliseconds, at least ${min}`,
]
// The default itself is always accepted (`maxRetries: Infinity`).
const count = (path: string, fallback: number): Rule => [
  path,
  fallback,
  (value) => value === fallback || (Number.isInteger(value) && value >= 0),
  'a whole number, 0 or more',
]
const isFunction = (value: unknown) => typeof value === 'function'

const RULES: readonly Rule[] = [
  ms('heartbeatMs', 25_000, 1),
  ms('heartbeatTimeoutMs', 10_000, 1),
  ms('backoff.base', 500, 0),
  ms('backoff.cap', 30_000, 0),
  count('maxRetries', Infinity),
  ms('stableAfterMs', 10_000, 0),
  count('queue.size', 1_000),
  ms('queue.ttlMs', 30_000, 1),
  ['random', () => Math.random(), isFunction, 'a function returning [0, 1)'],
  [
    'clock',
    {
      now: () => Date.now(),
      setTimeout: (callback: () => void, delay: number) => setTimeout(callback, delay),
      clearTimeout: (handle: ReturnType<typeof setTimeout>) => clearTimeout(handle),
    } satisfies Clock,
    (clock) => isFunction(clock?.now) && isFunction(clock.setTimeout) && isFunction(clock.clearTimeout),
    'an object with now, setTimeout and clearTimeout functions',
  ],
]

/** Validates the `realtime` section; throws a ConfigError naming the field. Does no other work. */
export function resolveRealtimeOptions(section: Readonly<Record<string, any>>): RealtimeSettings {
  const keys = [...new Set(RULES.map(([path]) => path.split('.')[0])), 'schemas']
  for (const key in section) {
    if (!keys.includes(key)) throw new ConfigError(`realtime.${key}`, `is not an option; the options are ${keys.join(', ')}`)
  }
  const settings: Record<string, any> = { ...section, backoff: { ...section.backoff }, queue: { ...section.queue } }
  for (const [path, fallback, valid, expected] of RULES) {
    const [outer, inner] = path.split('.') as [string, string?]
    const holder = inner ? settings[outer] : settings
    const key = inner ?? outer
    if (holder[key] === undefined) holder[key] = fallback
    else if (!valid(holder[key])) throw new ConfigError(`realtime.${path}`, `must be ${expected}`)
  }
  const { backoff, schemas } = settings
  if (backoff.cap < backoff.base) throw new ConfigError('realtime.backoff.cap', 'must be at least backoff.base')
  for (const channel in schemas) {
    for (const name in schemas[channel]) {
      if (!isStandardSchema(schemas[channel][name])) throw new ConfigError(`realtime.schemas.${channel}.${name}`, 'must be a Standard Schema')
    }
  }
  return settings as RealtimeSettings
}
