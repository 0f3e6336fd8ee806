/**
 * REST's own errors and the one place ky's errors become wirekit's. Nothing here keeps ky's error or
 * the Request as a cause: both carry the request headers, Authorization included, and `util.inspect`
 * would print them.
 */
import { HTTPError, NetworkError, TimeoutError as KyTimeoutError } from 'ky'
import {
  ApiError,
  ConnectionError,
  type RateLimitInfo,
  type Redactor,
  type StandardSchemaIssue,
  TimeoutError,
  WirekitError,
  formatIssuePath,
} from '../core/index.js'
import { serverDelay } from './retry.js'

/**
 * The call was refused before anything was sent: a path parameter was missing or unsafe, a query
 * value had the wrong type, a body failed its schema, a pagination option was wrong. `field` names
 * the input at fault as the caller wrote it.
 *
 * @example
 * catch (e) { if (e instanceof InvalidRequestError) console.log(e.field) } // 'getNote.id', 'params.path.id'
 */
export class InvalidRequestError extends WirekitError {
  /** `'InvalidRequestError'`, to branch on where `instanceof` fails (another copy of the package). */
  override name = 'InvalidRequestError'
  /** The input at fault, e.g. `getNote.id` (an endpoint method's argument), `params.path.id` or `pagination.style`. */
  readonly field: string

  constructor(field: string, message: string) {
    super(`${field}: ${message}`, { code: 'invalid_request' })
    this.field = field
  }
}

/** One failing place in a response, as a validator reported it. */
export interface ValidationIssue {
  /** Where in the response: `items.0.id`, or `(root)`. */
  path: string
  /** What the validator said. */
  message: string
}

/**
 * A 2xx response did not match the endpoint's response schema. `endpoint` names the endpoint,
 * `issues` every failing path.
 *
 * @example
 * catch (e) { if (e instanceof ResponseValidationError) console.log(e.endpoint, e.issues[0]?.path) }
 */
export class ResponseValidationError extends WirekitError {
  /** `'ResponseValidationError'`, to branch on where `instanceof` fails (another copy of the package). */
  override name = 'ResponseValidationError'
  /** The endpoint name, or `METHOD /path` for calls that are not named endpoints. */
  readonly endpoint: string
  /** Every failing path with the validator's message. */
  readonly issues: readonly ValidationIssue[]
  /** The HTTP status of the response that failed validation. */
  readonly status: number

  constructor(endpoint: string, status: number, issues: readonly StandardSchemaIssue[], redactor?: Redactor) {
    // Validators quote the offending value; the redactor keeps a credential in it out of the message.
    const clean = (text: string) => (redactor ? redactor.redact(text) : text)
    const list = issues.map((issue) => ({ path: clean(formatIssuePath(issue)), message: clean(issue.message) }))
    const shown = list.slice(0, 3).map((issue) => `${issue.path}: ${issue.message}`).join('; ')
    const more = list.length > 3 ? ` (and ${list.length - 3} more)` : ''
    super(`${endpoint}: the response does not match its schema at ${shown}${more}`, { code: 'response_validation_failed' })
    this.endpoint = endpoint
    this.issues = Object.freeze(list)
    this.status = status
  }
}

/**
 * A paginated walk cannot go on: the server repeated a cursor or link, pointed off the API's origin,
 * or sent a page without its items. Bad pagination options are an {@link InvalidRequestError}.
 */
export class PaginationError extends WirekitError {
  /** `'PaginationError'`, to branch on where `instanceof` fails (another copy of the package). */
  override name = 'PaginationError'
}

/** What {@link toWirekitError} needs to know about the call. */
export interface ErrorContext {
  /** `GET /notes/{id}` or the endpoint name, never the filled URL (it may carry query secrets). */
  label: string
  requestIdHeader: string
  redactor: Redactor
  signal: AbortSignal | undefined
  /** The client's rate-limit budget, whose header parser fills `ApiError.rateLimit`; absent, the field stays empty. */
  limits?: { parse(headers: Headers): RateLimitInfo | undefined } | undefined
}

