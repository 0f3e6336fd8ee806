/** Internal: the timestamp window, checked in both directions (stripe-node checks only the past). */
import { refuse } from './errors.js'

/** Refuses a signed timestamp (seconds) further than the window from `nowMs`. */
export function checkTimestamp(timestamp: number, nowMs: number, past: number, future: number): void {
  const current = Math.floor(nowMs / 1000)
  if (current - timestamp > past) throw refuse('timestamp_too_old', `the signed timestamp is more than ${past} s old`)
  if (timestamp - current > future) throw refuse('timestamp_in_future', `the signed timestamp is more than ${future} s ahead of this server's clock`)
}
