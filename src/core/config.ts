/**
 * The one set of options every module reads. `resolveConfig()` runs once per client: it validates,
 * applies defaults, expands shorthands and freezes; the caller's object is never touched.
 */
import { type AuthOption, validateAuthOption } from './auth.js'
import type { BackoffOptions } from './backoff.js'
import { ConfigError } from './errors.js'
import type { LogLevel, Logger } from './log.js'
import { Redactor, Secret } from './secret.js'
import { VERSION } from './version.js'

/** A WebSocket constructor: the global one, `ws`, or any class shaped like it. */
export type WebSocketConstructor = new (url: string | URL, protocols?: string | string[]) => WebSocket

/** Retry policy for REST calls. */
export interface RetryOptions {
  /**
   * How many times one call may be retried after its first attempt.
   * @default 2
   */
  limit?: number
  /**
   * Backoff between attempts, full jitter.
   * @default { base: 500, cap: 8000 }
   */
  backoff?: BackoffOptions
  /**
   * The longest server-asked wait (Retry-After, RateLimit-Reset) that is honoured, in ms; a longer
   * one ends the retries with the error.
   * @default 60000
   */
  maxRetryAfter?: number
}

/** Settings shared by every module. Every field is optional. */
export interface CoreOptions {
  /**
   * The service's HTTP API root, e.g. `https://api.example.com/v1`. REST calls resolve under it.
   * @default undefined (REST calls need it)
   */
  baseUrl?: string | URL
  /**
   * The realtime WebSocket endpoint.
   * @default derived from `baseUrl`: http→ws, https→wss, path `<baseUrl path>/realtime`
   */
  realtimeUrl?: string | URL
  /**
   * Credentials for REST and realtime: a token, `{ apiKey }`, `{ token }`, or a token provider.
   * @default undefined (no auth)
   */
  auth?: AuthOption
  /**
   * The secret(s) webhooks are verified with. Several for key rotation: any one may match.
   * @default undefined
   */
  webhookSecret?: string | readonly string[]
  /**
   * Time for one attempt (REST) or one connect (realtime), in milliseconds; `false` for none.
   * @default 60000
   */
  timeout?: number | false
  /**
   * Time for a whole REST call, all retries and waits included, in milliseconds; `false` for none.
   * @default false
   */
  totalTimeout?: number | false
  /**
   * REST retries: a number is the retry limit; `false` or `0` turns retries off.
   * @default { limit: 2, backoff: { base: 500, cap: 8000 }, maxRetryAfter: 60000 }
   */
  retry?: number | boolean | RetryOptions
  /**
   * Extra headers on every REST request.
   * @default {}
   */
  headers?: Record<string, string>
  /**
   * The fetch implementation, read at each request.
   * @default globalThis.fetch
   */
  fetch?: typeof fetch
  /**
   * The WebSocket constructor, read at each connect.
   * @default globalThis.WebSocket, else the `ws` package on Node
   */
  WebSocket?: WebSocketConstructor
  /**
   * Where wirekit writes what it does; console-shaped. Silent when absent.
   * @default undefined
   */
  logger?: Logger
  /**
   * The quietest level that is written.
   * @default 'warn'
   */
  logLevel?: LogLevel
  /**
   * The User-Agent sent on REST requests where the runtime allows setting it.
   * @default 'wirekit/<version>'
   */
  userAgent?: string
}

/** Module-specific sections; each module validates its own. */
export interface ModuleSections {
  /** Options of `wirekit/rest`. */
  rest?: object
  /** Options of `wirekit/webhooks`. */
  webhooks?: object
  /** Options of `wirekit/realtime`. */
  realtime?: object
}

