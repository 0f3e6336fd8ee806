/**
 * The `rest` section of the client options, and the per-client settings derived clients override.
 * Validated once, when the client is made; a misspelled option is a ConfigError naming it.
 */
import { ConfigError, type RandomSource, type ResolvedConfig, type RestConfig, type RetryOptions, type WirekitError } from '../core/index.js'
import type { Endpoints } from './endpoints.js'
import type { RetryPolicy } from './retry.js'

/** What a `beforeRequest` hook sees. It may change `request.headers`. */
export interface BeforeRequestContext {
  /** The outgoing request, credential included: log `request.method` and `request.url`, not its headers. */
  request: Request
  /** 0 for the first attempt, 1 for the first retry, … */
  attempt: number
}

/** What an `afterResponse` hook sees: every response, including ones that will be retried. */
export interface AfterResponseContext {
  /** The request this response answers, credential included: do not log its headers. */
  request: Request
  /** A clone: reading its body does not disturb the call. */
  response: Response
  /** 0 for the first attempt, 1 for the first retry, … */
  attempt: number
}

/** What an `onError` hook sees: the final error of a call that failed, after all retries. */
export interface OnErrorContext {
  /** The wirekit error the call failed with. */
  error: WirekitError
  /** `GET /notes/{id}`, or the endpoint name. */
  label: string
}

/**
 * Hooks for logging and metrics. `beforeRequest` and `afterResponse` run on ky's hooks, once per
 * attempt; `onError` runs once per failed call with the wirekit error. An exception thrown by a hook
 * fails the call and reaches the caller unchanged.
 *
 * @example
 * hooks: { afterResponse: [({ request, response }) => metrics.count(request.method, response.status)] }
 */
export interface RestHooks {
  /** @default [] */
  beforeRequest?: ReadonlyArray<(context: BeforeRequestContext) => void | Promise<void>>
  /** @default [] */
  afterResponse?: ReadonlyArray<(context: AfterResponseContext) => void | Promise<void>>
  /** @default [] */
  onError?: ReadonlyArray<(context: OnErrorContext) => void | Promise<void>>
}

/**
 * Options of `@wirekit/sdk/rest`, given as `rest: { … }` to `createClient()` or `createRestClient()`.
 *
 * @example
 * createClient({ baseUrl, rest: { endpoints, requestIdHeader: 'x-amzn-requestid' } })
 */
export interface RestOptions<E extends Endpoints = Endpoints> {
  /**
   * Named endpoints; each becomes a typed method on `client.rest`.
   * @default {}
   */
  endpoints?: E
  /**
   * The response header that carries the server's request id, copied to `ApiError.requestId`.
   * @default 'x-request-id'
   */
  requestIdHeader?: string
  /**
   * Add an `Idempotency-Key` (UUID v4) to every POST and PATCH that has none; without one, a POST or
   * PATCH is never retried. `false` sends keys only when a call passes its own.
   * @default true
   */
  idempotencyKeys?: boolean
  /**
   * Logging and metrics hooks.
   * @default {}
   */
  hooks?: RestHooks
  /**
   * The random source for backoff jitter. Injectable so tests can pin it.
   * @default Math.random
   */
  random?: RandomSource
}

/** What `withOptions()` may change on a derived client; the Auth and the base URL stay shared. */
export interface RestOverrides {
  /** Extra headers, merged over the parent's. */
  headers?: Record<string, string>
  /** Per-attempt timeout in ms, or `false`. */
  timeout?: number | false
  /** Whole-call budget in ms, or `false`. */
  totalTimeout?: number | false
  /** A number is the retry limit; `false` or `0` turns retries off. */
  retry?: number | boolean | RetryOptions
  /** Hooks added after the parent's. */
  hooks?: RestHooks
  /** See {@link RestOptions.idempotencyKeys}. */
  idempotencyKeys?: boolean
}

/** The settings a REST client runs with, resolved and frozen. */
export interface RestSettings {
  readonly headers: Readonly<Record<string, string>>
  readonly timeout: number | false
  readonly totalTimeout: number | false
  readonly retry: Readonly<RetryPolicy>
  readonly hooks: Readonly<Required<{ [K in keyof RestHooks]: NonNullable<RestHooks[K]> }>>
  readonly idempotencyKeys: boolean
  readonly requestIdHeader: string
}

// The options each place accepts, and the hooks.
const KEYS = {
  rest: ['endpoints', 'requestIdHeader', 'idempotencyKeys', 'hooks', 'random'],
  withOptions: ['headers', 'timeout', 'totalTimeout', 'retry', 'hooks', 'idempotencyKeys'],
}
const HOOK_KEYS = ['beforeRequest', 'afterResponse', 'onError'] as const
/** An HTTP header name (RFC 9110 token). */
export const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/
const isObject = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value)

