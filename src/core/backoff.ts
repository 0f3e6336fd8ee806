/**
 * Exponential backoff with full jitter, the one delay function for REST retries and realtime
 * reconnects. Full jitter spreads clients that failed together over the whole window, so they do
 * not come back in a stampede.
 */

/** A source of uniform random numbers in [0, 1). Injectable so tests can pin it. */
export type RandomSource = () => number

/** The shape of a backoff curve. */
export interface BackoffOptions {
  /**
   * The first window, in milliseconds: attempt 0 waits up to this long.
   * @default 500
   */
  base?: number
  /**
   * The largest window, in milliseconds.
   * @default 30000
   */
  cap?: number
}

/**
 * The delay before retry number `attempt` (0 for the first retry): a uniform draw from
 * `[0, min(cap, base · 2^attempt))`.
 *
 * @example
 * setTimeout(reconnect, backoffDelay(attempt, { base: 500, cap: 30_000 }))
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}, random: RandomSource = Math.random): number {
  const base = options.base ?? 500
  const cap = options.cap ?? 30_000
  return Math.floor(random() * backoffWindow(attempt, { base, cap }))
}

/** The upper bound of the window for `attempt`; what {@link backoffDelay} never reaches. */
export function backoffWindow(attempt: number, options: BackoffOptions = {}): number {
  // 2 ** 64 already exceeds any cap; capping the exponent keeps base 0 from becoming 0 × Infinity = NaN.
  const exponent = Math.min(64, Math.max(0, Math.floor(attempt)))
  return Math.min(options.cap ?? 30_000, (options.base ?? 500) * 2 ** exponent)
}