/**
 * Maps whatever a ky call threw to the wirekit error for it. An abort rethrows the signal's reason,
 * as `fetch` does; a user's own error (from a hook) passes through untouched.
 */
export function toWirekitError(error: unknown, context: ErrorContext): unknown {
  if (context.signal?.aborted && context.signal.reason === error) return error
  if (error instanceof HTTPError) return fromResponse(error.response, error.data, context)
  if (error instanceof KyTimeoutError) {
    // ky's error holds the Request (headers and all); keep what it says, minus the query string.
    const cause = new Error(context.redactor.redact(error.message.replace(/\?\S*/, '')))
    cause.name = 'KyTimeoutError'
    return new TimeoutError(`${context.label} timed out`, { cause })
  }
  if (error instanceof NetworkError) {
    // The raw fetch failure (ECONNRESET, ENOTFOUND, …), not ky's wrapper that holds the Request.
    const cause = error.cause
    const code = (cause as { cause?: { code?: unknown } } | undefined)?.cause?.code
    const detail = cause instanceof Error ? (typeof code === 'string' ? `${cause.message} (${code})` : cause.message) : 'network error'
    return new ConnectionError(context.redactor.redact(`${context.label} failed to connect: ${detail}`), { cause })
  }
  return error
}

/** How many levels of an error body are copied and scrubbed (the top one included); deeper parts become `'[…]'`. */
const MAX_BODY_DEPTH = 21

/** A non-2xx response as the ApiError subclass for its status, with what its JSON body says. */
export function fromResponse(response: Response, body: unknown, context: ErrorContext): ApiError {
  const parsed = parseErrorBody(body)
  const requestId = response.headers.get(context.requestIdHeader) ?? undefined
  const detail = parsed.message ? `: ${parsed.message}` : ''
  return ApiError.from({
    status: response.status,
    message: context.redactor.redact(`${context.label} failed with ${response.status}${detail}`),
    code: parsed.code,
    requestId,
    // A server may echo the credential back ("token … is revoked"); the body is printed with the error.
    body: context.redactor.scrub(body, MAX_BODY_DEPTH),
    headers: response.headers,
    response,
    retryAfter: response.status === 429 ? serverDelay(response.headers) : undefined,
    rateLimit: context.limits?.parse(response.headers),
  })
}

/**
 * The code and message from the common error body shapes: `{ error: { code, message } }`,
 * `{ error: "…", error_description }` (OAuth), `{ code, message }`, and RFC 9457 problem+json
 * (`{ type, title, detail }`).
 */
export function parseErrorBody(body: unknown): {
  /** The error code the body names (a problem+json `type` gives its last path segment); absent when none. */
  code?: string
  /** The human-readable message (problem+json: `title: detail`); absent when none. */
  message?: string
} {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return {}
  const record = body as Record<string, unknown>
  const nested = record.error
  if (typeof nested === 'object' && nested !== null && !Array.isArray(nested)) {
    const inner = nested as Record<string, unknown>
    return { code: text(inner.code) ?? text(inner.type), message: text(inner.message) }
  }
  if (typeof nested === 'string') {
    return { code: nested, message: text(record.error_description) ?? text(record.message) }
  }
  if ('title' in record || 'detail' in record) {
    // problem+json: `type` is a URI naming the problem; its last segment is the useful code.
    const type = text(record.type)
    const code = type && type !== 'about:blank' ? type.split(/[/#]/).filter(Boolean).pop() : undefined
    const message = [text(record.title), text(record.detail)].filter(Boolean).join(': ')
    return { code: text(record.code) ?? code, message: message || undefined }
  }
  return { code: text(record.code), message: text(record.message) }
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string' && value.length > 0) return value
  if (typeof value === 'number') return String(value)
  return undefined
}