// One row per option the REST section checks itself (headers, timeouts and retry go through the
// core's resolveConfig): what a valid value passes, and what to write instead.
const CHECKS: Record<string, [(value: unknown) => boolean, string]> = {
  requestIdHeader: [(value) => typeof value === 'string' && TOKEN.test(value), 'must be an HTTP header name such as "x-request-id"'],
  idempotencyKeys: [(value) => typeof value === 'boolean', 'must be true or false'],
  random: [(value) => typeof value === 'function', 'must be a function returning a number in [0, 1)'],
  endpoints: [isObject, 'must be an object of endpoint definitions; build it with defineEndpoints()'],
  hooks: [isObject, 'must be { beforeRequest, afterResponse, onError }'],
}

/** Throws a ConfigError for the first key of `given` not in `allowed`, or whose value fails its check. */
function checkOptions(field: keyof typeof KEYS, given: object): void {
  const allowed = KEYS[field]
  for (const [key, value] of Object.entries(given)) {
    if (!allowed.includes(key)) {
      const hint = key.startsWith('idempotency') ? 'write idempotencyKeys' : `the options are ${allowed.join(', ')}`
      throw new ConfigError(`${field}.${key}`, `is not an option${field === 'rest' ? '' : ' of a derived client'}; ${hint}`)
    }
    const check = CHECKS[key]
    if (value !== undefined && check && !check[0](value)) throw new ConfigError(`${field}.${key}`, check[1])
  }
}

/** Validates the `rest` section and combines it with the shared config. */
export function resolveRestSettings(config: RestConfig): { settings: RestSettings; endpoints: Endpoints } {
  const section = config.rest as RestOptions
  checkOptions('rest', section)
  const settings = makeSettings('rest', config, section, {
    retry: { ...config.retry, random: section.random ?? Math.random },
    idempotencyKeys: true,
    requestIdHeader: (section.requestIdHeader ?? 'x-request-id').toLowerCase(),
  })
  return { settings, endpoints: section.endpoints ?? {} }
}

/**
 * A derived client's settings: the parent's with `overrides` on top. The same checks as
 * `createClient()`, so a bad override fails the same way.
 */
export function deriveSettings(
  parent: RestSettings,
  overrides: RestOverrides,
  resolve: (options: { timeout?: unknown; totalTimeout?: unknown; retry?: unknown; headers?: unknown }) => ResolvedConfig,
): RestSettings {
  if (!isObject(overrides)) throw new ConfigError('withOptions', 'takes an object of options')
  checkOptions('withOptions', overrides)
  // resolveConfig validates exactly as createClient does; only the fields given are taken from it.
  const checked = resolve({ timeout: overrides.timeout, totalTimeout: overrides.totalTimeout, retry: overrides.retry, headers: overrides.headers })
  return makeSettings('withOptions', checked, overrides, {
    ...parent,
    headers: { ...parent.headers, ...checked.headers },
    ...(overrides.timeout !== undefined && { timeout: checked.timeout }),
    ...(overrides.totalTimeout !== undefined && { totalTimeout: checked.totalTimeout }),
    ...(overrides.retry !== undefined && { retry: { ...checked.retry, random: parent.retry.random } }),
  })
}

/** The frozen settings: `base` with the given hooks appended and idempotencyKeys applied. */
function makeSettings(
  field: keyof typeof KEYS,
  config: Pick<ResolvedConfig, "timeout" | "totalTimeout" | "headers">,
  given: { hooks?: RestHooks | undefined; idempotencyKeys?: boolean | undefined },
  base: Partial<RestSettings> & Pick<RestSettings, 'retry' | 'idempotencyKeys' | 'requestIdHeader'>,
): RestSettings {
  const hooks: Record<string, unknown[]> = {}
  for (const key of HOOK_KEYS) hooks[key] = [...(base.hooks?.[key] ?? [])]
  for (const [key, list] of Object.entries(given.hooks ?? {})) {
    const at = `${field}.hooks.${key}`
    if (!hooks[key]) throw new ConfigError(at, `is not a hook; the hooks are ${HOOK_KEYS.join(', ')}`)
    if (!Array.isArray(list) || list.some((hook) => typeof hook !== 'function')) throw new ConfigError(at, 'must be an array of functions')
    hooks[key].push(...list)
  }
  for (const key of HOOK_KEYS) Object.freeze(hooks[key])
  return Object.freeze({
    timeout: config.timeout,
    totalTimeout: config.totalTimeout,
    ...base,
    headers: Object.freeze({ ...config.headers, ...base.headers }),
    retry: Object.freeze(base.retry),
    hooks: Object.freeze(hooks) as unknown as RestSettings['hooks'],
    idempotencyKeys: given.idempotencyKeys ?? base.idempotencyKeys,
  })
}
