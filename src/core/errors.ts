/**
 * The wirekit error family. Every error wirekit throws extends {@link WirekitError}; callers branch on
 * the machine-readable fields (`code`, `status`, `reason`, `closeCode`), never on message text.
 */

const BRAND = Symbol.for('wirekit.error')

/** Options shared by every wirekit error. */
export interface WirekitErrorOptions {
  /** A stable, machine-readable code such as `invalid_config` or `rate_limited`. */
  code?: string
  /** The underlying error, kept for debugging. */
  cause?: unknown
}

/**
 * The base of every error wirekit throws.
 *
 * @example
 * try { await client.rest.getNote({ id }) } catch (e) { if (isWirekitError(e)) console.log(e.code) }
 */
export class WirekitError extends Error {
  /**
   * The class name; each subclass sets its own. {@link isWirekitError} checks it, so it identifies the
   * error even where `instanceof` fails (another copy of the package).
   */
  override name = 'WirekitError'
  /** A stable, machine-readable code. */
  readonly code: string

  constructor(message: string, options: WirekitErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = options.code ?? 'wirekit_error'
    Object.defineProperty(this, BRAND, { value: true })
  }

  /** A plain object for logs: name, code, message and the subclass's own fields. Never the cause. */
  toJSON(): Record<string, unknown> {
    const json: Record<string, unknown> = { name: this.name, code: this.code, message: this.message }
    for (const [key, value] of Object.entries(this)) {
      if (!(key in json)) json[key] = value
    }
    return json
  }
}

const WIREKIT_ERROR_NAMES = new Set([
  'WirekitError',
  'ConfigError',
  'AuthError',
  'ApiError',
  'BadRequestError',
  'AuthenticationError',
  'PermissionDeniedError',
  'NotFoundError',
  'ConflictError',
  'UnprocessableEntityError',
  'RateLimitError',
  'InternalServerError',
  'ConnectionError',
  'TimeoutError',
  'WebhookVerificationError',
  'RealtimeError',
  'InvalidRequestError',
  'ResponseValidationError',
  'PaginationError',
])

/**
 * True for any wirekit error, also one thrown by another copy of the package (a second install, or
 * the CJS build beside the ESM one), where `instanceof` alone would say no.
 *
 * @example
 * if (isWirekitError(error) && error.code === 'rate_limited') retryLater()
 */
export function isWirekitError(error: unknown): error is WirekitError {
  if (error instanceof WirekitError) return true
  if (typeof error !== 'object' || error === null) return false
  const candidate = error as { name?: unknown; code?: unknown; [BRAND]?: unknown }
  return (
    candidate[BRAND] === true &&
    typeof candidate.name === 'string' &&
    WIREKIT_ERROR_NAMES.has(candidate.name) &&
    typeof candidate.code === 'string'
  )
}

/** Bad options given to {@link createClient} or to a module; `field` names the option at fault. */
export class ConfigError extends WirekitError {
  /** `'ConfigError'`, to branch on where `instanceof` fails (another copy of the package). */
  override name = 'ConfigError'
  /** The option path at fault, e.g. `retry.limit`. */
  readonly field: string

  constructor(field: string, message: string, options: WirekitErrorOptions = {}) {
    super(`${field}: ${message}`, { code: 'invalid_config', ...options })
    this.field = field
  }
}

/** The credential could not be had: the token provider threw or returned something unusable. */
export class AuthError extends WirekitError {
  /** `'AuthError'`, to branch on where `instanceof` fails (another copy of the package). */
  override name = 'AuthError'
}