/** The validated, defaulted, frozen configuration every module reads. */
export interface ResolvedConfig {
  /** `baseUrl` parsed; `undefined` when not given. */
  readonly baseUrl: URL | undefined
  /**
   * `realtimeUrl` parsed, with http(s) turned into ws(s); derived from `baseUrl` when not given,
   * `undefined` when neither was.
   */
  readonly realtimeUrl: URL | undefined
  /** The `auth` option, wrapped so it never prints; `Auth` unwraps it. */
  readonly auth: Secret<AuthOption> | undefined
  /** `webhookSecret` as a list (empty when not given), each wrapped so it never prints. */
  readonly webhookSecrets: readonly Secret[]
  /** Per-attempt (REST) or per-connect (realtime) timeout in milliseconds, or `false` for none. */
  readonly timeout: number | false
  /** Whole-call budget of a REST call in milliseconds, or `false` for none. */
  readonly totalTimeout: number | false
  /** The `retry` option with its shorthands expanded; `limit` is 0 when retries are off. */
  readonly retry: Readonly<{
    /** Retries allowed after the first attempt. */
    limit: number
    /** Full-jitter backoff bounds, in milliseconds. */
    backoff: Readonly<Required<BackoffOptions>>
    /** The longest server-asked wait honoured, in milliseconds. */
    maxRetryAfter: number
  }>
  /** Extra headers for every REST request, names lower-cased. */
  readonly headers: Readonly<Record<string, string>>
  /** The `fetch` option; `undefined` means the global one, looked up at each request. */
  readonly fetch: typeof fetch | undefined
  /** The `WebSocket` option; `undefined` means the runtime's default, picked at connect. */
  readonly WebSocket: WebSocketConstructor | undefined
  /** The `logger` option; `undefined` means silent. */
  readonly logger: Logger | undefined
  /** The quietest level written; `'warn'` when not given. */
  readonly logLevel: LogLevel
  /** The User-Agent for REST requests; `wirekit/<version>` when not given. */
  readonly userAgent: string
  /** A frozen copy of the `rest` section; `wirekit/rest` validates it. */
  readonly rest: Readonly<Record<string, unknown>>
  /** A frozen copy of the `webhooks` section; `client.webhooks` validates it. */
  readonly webhooks: Readonly<Record<string, unknown>>
  /** A frozen copy of the `realtime` section; `wirekit/realtime` validates it. */
  readonly realtime: Readonly<Record<string, unknown>>
  /** Scrubs every known secret out of text; shared by the logger and Auth. */
  readonly redactor: Redactor
}

const KNOWN_OPTIONS = [
  'baseUrl',
  'realtimeUrl',
  'auth',
  'webhookSecret',
  'timeout',
  'totalTimeout',
  'retry',
  'headers',
  'fetch',
  'WebSocket',
  'logger',
  'logLevel',
  'userAgent',
  'rest',
  'webhooks',
  'realtime',
] as const

/** Names people reach for from other SDKs, and what to write instead. */
const RENAMED: Record<string, string> = {
  baseURL: 'baseUrl',
  prefixUrl: 'baseUrl',
  url: 'baseUrl',
  apiKey: 'auth: { apiKey }',
  token: 'auth',
  accessToken: 'auth',
  secret: 'webhookSecret',
  webhookSecrets: 'webhookSecret (it takes a string or an array)',
  signingSecret: 'webhookSecret',
  maxRetries: 'retry: { limit }',
  retries: 'retry',
  wsUrl: 'realtimeUrl',
  websocketUrl: 'realtimeUrl',
  socketUrl: 'realtimeUrl',
  defaultHeaders: 'headers',
  fetchImplementation: 'fetch',
}

const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent']
const DEFAULT_TIMEOUT = 60_000
const DEFAULT_RETRY = { limit: 2, backoff: { base: 500, cap: 8_000 }, maxRetryAfter: 60_000 }

/**
 * Validates and freezes options. Throws a {@link ConfigError} naming the first field at fault.
 *
 * @example
 * const config = resolveConfig({ baseUrl: 'https://api.example.com', auth: { apiKey } })
 */
