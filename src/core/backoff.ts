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
  const exponent = Math.max(0, Math.floor(attempt))
  // 2 ** 1100 is Infinity, and min() takes the cap, so huge attempt counts stay finite.
  const window = Math.min(cap, base * 2 ** exponent)
  return Math.floor(random() * window)
}

/** The upper bound of the window for `attempt`; what {@link backoffDelay} never reaches. */
export function backoffWindow(attempt: number, options: BackoffOptions = {}): number {
  return Math.min(options.cap ?? 30_000, (options.base ?? 500) * 2 ** Math.max(0, Math.floor(attempt)))
}
