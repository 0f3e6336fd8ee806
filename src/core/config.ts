/**
 * The one set of options every module reads. `resolveConfig()` runs once per client: it validates,
 * applies defaults, expands shorthands and freezes; the caller's object is never touched.
 */
import { type AuthOption, validateAuthOption } from './auth.js'
import type { BackoffOptions } from './backoff.js'
import { CONTROL, type Check, HEADER_NAME, backoff, check, count, describe, dictionary, fn, isRecord, milliseconds, oneOf, record, shorthand, timeLimit } from './checks.js'
import { ConfigError } from './errors.js'
import type { LogLevel, Logger } from './log.js'
import { Redactor, Secret } from './secret.js'
import { USER_AGENT } from './version.js'

/** A WebSocket constructor: the global one, `ws`, or any class shaped like it. */
export type WebSocketConstructor = new (url: string | URL, protocols?: string | string[]) => WebSocket

/**
 * A `realtimeUrl` function: called before every connection attempt, it returns (or resolves to) the
 * URL to connect to. `attempt` counts the reconnects in a row, as the `state` events do: 0 for the
 * first connection and again after one that stayed up (`realtime.stableAfterMs`).
 *
 * @example
 * const realtimeUrl: RealtimeUrlProvider = async ({ attempt }) => (await discover(attempt)).url
 */
export type RealtimeUrlProvider = (context: { readonly attempt: number }) => string | URL | Promise<string | URL>

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
   * The realtime WebSocket endpoint: one URL; a list of URLs (one per server process) tried in turn;
   * or a function called before every connection attempt, which may be async.
   *
   * A list starts at a random entry, so clients spread over the servers, and every reconnect takes
   * the next entry, so a client whose server died or refused it moves on. A function gets
   * `{ attempt }` ({@link RealtimeUrlProvider}); what it returns is checked like a URL given here, and
   * a bad URL (a ConfigError naming `realtimeUrl()`) or a throw is emitted as an `error` and counts as
   * a failed attempt, retried after the backoff. Credentials never go in the URL (a user, a password
   * or a query is refused): they go in `auth`.
   * @default derived from `baseUrl`: http→ws, https→wss, path `<baseUrl path>/realtime`
   * @example
   * realtimeUrl: ['wss://rt1.example.com/realtime', 'wss://rt2.example.com/realtime']
   */
  realtimeUrl?: string | URL | readonly (string | URL)[] | RealtimeUrlProvider
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
  /** Options of `@wirekit/sdk/rest`. */
  rest?: object
  /** Options of `@wirekit/sdk/webhooks`. */
  webhooks?: object
  /** Options of `@wirekit/sdk/realtime`. */
  realtime?: object
}

/** The validated, defaulted, frozen configuration every module reads. */
export interface ResolvedConfig {
  /** `baseUrl` parsed; `undefined` when not given. */
  readonly baseUrl: URL | undefined
  /**
   * `realtimeUrl` parsed, with http(s) turned into ws(s): a URL, a frozen list of them, or the
   * caller's function; derived from `baseUrl` when not given, `undefined` when neither was.
   */
  readonly realtimeUrl: URL | readonly URL[] | RealtimeUrlProvider | undefined
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
  /** The `rest` section, checked and defaulted by the client's option table (`resolveConfig()` only checks it is an object). */
  readonly rest: Readonly<Record<string, unknown>>
  /** The `webhooks` section, checked and defaulted by the client's option table (`resolveConfig()` only checks it is an object). */
  readonly webhooks: Readonly<Record<string, unknown>>
  /** The `realtime` section, checked and defaulted by the client's option table (`resolveConfig()` only checks it is an object). */
  readonly realtime: Readonly<Record<string, unknown>>
  /** Scrubs every known secret out of text; shared by the logger and Auth. */
  readonly redactor: Redactor
}

/** The options a client accepts, each with its check from the kit in `checks.ts`. */
export type OptionFields = { readonly [K in keyof (CoreOptions & ModuleSections)]?: Check<unknown> }

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

/** The resolved config of a client that accepts the options in `F`. */
export type ConfigOf<F extends OptionFields> = Pick<ResolvedConfig, Fills[keyof F & keyof Fills] | 'redactor'>

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

