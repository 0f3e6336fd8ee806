/** Internal: the timestamp window, checked in both directions (stripe-node checks only the past). */
import { refuse } from './errors.js'
import type { Tolerance } from './options.js'

/** The default distance allowed each way, in seconds. */
const DEFAULT_TOLERANCE = 300

/** `tolerance` as seconds into the past and into the future; a number sets both. */
export function toleranceWindow(tolerance: number | Tolerance | undefined): { past: number; future: number } {
  if (typeof tolerance === 'number') return { past: tolerance, future: tolerance }
  return { past: tolerance?.past ?? DEFAULT_TOLERANCE, future: tolerance?.future ?? DEFAULT_TOLERANCE }
}

/** Refuses a signed timestamp (seconds) further than the window from `nowMs`. */
export function checkTimestamp(timestamp: number, nowMs: number, past: number, future: number): void {
  const current = Math.floor(nowMs / 1000)
  if (current - timestamp > past) throw refuse('timestamp_too_old', `the signed timestamp is more than ${past} s old`)
  if (timestamp - current > future) throw refuse('timestamp_in_future', `the signed timestamp is more than ${future} s ahead of this server's clock`)
}
