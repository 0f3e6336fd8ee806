/**
 * The `rest` section of the client options and the overrides of `withOptions()`, each one check from
 * the core kit (core/checks.ts), and the settings a REST client runs with, derived from them once,
 * when the client is made. A misspelled option, nested ones included, is a ConfigError naming its
 * full path (`rest.hooks.beforeRequst`) and the nearest name.
 */
import { type Check, boolean, check, fn, headerName, record } from '../core/checks.js'
import * as option from '../core/config.js'
import { ConfigError, type RandomSource, type RestConfig, type RetryOptions } from '../core/index.js'
import type { RestSettings } from './engine.js'
import { type Endpoints, RESERVED, checkEndpoints } from './endpoints.js'
import type { RestHooks } from './hooks.js'
import type { RateLimits } from './budget.js'
import type { RevalidationCache } from './cache.js'

/** A cache from `revalidationCache()` (`@wirekit/sdk/rest`); see {@link RevalidationCache}. */
export type ResponseCache = RevalidationCache

/** A budget from `rateLimits()` (`@wirekit/sdk/rest`); see {@link RateLimits}. */
export type RateLimitBudget = RateLimits

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
  /**
   * A rate-limit budget from `rateLimits()`: calls wait for the server's announced window instead of
   * being sent to fail, and a 429 pauses every queued call to its origin. Off unless given, so a
   * client that does not use it does not carry it.
   * @default undefined
   */
  limits?: RateLimitBudget
  /**
   * A cache from `revalidationCache()`: GETs revalidate stored bodies with ETag / Last-Modified and
   * identical GETs in flight share one request. Off unless given (see the README on why).
   * @default undefined
   */
  cache?: ResponseCache
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

/** Names people reach for, and what to write instead (given only where the record takes the target). */
const RENAMED: Readonly<Record<string, string>> = {
  idempotency: 'idempotencyKeys',
  idempotencyKey: 'idempotencyKeys (per call, pass idempotencyKey in the call options)',
  idempotent: 'idempotencyKeys',
  autoIdempotencyKeys: 'idempotencyKeys',
  requestId: 'requestIdHeader',
  retries: 'retry',
  maxRetries: 'retry: { limit }',
  defaultHeaders: 'headers',
}

/** A list of hook functions, copied and frozen so a later change to the caller's array has no effect. */
const functions = /* @__PURE__ */ check<readonly unknown[]>((value) => Array.isArray(value) && value.every((hook) => typeof hook === 'function'), 'an array of functions', [])
const hookList: Check<readonly never[]> = (value, path) => Object.freeze([...functions(value, path)]) as readonly never[]

/** `hooks`: `{ beforeRequest, afterResponse, onError }`, each absent list empty. */
const hooks = /* @__PURE__ */ record({ beforeRequest: hookList, afterResponse: hookList, onError: hookList })

/** `endpoints`: named endpoint definitions, each checked as `defineEndpoints()` checks it. */
const endpoints: Check<Endpoints> = (value, path) => {
  if (value === undefined) return {}
  checkEndpoints(value, RESERVED, path)
  return value as Endpoints
}

/** `limits` and `cache`: made by their factories, told apart by a method so this file imports neither (bundle size). */
const made = <T>(method: string, factory: string) => check<T | undefined>((value) => typeof (value as Record<string, unknown> | null)?.[method] === 'function', `made by ${factory}()`)

/**
 * The check of the `rest` section, at the path `rest`: what createClient's and createRestClient's
 * option tables use. Internal; exported so a test can walk every path (`walkOptions`).
 */
export const restOptions = /* @__PURE__ */ record(
  {
    endpoints,
    requestIdHeader: /* @__PURE__ */ headerName('x-request-id'),
    idempotencyKeys: /* @__PURE__ */ boolean(true),
    hooks,
    random: /* @__PURE__ */ fn<RandomSource>('a function returning a number in [0, 1)', Math.random),
    limits: /* @__PURE__ */ made<RateLimits>('acquire', 'rateLimits'),
    cache: /* @__PURE__ */ made<RevalidationCache>('wrap', 'revalidationCache'),
  },
  RENAMED,
)

/** What the `rest` section is once checked: every field present, defaults applied. */
type CheckedRestOptions = ReturnType<typeof restOptions>

/** An override: absent stays `undefined` (the parent's value is kept) instead of taking the default. */
function given<T>(inner: Check<T>): Check<T | undefined> {
  const checkGiven = (value: unknown, path: string) => (value === undefined ? undefined : inner(value, path))
  return Object.assign(checkGiven, { fields: inner.fields, each: inner.each })
}

/**
 * The check of `withOptions()`'s argument, at the path `withOptions`: the core checks of `headers`,
 * `timeout`, `totalTimeout` and `retry`, so a bad override fails as it would in `createClient()`.
 * Internal; exported so a test can walk every path (`walkOptions`).
 */
export const withOptionsOptions = /* @__PURE__ */ record(
  {
    headers: option.headers,
    timeout: /* @__PURE__ */ given(option.timeout),
    totalTimeout: /* @__PURE__ */ given(option.totalTimeout),
    retry: /* @__PURE__ */ given(option.retry),
    hooks,
    idempotencyKeys: /* @__PURE__ */ boolean(),
  },
  RENAMED,
)

/**
 * A client's settings from its config, whose `rest` section the client's option table has already
 * checked with {@link restOptions}.
 */
export function resolveRestSettings(config: RestConfig): { settings: RestSettings; endpoints: Endpoints } {
  const section = config.rest as unknown as CheckedRestOptions
  const settings: RestSettings = Object.freeze({
    headers: config.headers,
    timeout: config.timeout,
    totalTimeout: config.totalTimeout,
    retry: Object.freeze({ ...config.retry, random: section.random }),
    hooks: section.hooks,
    idempotencyKeys: section.idempotencyKeys,
    requestIdHeader: section.requestIdHeader,
    limits: section.limits,
    cache: section.cache,
  })
  return { settings, endpoints: section.endpoints }
}

/** A derived client's settings: the parent's, with the checked `overrides` on top and their hooks after the parent's. */
export function deriveSettings(parent: RestSettings, overrides: RestOverrides): RestSettings {
  if (overrides === undefined) throw new ConfigError('withOptions', 'takes an object of options')
  const changed = withOptionsOptions(overrides, 'withOptions')
  return Object.freeze({
    ...parent,
    headers: Object.freeze({ ...parent.headers, ...changed.headers }),
    timeout: changed.timeout ?? parent.timeout,
    totalTimeout: changed.totalTimeout ?? parent.totalTimeout,
    retry: changed.retry === undefined ? parent.retry : Object.freeze({ ...changed.retry, random: parent.retry.random }),
    hooks: Object.freeze({
      beforeRequest: Object.freeze([...parent.hooks.beforeRequest, ...changed.hooks.beforeRequest]),
      afterResponse: Object.freeze([...parent.hooks.afterResponse, ...changed.hooks.afterResponse]),
      onError: Object.freeze([...parent.hooks.onError, ...changed.hooks.onError]),
    }),
    idempotencyKeys: changed.idempotencyKeys ?? parent.idempotencyKeys,
  })
}
