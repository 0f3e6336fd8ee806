/** Internal: strict readers for the small header fields every scheme shares. */
import { refuse } from './errors.js'

/** The longest delivery id accepted; real ids (msg_…, UUIDs) are under 64 characters. */
const MAX_ID_LENGTH = 256

/** A delivery id: 1–256 visible ASCII characters, nothing else. */
export function deliveryId(value: string, header: string): string {
  if (value.length === 0 || value.length > MAX_ID_LENGTH) throw refuse('malformed_header', `the ${header} header must be 1–${MAX_ID_LENGTH} characters`)
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i)
    if (code < 0x21 || code > 0x7e) throw refuse('malformed_header', `the ${header} header may hold only visible ASCII characters`)
  }
  return value
}

/** A Unix timestamp in seconds: 1–12 ASCII digits (`123abc`, `1e9`, `0x10`, `+1`, ` 1` are all refused). */
export function unixSeconds(value: string, header: string): number {
  // Read digit by digit: the check and the number in one pass (12 digits stay far below 2^53).
  let seconds = value.length === 0 || value.length > 12 ? -1 : 0
  for (let i = 0; i < value.length && seconds >= 0; i++) {
    const digit = value.charCodeAt(i) - 48
    seconds = digit >= 0 && digit <= 9 ? seconds * 10 + digit : -1
  }
  if (seconds < 0) throw refuse('malformed_header', `the ${header} header must be a Unix time in seconds, digits only`)
  return seconds
}
