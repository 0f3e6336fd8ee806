/**
 * Idempotency keys: every POST and PATCH gets one (a UUID v4) unless the caller gives their own or
 * opts out, and the same key goes out on every attempt of that call, so a server that deduplicates
 * by key performs the write once however many times the network made us send it.
 */
import { InvalidRequestError } from './errors.js'

/** The header the key travels in. */
export const IDEMPOTENCY_HEADER = 'idempotency-key'

const KEYED_METHODS = new Set(['POST', 'PATCH'])

/**
 * The key for one call: the caller's own, a fresh UUID v4, or none (`false`, or a method that does
 * not need one).
 */
export function idempotencyKeyFor(method: string, given: string | false | undefined, enabled: boolean): string | undefined {
  if (!KEYED_METHODS.has(method)) {
    if (typeof given === 'string') return checkKey(given)
    return undefined
  }
  if (given === false) return undefined
  if (typeof given === 'string') return checkKey(given)
  if (given !== undefined) throw new InvalidRequestError('idempotencyKey', 'must be a string, or false to send none')
  return enabled ? globalThis.crypto.randomUUID() : undefined
}

function checkKey(key: string): string {
  // Printable ASCII only: it goes into a header verbatim.
  if (key.length === 0 || key.length > 255 || !/^[\x21-\x7e]+$/.test(key)) {
    throw new InvalidRequestError('idempotencyKey', 'must be 1–255 printable ASCII characters without spaces')
  }
  return key
}
