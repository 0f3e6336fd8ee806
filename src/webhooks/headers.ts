/** Internal: reading one header from any of the shapes servers hand over, in any letter case. */
import { refuse } from './errors.js'

/**
 * Request headers as a Fetch `Headers`, anything with a `get(name)`, or a plain object such as Node's
 * `IncomingHttpHeaders` (keys in any case; values a string or an array of strings).
 */
export type HeadersInput =
  | Headers
  | {
      /** The value of header `name`, in any letter case, or null/undefined when absent. */
      get(name: string): string | null | undefined
    }
  | Readonly<Record<string, string | readonly string[] | undefined>>

/**
 * The longest header value read. Real signature headers are well under 1 KB; the bound keeps the work
 * on a hostile header linear and small (a 100 KB header is refused before it is parsed).
 */
export const MAX_HEADER_LENGTH = 8192

/** A header's value, or undefined when absent. Refuses values that are duplicated, not text, or too long. */
export function readHeader(headers: HeadersInput, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return checkValue((headers as { get(name: string): unknown }).get(name), name)
  }
  // `name` is always one of our lowercase header names, none of which Object.prototype has, so a
  // plain lookup is safe; it is the hot path, since Node hands over lowercase keys.
  return readRecord(headers as Readonly<Record<string, unknown>>, name, (headers as Readonly<Record<string, unknown>>)[name])
}

/**
 * A plain object's header whose exact-name lookup (`value`) the caller already made, checked; when
 * that found nothing, the header under any other spelling. Callers that know the name write the
 * lookup as `record['webhook-id']` (perf: docs/performance.md#webhooks-named-header-loads).
 */
export function readRecord(record: Readonly<Record<string, unknown>>, name: string, value: unknown): string | undefined {
  if (value === undefined) {
    let found: string | undefined
    for (const key of Object.keys(record)) {
      if (key.length !== name.length || key.toLowerCase() !== name) continue
      if (found !== undefined) throw refuse('malformed_header', `the ${name} header is present under two spellings`)
      found = key
    }
    value = found === undefined ? undefined : record[found]
  }
  return checkValue(value, name)
}

function checkValue(value: unknown, name: string): string | undefined {
  if (typeof value === 'string' && value.length <= MAX_HEADER_LENGTH) return value
  if (Array.isArray(value)) {
    if (value.length > 1) throw refuse('malformed_header', `the ${name} header was sent more than once`)
    value = value[0]
  }
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string') throw refuse('malformed_header', `the ${name} header is not text`)
  if (value.length > MAX_HEADER_LENGTH) throw refuse('malformed_header', `the ${name} header is longer than ${MAX_HEADER_LENGTH} characters`)
  return value
}

/** A header that must be there and not be empty. */
export function requireHeader(headers: HeadersInput, name: string): string {
  return required(readHeader(headers, name), name)
}

/** `value`, the header `name`, unless it is absent or empty. */
export function required(value: string | undefined, name: string): string {
  if (value === undefined || value === '') throw refuse('missing_header', `the ${name} header is missing`)
  return value
}

/** Checks the headers argument itself, so a missing one is a refusal and never a TypeError. */
export function checkHeaders(headers: unknown): HeadersInput {
  if (typeof headers !== 'object' || headers === null) {
    throw refuse('missing_header', 'no request headers were given: pass the headers object of the request')
  }
  return headers as HeadersInput
}