// One check per option, each from the kit. Every client builds its own table from the ones it reads
// (createClient in src/index.ts, createRestClient, createRealtimeClient), so a bundle that builds one
// module alone leaves the other modules' checks out. perf: docs/performance.md#pure-option-checks

/** `baseUrl`: an absolute http(s) URL. */
export const baseUrl: Check<URL | undefined> = (value, path) => (value === undefined ? undefined : parseUrl(path, value, 'http'))

/** `realtimeUrl`: a ws(s) or http(s) URL, a non-empty list of them, or a function; derived from `baseUrl` by `resolveOptions` when absent. */
export const realtimeUrl: Check<ResolvedConfig['realtimeUrl']> = (value, path) => {
  if (value === undefined || typeof value === 'function') return value as RealtimeUrlProvider | undefined
  if (!Array.isArray(value)) return parseUrl(path, value, 'ws')
  if (value.length === 0) throw new ConfigError(path, 'must list at least one URL')
  return Object.freeze(value.map((url, index) => parseUrl(`${path}[${index}]`, url, 'ws')))
}

/** `auth`: a token, `{ apiKey, header }`, `{ token }` or a provider, wrapped so it never prints. */
export const auth: Check<Secret<AuthOption> | undefined> = (value) => {
  const option = validateAuthOption(value)
  return option === undefined ? undefined : new Secret(option)
}

/** `webhookSecret`: one secret or a list, each wrapped so it never prints. */
export const webhookSecret: Check<readonly Secret[]> = (value, path) => {
  const list = typeof value === 'string' ? [value] : (value ?? [])
  if (!Array.isArray(list) || (value !== undefined && list.length === 0)) {
    throw new ConfigError(path, 'must be a non-empty string or a non-empty array of strings')
  }
  return Object.freeze(
    list.map((secret: unknown, index) => {
      if (typeof secret !== 'string' || secret.length === 0) throw new ConfigError(Array.isArray(value) ? `${path}[${index}]` : path, 'must be a non-empty string')
      return new Secret(secret)
    }),
  )
}

/** `timeout`: per attempt (REST) or per connect (realtime). */
export const timeout = /* @__PURE__ */ timeLimit(60_000)
/** `totalTimeout`: a whole REST call. */
export const totalTimeout = /* @__PURE__ */ timeLimit(false)

/** `retry`: a number is the limit, `false` turns retries off, or `{ limit, backoff, maxRetryAfter }`. */
export const retry: Check<ResolvedConfig['retry']> = /* @__PURE__ */ shorthand(
  // A number is checked as `retry`, the name the user wrote.
  (value, path) => (typeof value === 'number' ? { limit: count()(value, path) } : typeof value === 'boolean' ? { limit: value ? 2 : 0 } : value),
  /* @__PURE__ */ record({ limit: /* @__PURE__ */ count(2), backoff: /* @__PURE__ */ backoff(DEFAULT_BACKOFF), maxRetryAfter: /* @__PURE__ */ milliseconds(60_000) }),
  'a number, a boolean or { limit, backoff, maxRetryAfter }',
)

/** `headers`: extra REST headers, names lower-cased; credentials belong in `auth`. */
export const headers: Check<Readonly<Record<string, string>>> = /* @__PURE__ */ dictionary(
  /* @__PURE__ */ check((value) => typeof value === 'string' && !CONTROL.test(value), 'a string without CR, LF or NUL'),
  'a plain object of header names to string values',
  (name, path) => {
    if (!HEADER_NAME.test(name)) throw new ConfigError(path, 'is not a valid HTTP header name')
    if (name.toLowerCase() === 'authorization') throw new ConfigError(path, 'must not carry credentials; use the auth option so they refresh and stay redacted')
    return name.toLowerCase()
  },
)

/** `fetch`: read at each request. */
export const fetchOption: Check<typeof fetch | undefined> = /* @__PURE__ */ fn('a fetch function')
/** `WebSocket`: read at each connect. */
export const webSocketOption: Check<WebSocketConstructor | undefined> = /* @__PURE__ */ fn('a WebSocket constructor')
/** `logger`: console-shaped. */
export const logger: Check<Logger | undefined> = /* @__PURE__ */ check(isRecord, 'console-shaped: { debug, info, warn, error }')
/** `logLevel`: the quietest level written. */
export const logLevel: Check<LogLevel> = /* @__PURE__ */ oneOf(LOG_LEVELS, 'warn')
/** `userAgent`: sent where the runtime allows. */
export const userAgent: Check<string> = /* @__PURE__ */ check(
  (value) => typeof value === 'string' && value.length > 0 && !CONTROL.test(value),
  'a non-empty string without CR, LF or NUL',
  USER_AGENT,
)

