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

/**
 * How one option is checked: it gets the raw value (`undefined` when absent) and the config resolved so
 * far, and returns its part of the resolved config. Throws a {@link ConfigError} naming the option.
 */
export type OptionCheck = (value: unknown, config: Partial<ResolvedConfig> & { redactor: Redactor }) => Partial<ResolvedConfig>

/** The options a client accepts, each with its check, in the order they are resolved. */
export type OptionChecks = { readonly [K in keyof (CoreOptions & ModuleSections)]?: OptionCheck }

/** Which resolved field each option fills. */
interface Fills {
  baseUrl: 'baseUrl'
  realtimeUrl: 'realtimeUrl'
  auth: 'auth'
  webhookSecret: 'webhookSecrets'
  timeout: 'timeout'
  totalTimeout: 'totalTimeout'
  retry: 'retry'
  headers: 'headers'
  fetch: 'fetch'
  WebSocket: 'WebSocket'
  logger: 'logger'
  logLevel: 'logLevel'
  userAgent: 'userAgent'
  rest: 'rest'
  webhooks: 'webhooks'
  realtime: 'realtime'
}

/** The resolved config of a client that accepts the options in `C`. */
export type ConfigOf<C extends OptionChecks> = Pick<ResolvedConfig, Fills[keyof C & keyof Fills] | 'redactor'>

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
const DEFAULT_BACKOFF = { base: 500, cap: 8_000 }
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/
const CONTROL = /[\r\n\0]/

// One check per option. Each module's own client takes only the options it reads (the tables at the
// end), so a bundle that builds one module alone leaves the other modules' checks out.

const baseUrl: OptionCheck = (value) => ({ baseUrl: value === undefined ? undefined : parseUrl('baseUrl', value, 'http') })

/** Given, or derived from baseUrl: http→ws, https→wss, `/realtime` under the base path. Resolve after baseUrl. */
const realtimeUrl: OptionCheck = (value, { baseUrl }) => {
  const url = value === undefined ? baseUrl && new URL(baseUrl.href) : parseUrl('realtimeUrl', value, 'ws')
  if (url && value === undefined) url.pathname = `${url.pathname.replace(/\/+$/, '')}/realtime`
  if (url?.protocol.startsWith('http')) url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
  return { realtimeUrl: url }
}

const auth: OptionCheck = (value, { redactor }) => {
  const option = validateAuthOption(value)
  if (option === undefined) return { auth: undefined }
  if (typeof option !== 'function') redactor.add(typeof option === 'string' ? option : 'apiKey' in option ? option.apiKey : option.token)
  return { auth: new Secret(option) }
}

const webhookSecret: OptionCheck = (value, { redactor }) => {
  const list = typeof value === 'string' ? [value] : (value ?? [])
  if (!Array.isArray(list) || (value !== undefined && list.length === 0)) {
    throw new ConfigError('webhookSecret', 'must be a non-empty string or a non-empty array of strings')
  }
  const secrets = list.map((secret: unknown, index) => {
    if (typeof secret !== 'string' || secret.length === 0) {
      throw new ConfigError(Array.isArray(value) ? `webhookSecret[${index}]` : 'webhookSecret', 'must be a non-empty string')
    }
    redactor.add(secret)
    return new Secret(secret)
  })
  return { webhookSecrets: Object.freeze(secrets) }
}

const timeout: OptionCheck = (value) => ({ timeout: duration('timeout', value, 60_000) })
const totalTimeout: OptionCheck = (value) => ({ totalTimeout: duration('totalTimeout', value, false) })

