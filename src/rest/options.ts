/**
 * The `rest` section of the client options, and the per-client settings derived clients override.
 * Validated once, when the client is made; a misspelled option is a ConfigError naming it.
 */
import { ConfigError, type RandomSource, type ResolvedConfig, type RetryOptions, type WirekitError } from '../core/index.js'
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
 * Options of `wirekit/rest`, given as `rest: { … }` to `createClient()` or `createRestClient()`.
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

const REST_KEYS = ['endpoints', 'requestIdHeader', 'idempotencyKeys', 'hooks', 'random'] as const
const OVERRIDE_KEYS = ['headers', 'timeout', 'totalTimeout', 'retry', 'hooks', 'idempotencyKeys'] as const
const HOOK_KEYS = ['beforeRequest', 'afterResponse', 'onError'] as const
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

/** Validates the `rest` section and combines it with the shared config. */
export function resolveRestSettings(config: ResolvedConfig): { settings: RestSettings; endpoints: Endpoints } {
  const section = config.rest as RestOptions
  for (const key of Object.keys(section)) {
    if (!(REST_KEYS as readonly string[]).includes(key)) {
      const hint = key === 'idempotency' || key === 'idempotencyKey' ? 'write idempotencyKeys' : `the options are ${REST_KEYS.join(', ')}`
      throw new ConfigError(`rest.${key}`, `is not an option; ${hint}`)
    }
  }
  const requestIdHeader = section.requestIdHeader ?? 'x-request-id'
  if (typeof requestIdHeader !== 'string' || !TOKEN.test(requestIdHeader)) {
    throw new ConfigError('rest.requestIdHeader', 'must be an HTTP header name such as "x-request-id"')
  }
  if (section.idempotencyKeys !== undefined && typeof section.idempotencyKeys !== 'boolean') {
    throw new ConfigError('rest.idempotencyKeys', 'must be true or false')
  }
  if (section.random !== undefined && typeof section.random !== 'function') {
    throw new ConfigError('rest.random', 'must be a function returning a number in [0, 1)')
  }
  const endpoints = section.endpoints ?? {}
  if (typeof endpoints !== 'object' || endpoints === null || Array.isArray(endpoints)) {
    throw new ConfigError('rest.endpoints', 'must be an object of endpoint definitions; build it with defineEndpoints()')
  }
  const settings: RestSettings = Object.freeze({
    headers: Object.freeze({ ...config.headers }),
    timeout: config.timeout,
    totalTimeout: config.totalTimeout,
    retry: Object.freeze({ ...config.retry, backoff: { ...config.retry.backoff }, random: section.random ?? Math.random }),
    hooks: resolveHooks('rest.hooks', section.hooks, undefined),
    idempotencyKeys: section.idempotencyKeys ?? true,
    requestIdHeader: requestIdHeader.toLowerCase(),
  })
  return { settings, endpoints }
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
  if (typeof overrides !== 'object' || overrides === null) throw new ConfigError('withOptions', 'takes an object of options')
  for (const key of Object.keys(overrides)) {
    if (!(OVERRIDE_KEYS as readonly string[]).includes(key)) {
      throw new ConfigError(`withOptions.${key}`, `is not an option of a derived client; the options are ${OVERRIDE_KEYS.join(', ')}`)
    }
  }
  // resolveConfig validates exactly as createClient does; only the fields given are taken from it.
  const checked = resolve({ timeout: overrides.timeout, totalTimeout: overrides.totalTimeout, retry: overrides.retry, headers: overrides.headers })
  if (overrides.idempotencyKeys !== undefined && typeof overrides.idempotencyKeys !== 'boolean') {
    throw new ConfigError('withOptions.idempotencyKeys', 'must be true or false')
  }
  return Object.freeze({
    headers: Object.freeze({ ...parent.headers, ...checked.headers }),
    timeout: overrides.timeout === undefined ? parent.timeout : checked.timeout,
    totalTimeout: overrides.totalTimeout === undefined ? parent.totalTimeout : checked.totalTimeout,
    retry:
      overrides.retry === undefined
        ? parent.retry
        : Object.freeze({ ...checked.retry, backoff: { ...checked.retry.backoff }, random: parent.retry.random }),
    hooks: resolveHooks('withOptions.hooks', overrides.hooks, parent.hooks),
    idempotencyKeys: overrides.idempotencyKeys ?? parent.idempotencyKeys,
    requestIdHeader: parent.requestIdHeader,
  })
}

function resolveHooks(field: string, hooks: RestHooks | undefined, parent: RestSettings['hooks'] | undefined): RestSettings['hooks'] {
  const out = { beforeRequest: [...(parent?.beforeRequest ?? [])], afterResponse: [...(parent?.afterResponse ?? [])], onError: [...(parent?.onError ?? [])] }
  if (hooks !== undefined) {
    if (typeof hooks !== 'object' || hooks === null) throw new ConfigError(field, 'must be { beforeRequest, afterResponse, onError }')
    for (const [key, list] of Object.entries(hooks)) {
      if (!(HOOK_KEYS as readonly string[]).includes(key)) throw new ConfigError(`${field}.${key}`, `is not a hook; the hooks are ${HOOK_KEYS.join(', ')}`)
      if (!Array.isArray(list) || list.some((hook) => typeof hook !== 'function')) {
        throw new ConfigError(`${field}.${key}`, 'must be an array of functions')
      }
      ;(out[key as keyof typeof out] as unknown[]).push(...list)
    }
  }
  return Object.freeze({ beforeRequest: Object.freeze(out.beforeRequest), afterResponse: Object.freeze(out.afterResponse), onError: Object.freeze(out.onError) })
}
