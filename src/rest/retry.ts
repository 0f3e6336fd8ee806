/**
 * The retry policy, expressed as ky's retry options: ky does the retrying, the waiting (Retry-After,
 * RateLimit-Reset), the per-attempt timeout and the total budget. What it lacks and this adds: full
 * jitter from the core backoff, the 409/425 statuses, "a server wait over the cap ends the retries"
 * (ky would clamp it instead), and retrying a write only when it carries an Idempotency-Key.
 */
import type { RetryOptions as KyRetryOptions } from 'ky'
import { HTTPError } from 'ky'
import { type RandomSource, backoffDelay } from '../core/index.js'

/** Statuses worth another attempt: timeouts, conflicts on a lock, too early, rate limits, 5xx gateways. */
export const RETRY_STATUSES: readonly number[] = Object.freeze([408, 409, 425, 429, 500, 502, 503, 504])

// ky's own default list of methods safe to repeat, plus POST and PATCH for a call that carries a key.
// An unkeyed call leaves `methods` to ky's default. perf: docs/performance.md#rest-shared-retry-options
const SAFE_AND_KEYED = ['get', 'put', 'head', 'delete', 'options', 'trace', 'query', 'post', 'patch']

/** The resolved retry policy a REST client runs with. */
export interface RetryPolicy {
  limit: number
  backoff: { base: number; cap: number }
  maxRetryAfter: number
  random: RandomSource
}

/**
 * ky retry options for one call. `keyed` is true when the call carries an Idempotency-Key, which is
 * what makes a POST or PATCH safe to send twice.
 */
export function kyRetryOptions(policy: RetryPolicy, keyed: boolean): KyRetryOptions {
  return {
    limit: policy.limit,
    ...(keyed && { methods: SAFE_AND_KEYED }),
    statusCodes: RETRY_STATUSES as number[],
    afterStatusCodes: RETRY_STATUSES as number[],
    retryOnTimeout: true,
    delay: (attemptCount) => backoffDelay(attemptCount - 1, policy.backoff, policy.random),
    shouldRetry: ({ error }) => {
      // A server that asks for a longer wait than we allow gets its error back now rather than a
      // shortened wait it did not ask for (ky would clamp to maxRetryAfter and try early).
      if (error instanceof HTTPError) {
        const wait = serverDelay(error.response.headers)
        if (wait !== undefined && wait > policy.maxRetryAfter) return false
      }
      return undefined
    },
  }
}

const DELTA_SECONDS = /^\d+$/
// RateLimit-Reset values at or past 2024 are epoch seconds, not deltas (the same cut ky makes).
const EPOCH_THRESHOLD_SECONDS = Date.parse('2024-01-01') / 1000
// The headers ky reads, in its order; `true` where a value may be epoch seconds.
const DELAY_HEADERS: ReadonlyArray<[string, boolean]> = [
  ['retry-after', false],
  ['ratelimit-reset', true],
  ['x-ratelimit-retry-after', false],
  ['x-ratelimit-reset', true],
  ['x-rate-limit-reset', true],
]

/**
 * The wait a response asks for, in milliseconds: Retry-After (seconds or HTTP-date), else
 * RateLimit-Reset / X-RateLimit-Reset. `undefined` when absent or unreadable, so callers fall back
 * to backoff. Mirrors which headers ky reads, so the cap decision and ky's wait agree.
 */
export function serverDelay(headers: Headers, now: number = Date.now()): number | undefined {
  for (const [name, allowEpoch] of DELAY_HEADERS) {
    const value = headers.get(name)
    if (value !== null) return parseDelay(value.trim(), allowEpoch, now)
  }
  return undefined
}

function parseDelay(value: string, allowEpoch: boolean, now: number): number | undefined {
  if (DELTA_SECONDS.test(value)) {
    const seconds = Number(value)
    if (allowEpoch && seconds >= EPOCH_THRESHOLD_SECONDS) return Math.max(0, seconds * 1000 - now)
    return seconds * 1000
  }
  // Only real HTTP-dates: Date.parse would also accept "5" or "tomorrow"-ish strings in some engines.
  if (!/^[A-Z][a-z]{2,8}, /.test(value) && !/^[A-Z][a-z]{2} [A-Z][a-z]{2} /.test(value)) return undefined
  const at = Date.parse(value)
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined
}
