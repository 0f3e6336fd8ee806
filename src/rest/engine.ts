/**
 * The one engine under every REST call, whatever typed surface it came from: build the URL and
 * headers, take the credential from the shared Auth, hand the attempt loop to ky, replay once on a
 * 401 with a fresh token, read the body, and map any failure to a wirekit error.
 */
import ky, { HTTPError, type Hooks, type Options as KyOptions, SchemaValidationError } from 'ky'
import { CONTROL, HEADER_NAME } from '../core/checks.js'
import { type ClientContext, ConfigError, type Credentials, type RestConfig, type StandardSchemaV1, TimeoutError, type WirekitError, isWirekitError } from '../core/index.js'
import { InvalidRequestError, ResponseValidationError, toWirekitError } from './errors.js'
import type { RateLimits } from './budget.js'
import type { RevalidationCache } from './cache.js'
import type { RestHooks } from './hooks.js'
import { IDEMPOTENCY_HEADER, idempotencyKeyFor } from './idempotency.js'
import { redirectSafeFetch } from './redirect.js'
import { type RetryPolicy, kyRetryOptions } from './retry.js'
import { type QueryValue, appendQuery, basePrefix, expandPath } from './url.js'

/** The HTTP methods an endpoint may use; `request()` also takes QUERY. */
export const METHODS: readonly string[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']

/** The settings a REST client runs with, resolved and frozen (src/rest/options.ts makes them). */
export interface RestSettings {
  readonly headers: Readonly<Record<string, string>>
  readonly timeout: number | false
  readonly totalTimeout: number | false
  readonly retry: Readonly<RetryPolicy>
  readonly hooks: Readonly<Required<{ [K in keyof RestHooks]: NonNullable<RestHooks[K]> }>>
  readonly idempotencyKeys: boolean
  readonly requestIdHeader: string
  /** The rate-limit budget, when `rest.limits` gave one. */
  readonly limits?: RateLimits | undefined
  /** The revalidation cache, when `rest.cache` gave one. */
  readonly cache?: RevalidationCache | undefined
}

/** Per-call options every REST method takes. */
export interface CallOptions {
  /**
   * Cancels the call in any phase: waiting for a token, connecting, reading, sleeping before a
   * retry. The call rejects with the signal's reason, as `fetch` does.
   * @default undefined
   */
  signal?: AbortSignal
  /**
   * Extra headers for this call only, over the client's `headers`.
   * @default {}
   */
  headers?: Record<string, string>
  /**
   * The Idempotency-Key for a POST or PATCH: your own string, or `false` to send none (and so never
   * retry the write).
   * @default a fresh UUID v4, reused on every attempt of the call
   */
  idempotencyKey?: string | false
  /**
   * Per-attempt timeout for this call, in ms, or `false`.
   * @default the client's `timeout`
   */
  timeout?: number | false
}

/** One call as the engine sees it. */
export interface Call {
  method: string
  /** A path template under baseUrl, e.g. `/notes/{id}`. Ignored when `url` is given. */
  path: string
  /** How errors name this call: the endpoint name; `METHOD /path` when absent. */
  label?: string
  pathParams?: Readonly<Record<string, unknown>> | undefined
  /** How errors name a path parameter: `params.path.` (the default) or, for an endpoint, `getNote.`. */
  pathParamsAt?: string
  query?: Readonly<Record<string, QueryValue>> | undefined
  body?: unknown
  /** An absolute URL already checked to be under baseUrl (a pagination link). */
  url?: string
  /** Validates a 2xx body at run time. */
  schema?: StandardSchemaV1 | undefined
  options?: CallOptions | undefined
  /** `options` also holds the call's `params` and `body` (`request()` takes them in one object). */
  withInput?: boolean
}

/** What a call resolves to inside wirekit; the public methods return `data`. */
export interface CallResult<T> {
  data: T
  response: Response
}

const REQUEST_METHODS = new Set([...METHODS, 'QUERY'])
const CALL_OPTION_KEYS = new Set(['signal', 'headers', 'idempotencyKey', 'timeout'])
const NO_BODY_STATUSES = new Set([204, 205, 304])
const JSON_TYPE = /^application\/(?:[\w.+-]*\+)?json\s*(?:;|$)/i
// setTimeout's limit, a 32-bit signed int; ky refuses anything longer.
const MAX_TIMEOUT = 2_147_483_647

/** The engine a REST client and all its derived clients share the Auth through. */
export class RestEngine {
  readonly context: ClientContext<RestConfig>
  readonly settings: RestSettings
  readonly #prefix: string | undefined
  readonly #fetch: typeof fetch
  readonly #hooks: Hooks | undefined
  readonly #baseHeaders: Record<string, string>
  // perf: docs/performance.md#rest-shared-retry-options
  readonly #retryPlain: KyOptions['retry']
  readonly #retryKeyed: KyOptions['retry']
  #lastCredentials: Credentials | undefined
  #lastHeaders: Record<string, string> | undefined

  constructor(context: ClientContext<RestConfig>, settings: RestSettings) {
    this.context = context
    this.settings = settings
    const { config } = context
    this.#prefix = config.baseUrl && basePrefix(config.baseUrl)
    // Read the fetch option at each request, not now (an app may swap globalThis.fetch in tests).
    const base: typeof fetch = (input, init) => (config.fetch ?? globalThis.fetch)(input, init)
    const safe = redirectSafeFetch(base, credentialHeaders(context.auth.header))
    // Under ky, so its retries, timeouts and hooks see the 304 already answered with the stored body.
    const cached = settings.cache ? settings.cache.wrap(safe, credentialHeaders(context.auth.header), settings.hooks.afterResponse.length > 0) : safe
    this.#fetch = cached
    this.#hooks = kyHooks(settings, context)
    this.#baseHeaders = { accept: 'application/json', 'user-agent': config.userAgent, ...settings.headers }
    this.#retryPlain = kyRetryOptions(settings.retry, false)
    this.#retryKeyed = kyRetryOptions(settings.retry, true)
  }

  /** Sends one call: the attempts, the 401 replay, the body, the error mapping. */
  async send<T>(call: Call): Promise<CallResult<T>> {
    const options = call.options ?? {}
    const signal = options.signal
    const { auth } = this.context
    const total = this.settings.totalTimeout
    const started = total === false ? 0 : performance.now()
    let replayed = false
    const { limits } = this.settings
    // The budget's record of this call's attempts, across its ky calls (a 401 replay, a retry that
    // waited for its place).
    const holder = limits && {}
    try {
      const { url, method, init } = this.#prepare(call, options)
      const headers = init.headers as Record<string, string>
      for (;;) {
        // The credential is taken once per ky call (ky's own retries reuse it) and again for the
        // 401 replay; `undefined` when no auth is configured.
        const credentials = await whileNotAborted(auth.credentials(), signal)
        // perf: docs/performance.md#rest-one-init-per-call
        init.headers = credentials === undefined ? headers : this.#withCredentials(headers, credentials)
        let response: Response | undefined
        try {
          if (holder) {
            // The first attempt's wait comes before ky's call, so it counts against totalTimeout and not
            // against the per-attempt timeout (perf: docs/performance.md#rest-budget-hooks).
            const waiting = limits!.acquire(holder, url, signal)
            if (waiting) await limits!.within(waiting, this.#remaining(total, started), labelOf(call))
            init.fetch = limits!.fetchFor(holder, this.#fetch)
          }
          if (total !== false) {
            // A 401 replay is a new ky call; it gets what is left of the budget, not a fresh one.
            const remaining = total - (performance.now() - started)
            if (remaining <= 0) throw new TimeoutError(`${labelOf(call)} timed out`)
            init.totalTimeout = remaining
          }
          const pending = ky(url, init)
          response = await pending
          return { data: (await readBody(pending, response, method, call.schema, this.settings.cache)) as T, response }
        } catch (error) {
          // A retry that has to wait for the budget waits here, not inside ky's attempt timeout; the
          // next ky call makes that attempt, with the retries that are left.
          if (await limits?.resume(holder!, error, init, this.settings.retry.limit, this.#remaining(total, started), labelOf(call))) continue
          // One replay with a fresh token; `invalidate(token)` makes a burst of 401s refresh once.
          if (!replayed && error instanceof HTTPError && error.response.status === 401 && credentials !== undefined && auth.refreshable) {
            replayed = true
            auth.invalidate(credentials.token)
            this.context.log.debug('401: refreshing the token and replaying once', { call: labelOf(call) })
            continue
          }
          const { redactor } = this.context.config
          if (error instanceof SchemaValidationError) throw new ResponseValidationError(labelOf(call), response?.status ?? 0, error.issues, redactor)
          if (error instanceof SyntaxError && response) {
            throw new ResponseValidationError(labelOf(call), response.status, [{ message: `the body is not valid JSON (${error.message})` }], redactor)
          }
          throw error
        }
      }
    } catch (error) {
      throw await this.#fail(error, labelOf(call), signal)
    } finally {
      if (holder) limits!.end(holder)
    }
  }

  /** What is left of the call's total timeout, ms, or `false` when it has none. */
  #remaining(total: number | false, started: number): number | false {
    return total === false ? false : total - (performance.now() - started)
  }

  /**
   * The call's headers with the credential's. A call that adds no headers of its own gets the object
   * built for the last such call while Auth hands out the same credentials (ky only reads it).
   * perf: docs/performance.md#rest-credentials
   */
  #withCredentials(headers: Record<string, string>, credentials: Credentials): Record<string, string> {
    if (headers !== this.#baseHeaders) return { ...headers, ...credentials.headers }
    if (credentials !== this.#lastCredentials) {
      this.#lastHeaders = { ...headers, ...credentials.headers }
      this.#lastCredentials = credentials
    }
    return this.#lastHeaders!
  }

  #prepare(call: Call, options: CallOptions): { url: string; method: string; init: KyOptions } {
    if (this.#prefix === undefined) throw new ConfigError('baseUrl', 'is required for REST calls, e.g. "https://api.example.com/v1"')
    for (const key of Object.keys(options)) {
      if (!CALL_OPTION_KEYS.has(key) && !(call.withInput && (key === 'params' || key === 'body'))) throw new InvalidRequestError(`options.${key}`, `is not a call option; the options are ${[...CALL_OPTION_KEYS].join(', ')}`)
    }
    const method = typeof call.method === 'string' ? call.method.toUpperCase() : ''
    if (!REQUEST_METHODS.has(method)) throw new InvalidRequestError('method', `must be one of ${[...REQUEST_METHODS].join(', ')}`)
    if (options.timeout !== undefined && options.timeout !== false && !(typeof options.timeout === 'number' && options.timeout > 0 && options.timeout <= MAX_TIMEOUT)) {
      throw new InvalidRequestError('options.timeout', `must be a positive number of milliseconds up to ${MAX_TIMEOUT}, or false`)
    }
    const url = call.url ?? appendQuery(this.#prefix + expandPath(call.path, call.pathParams, call.pathParamsAt), call.query)

    // perf: docs/performance.md#rest-credentials
    let headers = this.#baseHeaders
    if (options.headers !== undefined) {
      headers = { ...headers }
      for (const [name, value] of Object.entries(options.headers)) {
        if (!HEADER_NAME.test(name) || typeof value !== 'string' || CONTROL.test(value)) {
          throw new InvalidRequestError(`options.headers.${name}`, 'must be a valid header name with a string value without CR, LF or NUL')
        }
        if (name.toLowerCase() === 'authorization') {
          throw new InvalidRequestError('options.headers.authorization', 'must not carry credentials; use the auth option')
        }
        headers[name.toLowerCase()] = value
      }
    }
    const key = idempotencyKeyFor(method, options.idempotencyKey ?? headers[IDEMPOTENCY_HEADER], this.settings.idempotencyKeys)
    if (key !== undefined) headers = { ...headers, [IDEMPOTENCY_HEADER]: key }

    const init: KyOptions = {
      method,
      headers,
      retry: key === undefined ? this.#retryPlain : this.#retryKeyed,
      timeout: options.timeout ?? this.settings.timeout,
      fetch: this.#fetch,
      redirect: 'manual',
    }
    if (options.signal !== undefined) init.signal = options.signal
    if (this.#hooks) init.hooks = this.#hooks
    if (call.body !== undefined) {
      if (method === 'GET' || method === 'HEAD') throw new InvalidRequestError('body', `a ${method} request cannot have a body`)
      if (isRawBody(call.body)) init.body = call.body
      else init.json = call.body
    }
    return { url, method, init }
  }

  async #fail(error: unknown, label: string, signal: AbortSignal | undefined): Promise<unknown> {
    const { config, log } = this.context
    const mapped = toWirekitError(error, { label, requestIdHeader: this.settings.requestIdHeader, redactor: config.redactor, signal, limits: this.settings.limits })
    if (isWirekitError(mapped)) {
      log.debug('call failed', { call: label, name: mapped.name, code: mapped.code, message: mapped.message })
      for (const hook of this.settings.hooks.onError) await hook({ error: mapped as WirekitError, label })
    }
    return mapped
  }
}

/** How errors and logs name a call: its endpoint name, or `METHOD /path` (built only when needed). */
function labelOf(call: Call): string {
  return call.label ?? `${String(call.method).toUpperCase()} ${call.path}`
}

/**
 * Reads a 2xx body: nothing for 204/HEAD, JSON checked by the schema when there is one, JSON for a
 * JSON type, else text. The cache hands over a stored body it answered a 304 with, and keeps the
 * text read here when the response is to be stored (perf: docs/performance.md#rest-cache-bodies).
 */
async function readBody(
  pending: ReturnType<typeof ky>,
  response: Response,
  method: string,
  schema: StandardSchemaV1 | undefined,
  cache: RevalidationCache | undefined,
): Promise<unknown> {
  if (method === 'HEAD' || NO_BODY_STATUSES.has(response.status)) {
    await response.body?.cancel().catch(() => undefined)
    return undefined
  }
  let text = cache?.text(response)
  if (text === undefined) {
    text = await pending.text()
    const storing = cache?.capture(response, text)
    if (storing) await storing
  }
  if (schema) {
    // What ky's `json(schema)` does: an empty body is `undefined` to the schema.
    const result = await schema['~standard'].validate(text === '' ? undefined : JSON.parse(text))
    if (result.issues) throw new SchemaValidationError(result.issues)
    return result.value
  }
  if (!JSON_TYPE.test(response.headers.get('content-type') ?? '')) return text
  return text === '' ? undefined : JSON.parse(text)
}

function isRawBody(body: unknown): body is BodyInit {
  return typeof body === 'string' || ArrayBuffer.isView(body) || [FormData, URLSearchParams, Blob, ArrayBuffer, ReadableStream].some((type) => body instanceof type)
}

/** The header names that carry the credential, so a cross-origin redirect can drop them. */
function credentialHeaders(header: string): string[] {
  return header === 'authorization' ? [header] : ['authorization', header]
}

/** Waits for `promise` unless `signal` aborts first; then rejects with the signal's reason. No timer. */
function whileNotAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise
  return new Promise<T>((resolve, reject) => {
    // Already aborted: throwing here rejects with the signal's reason.
    signal.throwIfAborted()
    const onAbort = () => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}

/** ky hooks for the user's hooks and debug logging; none at all when there is nothing to run. */
function kyHooks(settings: RestSettings, context: ClientContext<RestConfig>): Hooks | undefined {
  const { beforeRequest, afterResponse } = settings.hooks
  const debug = context.config.logger !== undefined && context.config.logLevel === 'debug'
  if (beforeRequest.length === 0 && afterResponse.length === 0 && !debug) return undefined
  const log = context.log
  // A ky call that follows a retry's wait for the budget (see send) starts at the call's attempt count.
  const before = (options: { context: Record<string, unknown> }) => (options.context.attemptsBefore as number | undefined) ?? 0
  const hooks: Hooks = {}
  if (beforeRequest.length > 0 || debug) {
    hooks.beforeRetry = [
      async ({ request, options, retryCount, error }) => {
        const attempt = before(options) + retryCount
        if (debug) log.debug('retrying', { method: request.method, attempt, after: error.name })
        for (const hook of beforeRequest) await hook({ request, attempt })
      },
    ]
  }
  if (beforeRequest.length > 0) {
    hooks.beforeRequest = [
      async ({ request, options }) => {
        for (const hook of beforeRequest) await hook({ request, attempt: before(options) })
      },
    ]
  }
  // Only for the user's hooks: ky hands each afterResponse hook a clone of the response (a tee of its body).
  if (afterResponse.length > 0) {
    hooks.afterResponse = [
      async ({ request, options, response, retryCount }) => {
        for (const hook of afterResponse) await hook({ request, response, attempt: before(options) + retryCount })
      },
    ]
  }
  return hooks
}