export function resolveConfig(options: CoreOptions & ModuleSections = {}): ResolvedConfig {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ConfigError('options', 'must be an object')
  }
  for (const key of Object.keys(options)) checkKnown(key)

  const redactor = new Redactor()
  const baseUrl = options.baseUrl === undefined ? undefined : parseUrl('baseUrl', options.baseUrl, ['http:', 'https:'])
  const realtimeUrl =
    options.realtimeUrl === undefined
      ? baseUrl && deriveRealtimeUrl(baseUrl)
      : parseUrl('realtimeUrl', options.realtimeUrl, ['ws:', 'wss:', 'http:', 'https:'])
  if (realtimeUrl && realtimeUrl.protocol.startsWith('http')) {
    realtimeUrl.protocol = realtimeUrl.protocol === 'https:' ? 'wss:' : 'ws:'
  }

  const auth = validateAuthOption(options.auth)
  if (typeof auth === 'string') redactor.add(auth)
  else if (auth && typeof auth === 'object') redactor.add('apiKey' in auth ? auth.apiKey : auth.token)

  const webhookSecrets = resolveWebhookSecrets(options.webhookSecret)
  for (const secret of webhookSecrets) redactor.add(secret.reveal())

  const config: ResolvedConfig = {
    baseUrl,
    realtimeUrl,
    auth: auth === undefined ? undefined : new Secret(auth),
    webhookSecrets: Object.freeze(webhookSecrets),
    timeout: checkDuration('timeout', options.timeout, DEFAULT_TIMEOUT),
    totalTimeout: checkDuration('totalTimeout', options.totalTimeout, false),
    retry: resolveRetry(options.retry),
    headers: resolveHeaders(options.headers),
    fetch: checkFunction('fetch', options.fetch) as typeof fetch | undefined,
    WebSocket: checkFunction('WebSocket', options.WebSocket) as WebSocketConstructor | undefined,
    logger: resolveLogger(options.logger),
    logLevel: resolveLogLevel(options.logLevel),
    userAgent: resolveUserAgent(options.userAgent),
    rest: section('rest', options.rest),
    webhooks: section('webhooks', options.webhooks),
    realtime: section('realtime', options.realtime),
    redactor,
  }
  return Object.freeze(config)
}

function checkKnown(key: string): void {
  if ((KNOWN_OPTIONS as readonly string[]).includes(key)) return
  const renamed = RENAMED[key]
  if (renamed) throw new ConfigError(key, `is not an option; write ${renamed} instead`)
  const near = KNOWN_OPTIONS.find((known) => editDistance(known.toLowerCase(), key.toLowerCase()) <= 2)
  if (near) throw new ConfigError(key, `is not an option; did you mean ${near}?`)
  throw new ConfigError(key, `is not an option; the options are ${KNOWN_OPTIONS.join(', ')}`)
}

function parseUrl(field: string, value: unknown, protocols: readonly string[]): URL {
  if (typeof value !== 'string' && !(value instanceof URL)) {
    throw new ConfigError(field, `must be a URL string such as "https://api.example.com", got ${describe(value)}`)
  }
  let url: URL
  try {
    url = new URL(String(value))
  } catch {
    throw new ConfigError(field, 'is not a valid absolute URL; write it in full, e.g. "https://api.example.com/v1"')
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(field, `must use ${protocols.join(' or ')}, got ${url.protocol}`)
  }
  if (url.username || url.password) {
    throw new ConfigError(field, 'must not carry credentials; use the auth option instead')
  }
  if (url.search || url.hash) {
    throw new ConfigError(field, 'must not have a query or fragment; pass query parameters per request')
  }
  return url
}