/** What an {@link ApiError} is built from. */
export interface ApiErrorInit {
  /** The HTTP status; {@link ApiError.from} picks the subclass by it. */
  status: number
  /** @default `request failed with status <status>` */
  message?: string
  /** A machine-readable code, usually from the error body. @default one derived from the status, e.g. `not_found` for 404 */
  code?: string
  /** The server's request id, read from the configured request-id header. */
  requestId?: string
  /** The parsed response body. */
  body?: unknown
  /** The response headers. @default empty Headers */
  headers?: Headers
  /** The raw Response; kept non-enumerable on the error. */
  response?: Response
  /** The underlying error, kept as the error's `cause`. */
  cause?: unknown
  /** For 429: how long the server asked to wait, in milliseconds. */
  retryAfter?: number
  /** The rate limit the response announced, when the client reads limits (`rest.limits`). */
  rateLimit?: RateLimitInfo
}

/**
 * A rate limit as a server announced it in its headers (`RateLimit`, `RateLimit-*`, `X-RateLimit-*`).
 *
 * @example
 * catch (e) { if (e instanceof ApiError && e.rateLimit?.remaining === 0) console.log(`resets in ${e.rateLimit.reset} ms`) }
 */
export interface RateLimitInfo {
  /** The policy the server named (`RateLimit: "burst";…`, GitHub's `X-RateLimit-Resource`). @default undefined */
  readonly policy?: string
  /** Requests allowed per window. @default undefined */
  readonly limit?: number
  /** Requests left in the current window. @default undefined */
  readonly remaining?: number
  /** Milliseconds until the window resets, from when the response arrived. @default undefined */
  readonly reset?: number
  /** The window's length in milliseconds, when the server states it (the IETF policy's `w`). @default undefined */
  readonly window?: number
}

/**
 * The server answered with a non-2xx status. Use {@link ApiError.from} to get the subclass that
 * matches the status (`NotFoundError` for 404, …).
 */
export class ApiError extends WirekitError {
  /** `'ApiError'`; each status subclass sets its own. To branch on where `instanceof` fails (another copy of the package). */
  override name = 'ApiError'
  /** The HTTP status. */
  readonly status: number
  /** The request id the server gave (from the configured header), for support tickets. */
  readonly requestId: string | undefined
  /** The parsed response body (JSON when it was JSON, else text). */
  readonly body: unknown
  /** The response headers. */
  readonly headers: Headers
  /** The raw Response, when there was one. Not enumerable, so logs stay small. */
  declare readonly response: Response | undefined
  /** The rate limit the response announced, when the client reads limits (`rest.limits`). */
  readonly rateLimit: RateLimitInfo | undefined

  constructor(init: ApiErrorInit) {
    super(init.message ?? `request failed with status ${init.status}`, {
      code: init.code ?? defaultCodeFor(init.status),
      cause: init.cause,
    })
    this.status = init.status
    this.requestId = init.requestId
    this.body = init.body
    this.headers = init.headers ?? new Headers()
    this.rateLimit = init.rateLimit
    Object.defineProperty(this, 'response', { value: init.response, enumerable: false })
  }

  /** Builds the subclass that matches `init.status`; the one place that maps statuses to classes. */
  static from(init: ApiErrorInit): ApiError {
    const { status } = init
    if (status === 400) return new BadRequestError(init)
    if (status === 401) return new AuthenticationError(init)
    if (status === 403) return new PermissionDeniedError(init)
    if (status === 404) return new NotFoundError(init)
    if (status === 409) return new ConflictError(init)
    if (status === 422) return new UnprocessableEntityError(init)
    if (status === 429) return new RateLimitError(init)
    if (status >= 500) return new InternalServerError(init)
    return new ApiError(init)
  }
}

function defaultCodeFor(status: number): string {
  switch (status) {
    case 400:
      return 'bad_request'
    case 401:
      return 'unauthenticated'
    case 403:
      return 'permission_denied'
    case 404:
      return 'not_found'
    case 409:
      return 'conflict'
    case 422:
      return 'unprocessable_entity'
    case 429:
      return 'rate_limited'
    default:
      return status >= 500 ? 'server_error' : 'api_error'
  }
}