/** A module section as the core sees it: an object, frozen; the module checks its fields. */
export const section: Check<Readonly<Record<string, unknown>>> = (value = {}, path) => {
  if (!isRecord(value)) throw new ConfigError(path, "must be an object of that module's options")
  return Object.freeze({ ...value })
}

/** Every core option, the module sections checked as objects only: what `resolveConfig()` takes. */
export const CORE_OPTIONS = {
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
  rest: section,
  webhooks: section,
  realtime: section,
} satisfies OptionFields

/** The part of the resolved config `@wirekit/sdk/realtime` reads (what `createRealtimeClient()` resolves). */
export type RealtimeConfig = Pick<
  ResolvedConfig,
  'baseUrl' | 'realtimeUrl' | 'auth' | 'timeout' | 'WebSocket' | 'logger' | 'logLevel' | 'realtime' | 'redactor'
>

/** The part of the resolved config `@wirekit/sdk/rest` reads (what `createRestClient()` resolves). */
export type RestConfig = Pick<
  ResolvedConfig,
  'baseUrl' | 'auth' | 'timeout' | 'totalTimeout' | 'retry' | 'headers' | 'fetch' | 'logger' | 'logLevel' | 'userAgent' | 'rest' | 'redactor'
>

/**
 * Validates and freezes every option `createClient()` takes; the module sections are checked as
 * objects here and field by field by their modules. Throws a {@link ConfigError} naming the first
 * field at fault.
 *
 * @example
 * const config = resolveConfig({ baseUrl: 'https://api.example.com', auth: { apiKey } })
 */
export function resolveConfig(options: CoreOptions & ModuleSections = {}): ResolvedConfig {
  return resolveOptions(options, CORE_OPTIONS)
}

/**
 * Validates and freezes the options in `fields` and refuses any other key; a client built alone
 * passes only the options it reads, so its bundle holds only their checks. Derives `realtimeUrl`
 * from `baseUrl` and registers every static secret with the redactor.
 * @internal
 */
export function resolveOptions<F extends OptionFields>(options: CoreOptions & ModuleSections, fields: F): ConfigOf<F> {
  const { webhookSecret, ...checked }: Record<string, unknown> = record(fields as Record<string, Check<unknown>>, RENAMED)(options, '')
  const config: Record<string, unknown> = { ...checked, redactor: new Redactor() }
  // Without a realtimeUrl, `<baseUrl path>/realtime` (baseUrl has no query or fragment, so its href ends with the path).
  if ('realtimeUrl' in fields) config.realtimeUrl = checked.realtimeUrl ?? (checked.baseUrl && parseUrl('baseUrl', (checked.baseUrl as URL).href.replace(/\/*$/, '/realtime'), 'ws'))
  if ('webhookSecret' in fields) config.webhookSecrets = webhookSecret
  registerSecrets(config as Partial<ResolvedConfig> & Pick<ResolvedConfig, 'redactor'>)
  return Object.freeze(config) as unknown as ConfigOf<F>
}

/** Every static credential goes to the redactor, so no log line can carry it. */
function registerSecrets({ auth, webhookSecrets = [], redactor }: Partial<ResolvedConfig> & Pick<ResolvedConfig, 'redactor'>): void {
  const option = auth?.reveal()
  if (typeof option === 'string') redactor.add(option)
  else if (typeof option === 'object') redactor.add('apiKey' in option ? option.apiKey : option.token)
  for (const secret of webhookSecrets) redactor.add(secret.reveal())
}

/**
 * An absolute URL, checked; a ConfigError names `field`. `http` allows http: and https:; `ws` allows
 * ws: and wss: too, and turns http(s) into ws(s) (what a `realtimeUrl` function returns is checked here).
 */
export function parseUrl(field: string, value: unknown, kind: 'http' | 'ws'): URL {
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
  if (kind === 'ws') url.protocol = url.protocol.replace('http', 'ws')
  return url
}