/** http→ws, https→wss, and `/realtime` under the base path. */
function deriveRealtimeUrl(baseUrl: URL): URL {
  const url = new URL(baseUrl.href)
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/realtime`
  return url
}

function resolveWebhookSecrets(value: unknown): Secret[] {
  if (value === undefined) return []
  const list = typeof value === 'string' ? [value] : value
  if (!Array.isArray(list) || list.length === 0) {
    throw new ConfigError('webhookSecret', 'must be a non-empty string or a non-empty array of strings')
  }
  return list.map((secret, index) => {
    if (typeof secret !== 'string' || secret.length === 0) {
      throw new ConfigError(Array.isArray(value) ? `webhookSecret[${index}]` : 'webhookSecret', 'must be a non-empty string')
    }
    return new Secret(secret)
  })
}

function checkDuration(field: string, value: unknown, fallback: number | false): number | false {
  if (value === undefined) return fallback
  if (value === false) return false
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ConfigError(field, `must be a positive number of milliseconds or false, got ${describe(value)}`)
  }
  return value
}

function resolveRetry(value: unknown): ResolvedConfig['retry'] {
  const freeze = (limit: number, backoff: Required<BackoffOptions>, maxRetryAfter: number) =>
    Object.freeze({ limit, backoff: Object.freeze(backoff), maxRetryAfter })
  if (value === undefined || value === true) return freeze(DEFAULT_RETRY.limit, { ...DEFAULT_RETRY.backoff }, DEFAULT_RETRY.maxRetryAfter)
  if (value === false) return freeze(0, { ...DEFAULT_RETRY.backoff }, DEFAULT_RETRY.maxRetryAfter)
  if (typeof value === 'number') return freeze(checkCount('retry', value), { ...DEFAULT_RETRY.backoff }, DEFAULT_RETRY.maxRetryAfter)
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError('retry', `must be a number, a boolean or { limit, backoff, maxRetryAfter }, got ${describe(value)}`)
  }
  const record = value as Record<string, unknown>
  for (const key of Object.keys(record)) {
    if (!['limit', 'backoff', 'maxRetryAfter'].includes(key)) {
      throw new ConfigError(`retry.${key}`, 'is not an option; the options are limit, backoff, maxRetryAfter')
    }
  }
  const limit = record.limit === undefined ? DEFAULT_RETRY.limit : checkCount('retry.limit', record.limit)
  const backoff = { ...DEFAULT_RETRY.backoff }
  if (record.backoff !== undefined) {
    if (typeof record.backoff !== 'object' || record.backoff === null) {
      throw new ConfigError('retry.backoff', 'must be { base, cap } in milliseconds')
    }
    for (const [key, raw] of Object.entries(record.backoff)) {
      if (key !== 'base' && key !== 'cap') throw new ConfigError(`retry.backoff.${key}`, 'is not an option; the options are base, cap')
      if (typeof raw !== 'number' || !Number.isFinite(raw) || raw < 0) {
        throw new ConfigError(`retry.backoff.${key}`, `must be a non-negative number of milliseconds, got ${describe(raw)}`)
      }
      backoff[key] = raw
    }
    if (backoff.cap < backoff.base) throw new ConfigError('retry.backoff.cap', 'must be at least retry.backoff.base')
  }
  const maxRetryAfter = record.maxRetryAfter === undefined ? DEFAULT_RETRY.maxRetryAfter : record.maxRetryAfter
  if (typeof maxRetryAfter !== 'number' || !Number.isFinite(maxRetryAfter) || maxRetryAfter < 0) {
    throw new ConfigError('retry.maxRetryAfter', `must be a non-negative number of milliseconds, got ${describe(maxRetryAfter)}`)
  }
  return freeze(limit, backoff, maxRetryAfter)
}

function checkCount(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new ConfigError(field, `must be a whole number of retries, 0 or more, got ${describe(value)}`)
  }
  return value
}

function resolveHeaders(value: unknown): Readonly<Record<string, string>> {
  if (value === undefined) return Object.freeze({})
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Headers) {
    throw new ConfigError('headers', 'must be a plain object of header names to string values')
  }
  const out: Record<string, string> = {}
  for (const [name, raw] of Object.entries(value)) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new ConfigError(`headers.${name}`, 'is not a valid HTTP header name')
    if (typeof raw !== 'string' || /[\r\n\0]/.test(raw)) {
      throw new ConfigError(`headers.${name}`, 'must be a string without CR, LF or NUL')
    }
    if (name.toLowerCase() === 'authorization') {
      throw new ConfigError(`headers.${name}`, 'must not carry credentials; use the auth option so they refresh and stay redacted')
    }
    out[name.toLowerCase()] = raw
  }
  return Object.freeze(out)
}

function checkFunction(field: string, value: unknown): unknown {
  if (value !== undefined && typeof value !== 'function') {
    throw new ConfigError(field, `must be a function, got ${describe(value)}`)
  }
  return value
}

function resolveLogger(value: unknown): Logger | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'object' || value === null) throw new ConfigError('logger', 'must be console-shaped: { debug, info, warn, error }')
  return value as Logger
}

function resolveLogLevel(value: unknown): LogLevel {
  if (value === undefined) return 'warn'
  if (!LOG_LEVELS.includes(value as LogLevel)) {
    throw new ConfigError('logLevel', `must be one of ${LOG_LEVELS.join(', ')}, got ${describe(value)}`)
  }
  return value as LogLevel
}

function resolveUserAgent(value: unknown): string {
  if (value === undefined) return `wirekit/${VERSION}`
  if (typeof value !== 'string' || value.length === 0 || /[\r\n\0]/.test(value)) {
    throw new ConfigError('userAgent', 'must be a non-empty string without CR, LF or NUL')
  }
  return value
}

function section(field: string, value: unknown): Readonly<Record<string, unknown>> {
  if (value === undefined) return Object.freeze({})
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(field, 'must be an object of that module\'s options')
  }
  return Object.freeze({ ...value })
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (typeof value === 'string') return `a string`
  return `a ${typeof value}`
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, index) => index)
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1))
      previous = current
    }
  }
  return row[b.length]!
}