/** 400 Bad Request. */
export class BadRequestError extends ApiError {
  /** `'BadRequestError'`, to branch on where `instanceof` fails (another copy of the package). */
  override name = 'BadRequestError'
}
/** 401 Unauthorized: the credential was refused (after one refresh-and-replay). */
export class AuthenticationError extends ApiError {
  /** `'AuthenticationError'`, to branch on where `instanceof` fails (another copy of the package). */
  override name = 'AuthenticationError'
}
/** 403 Forbidden. */
export class PermissionDeniedError extends ApiError {
  /** `'PermissionDeniedError'`, to branch on where `instanceof` fails (another copy of the package). */
  override name = 'PermissionDeniedError'
}
/** 404 Not Found. */
export class NotFoundError extends ApiError {
  /** `'NotFoundError'`, to branch on where `instanceof` fails (another copy of the package). */
  override name = 'NotFoundError'
}
/** 409 Conflict. */
export class ConflictError extends ApiError {
  /** `'ConflictError'`, to branch on where `instanceof` fails (another copy of the package). */
  override name = 'ConflictError'
}
/** 422 Unprocessable Entity. */
export class UnprocessableEntityError extends ApiError {
  /** `'UnprocessableEntityError'`, to branch on where `instanceof` fails (another copy of the package). */
  override name = 'UnprocessableEntityError'
}
/** 429 Too Many Requests; `retryAfter` is the wait the server asked for, in milliseconds. */
export class RateLimitError extends ApiError {
  /** `'RateLimitError'`, to branch on where `instanceof` fails (another copy of the package). */
  override name = 'RateLimitError'
  /** Milliseconds the server asked to wait, when it said. */
  readonly retryAfter: number | undefined

  constructor(init: ApiErrorInit) {
    super(init)
    this.retryAfter = init.retryAfter
  }
}
/** Any 5xx status. */
export class InternalServerError extends ApiError {
  /** `'InternalServerError'`, to branch on where `instanceof` fails (another copy of the package). */
  override name = 'InternalServerError'
}

/** The request never got an HTTP answer: DNS, refused, reset, TLS. The cause is kept. */
export class ConnectionError extends WirekitError {
  /** `'ConnectionError'`, to branch on where `instanceof` fails (another copy of the package). */
  override name = 'ConnectionError'

  constructor(message = 'connection failed', options: WirekitErrorOptions = {}) {
    super(message, { code: 'connection_failed', ...options })
  }
}

/** An attempt or the whole call ran out of time. */
export class TimeoutError extends WirekitError {
  /** `'TimeoutError'`, to branch on where `instanceof` fails (another copy of the package). */
  override name = 'TimeoutError'

  constructor(message = 'request timed out', options: WirekitErrorOptions = {}) {
    super(message, { code: 'timeout', ...options })
  }
}

/** Why a webhook was refused; stable strings to branch on. */
export type WebhookFailureReason =
  | 'missing_header'
  | 'malformed_header'
  | 'no_matching_signature'
  | 'timestamp_too_old'
  | 'timestamp_in_future'
  | 'payload_not_raw'
  | 'replayed'
  | 'invalid_secret'
  | 'invalid_payload'
  | (string & {})

/** A webhook failed verification; `reason` says why. */
export class WebhookVerificationError extends WirekitError {
  /** `'WebhookVerificationError'`, to branch on where `instanceof` fails (another copy of the package). */
  override name = 'WebhookVerificationError'
  /** Why it was refused. */
  readonly reason: WebhookFailureReason

  constructor(reason: WebhookFailureReason, message: string, options: WirekitErrorOptions = {}) {
    super(message, { code: 'webhook_verification_failed', ...options })
    this.reason = reason
  }
}

/** The realtime connection failed for good, or an operation on it did; `closeCode` when a close caused it. */
export class RealtimeError extends WirekitError {
  /** `'RealtimeError'`, to branch on where `instanceof` fails (another copy of the package). */
  override name = 'RealtimeError'
  /** The WebSocket close code that caused this, if any. */
  readonly closeCode: number | undefined

  constructor(message: string, options: WirekitErrorOptions & { closeCode?: number } = {}) {
    super(message, { code: 'realtime_error', ...options })
    this.closeCode = options.closeCode
  }
}