const retry: OptionCheck = (value) => {
  const record: Record<string, unknown> =
    value === undefined || typeof value === 'boolean' ? { limit: value === false ? 0 : 2 } : typeof value === 'number' ? { limit: value } : (value as never)
  if (!isRecord(record)) {
    throw new ConfigError('retry', `must be a number, a boolean or { limit, backoff, maxRetryAfter }, got ${describe(value)}`)
  }
  const field = typeof value === 'number' ? 'retry' : 'retry.limit'
  checkKeys('retry', record, ['limit', 'backoff', 'maxRetryAfter'])
  const limit = record.limit ?? 2
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0) {
    throw new ConfigError(field, `must be a whole number of retries, 0 or more, got ${describe(limit)}`)
  }
  const backoff = { ...DEFAULT_BACKOFF }
  if (record.backoff !== undefined) {
    if (!isRecord(record.backoff)) throw new ConfigError('retry.backoff', 'must be { base, cap } in milliseconds')
    checkKeys('retry.backoff', record.backoff, ['base', 'cap'])
    for (const key of ['base', 'cap'] as const) backoff[key] = milliseconds(`retry.backoff.${key}`, record.backoff[key], backoff[key])
    if (backoff.cap < backoff.base) throw new ConfigError('retry.backoff.cap', 'must be at least retry.backoff.base')
  }
  const maxRetryAfter = milliseconds('retry.maxRetryAfter', record.maxRetryAfter, 60_000)
  return { retry: Object.freeze({ limit, backoff: Object.freeze(backoff), maxRetryAfter }) }
}

const headers: OptionCheck = (value = {}) => {
  if (!isRecord(value) || value instanceof Headers) {
    throw new ConfigError('headers', 'must be a plain object of header names to string values')
  }
  const out: Record<string, string> = {}
  for (const [name, raw] of Object.entries(value)) {
    const field = `headers.${name}`
    if (!HEADER_NAME.test(name)) throw new ConfigError(field, 'is not a valid HTTP header name')
    if (typeof raw !== 'string' || CONTROL.test(raw)) throw new ConfigError(field, 'must be a string without CR, LF or NUL')
    if (name.toLowerCase() === 'authorization') {
      throw new ConfigError(field, 'must not carry credentials; use the auth option so they refresh and stay redacted')
    }
    out[name.toLowerCase()] = raw
  }
  return { headers: Object.freeze(out) }
}

const fetchOption: OptionCheck = (value) => ({ fetch: checkFunction('fetch', value) as typeof fetch | undefined })
const webSocketOption: OptionCheck = (value) => ({ WebSocket: checkFunction('WebSocket', value) as WebSocketConstructor | undefined })

const logger: OptionCheck = (value) => {
  if (value !== undefined && !isRecord(value)) throw new ConfigError('logger', 'must be console-shaped: { debug, info, warn, error }')
  return { logger: value as Logger | undefined }
}

const logLevel: OptionCheck = (value = 'warn') => {
  if (!LOG_LEVELS.includes(value as LogLevel)) {
    throw new ConfigError('logLevel', `must be one of ${LOG_LEVELS.join(', ')}, got ${describe(value)}`)
  }
  return { logLevel: value as LogLevel }
}

const userAgent: OptionCheck = (value = `wirekit/${VERSION}`) => {
  if (typeof value !== 'string' || value.length === 0 || CONTROL.test(value)) {
    throw new ConfigError('userAgent', 'must be a non-empty string without CR, LF or NUL')
  }
  return { userAgent: value }
}

/** A module's own section: only its shape is checked here; the module checks its fields. */
function section(name: 'rest' | 'webhooks' | 'realtime', value: unknown = {}): Partial<ResolvedConfig> {
  if (!isRecord(value)) throw new ConfigError(name, "must be an object of that module's options")
  return { [name]: Object.freeze({ ...value }) }
}

/** Every option, for `createClient()`. */
export const CLIENT_OPTIONS = {
  baseUrl,
  realtimeUrl,
  auth,
  webhookSecret,
  timeout,
  totalTimeout,
  retry,
  headers,
  fetch: fetchOption,
  WebSocket: webSocketOption,
  logger,
  logLevel,
  userAgent,
  rest: (value) => section('rest', value),
  webhooks: (value) => section('webhooks', value),
  realtime: (value) => section('realtime', value),
} satisfies OptionChecks

/** The options `createRealtimeClient()` reads. */
export const REALTIME_OPTIONS = { baseUrl, realtimeUrl, auth, timeout, WebSocket: webSocketOption, logger, logLevel, realtime: (value) => section('realtime', value) } satisfies OptionChecks

/** The part of the resolved config `wirekit/realtime` reads (what `createRealtimeClient()` resolves). */
export type RealtimeConfig = Pick<
  ResolvedConfig,
  'baseUrl' | 'realtimeUrl' | 'auth' | 'timeout' | 'WebSocket' | 'logger' | 'logLevel' | 'realtime' | 'redactor'
>

/**
 * Validates and freezes every option `createClient()` takes. Throws a {@link ConfigError} naming the
 * first field at fault.
 *
 * @example
 * const config = resolveConfig({ baseUrl: 'https://api.example.com', auth: { apiKey } })
 */
export function resolveConfig(options: CoreOptions & ModuleSections = {}): ResolvedConfig {
  return resolveOptions(options, CLIENT_OPTIONS)
}

/**
 * Validates and freezes the options in `checks`, in their order, and refuses any other key; a client
 * built alone passes only the options it reads, so its bundle holds only their checks.
 * @internal
 */
export function resolveOptions<C extends OptionChecks>(options: CoreOptions & ModuleSections, checks: C): ConfigOf<C> {
  if (!isRecord(options)) throw new ConfigError('options', 'must be an object')
  const known = Object.keys(checks)
  for (const key of Object.keys(options)) if (!known.includes(key)) unknownOption(key, known)
  const config = { redactor: new Redactor() }
  for (const key of known) Object.assign(config, checks[key as keyof OptionChecks]!(options[key as keyof typeof options], config))
  return Object.freeze(config) as ConfigOf<C>
}

function unknownOption(key: string, known: string[]): never {
  // A rename is suggested only where this client takes the option it names.
  const renamed = Object.hasOwn(RENAMED, key) && known.includes(RENAMED[key]!.split(/[ :]/)[0]!) ? RENAMED[key] : undefined
  const near = known.find((name) => editDistance(name.toLowerCase(), key.toLowerCase()) <= 2)
  throw new ConfigError(
    key,
    `is not an option; ${renamed ? `write ${renamed} instead` : near ? `did you mean ${near}?` : `the options are ${known.join(', ')}`}`,
  )
}

function checkKeys(field: string, record: object, known: string[]): void {
  for (const key of Object.keys(record)) {
    if (!known.includes(key)) throw new ConfigError(`${field}.${key}`, `is not an option; the options are ${known.join(', ')}`)
  }
}

/** `http` allows http: and https:; `ws` allows ws: and wss: too. */
function parseUrl(field: string, value: unknown, kind: 'http' | 'ws'): URL {
  if (typeof value !== 'string' && !(value instanceof URL)) {
    throw new ConfigError(field, `must be a URL string such as "https://api.example.com", got ${describe(value)}`)
  }
  let url: URL
  try {
    url = new URL(String(value))
  } catch {
    throw new ConfigError(field, 'is not a valid absolute URL; write it in full, e.g. "https://api.example.com/v1"')
  }
  const protocols = kind === 'ws' ? ['ws:', 'wss:', 'http:', 'https:'] : ['http:', 'https:']
  if (!protocols.includes(url.protocol)) throw new ConfigError(field, `must use ${protocols.join(' or ')}, got ${url.protocol}`)
  if (url.username || url.password) throw new ConfigError(field, 'must not carry credentials; use the auth option instead')
  if (url.search || url.hash) throw new ConfigError(field, 'must not have a query or fragment; pass query parameters per request')
  return url
}

function duration(field: string, value: unknown, fallback: number | false): number | false {
  if (value === undefined || value === false) return value ?? fallback
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ConfigError(field, `must be a positive number of milliseconds or false, got ${describe(value)}`)
  }
  return value
}

function milliseconds(field: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ConfigError(field, `must be a non-negative number of milliseconds, got ${describe(value)}`)
  }
  return value
}

function checkFunction(field: string, value: unknown): unknown {
  if (value !== undefined && typeof value !== 'function') throw new ConfigError(field, `must be a function, got ${describe(value)}`)
  return value
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function describe(value: unknown): string {
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return String(value)
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`
}

/** Levenshtein distance, for "did you mean". */
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
