/**
 * The REST client object: `request()`, `paginate()`, `page()`, the OpenAPI-typed `GET`…`DELETE`,
 * one method per named endpoint, and `withOptions()` / `withEndpoints()` for derived clients that
 * share the Auth.
 */
import * as option from '../core/config.js'
import { type ClientContext, type CoreOptions, type OptionFields, type RestConfig, createContext } from '../core/index.js'
import { RESERVED, type Endpoints, type EndpointMethods, bindEndpoints, checkEndpoints } from './endpoints.js'
import { type CallOptions, RestEngine } from './engine.js'
import type { RateLimitState } from './budget.js'
import type { OpenApiMethods, OpenApiPaginate } from './openapi.js'
import { type RestOptions, type RestOverrides, deriveSettings, resolveRestSettings, restOptions } from './options.js'
import { type Page, type PageOptions, type PaginateOptions, fetchPage, paginate } from './pagination.js'
import type { PathParamValue, QueryValue } from './url.js'

/** Options of {@link RestClient.request}. */
export interface RequestOptions extends CallOptions {
  /** Path parameters (filling `{name}` placeholders) and query values. */
  params?: {
    /** Values for the path's `{name}` placeholders. */
    path?: Record<string, PathParamValue>
    /** Query values, appended to the URL. */
    query?: Record<string, QueryValue>
  }
  /** A JSON-serialisable value, or a raw body (string, FormData, Blob, bytes, stream). */
  body?: unknown
}

/**
 * What every REST client has, in both modes: `request()`, `page()` and the derived-client methods.
 * {@link RestClient} adds the untyped `paginate()`; OpenAPI mode adds a spec-typed one instead.
 */
export interface RestClientBase {
  /**
   * An untyped call: any method, any path under baseUrl. Resolves to the parsed body.
   *
   * @example
   * const note = await client.rest.request('GET', '/notes/{id}', { params: { path: { id: 42 } } })
   */
  request<T = unknown>(method: string, path: string, options?: RequestOptions): Promise<T>
  /**
   * One page of a paged list; pass its `next` back as `cursor` for the following one.
   *
   * @example
   * const first = await client.rest.page('/notes', { pagination }); const second = await client.rest.page('/notes', { pagination, cursor: first.next })
   */
  page<Item = unknown>(path: string, options: PageOptions): Promise<Page<Item>>
  /**
   * A client with some settings changed (headers, timeouts, retry, hooks), sharing this one's Auth,
   * base URL and endpoints.
   *
   * @example
   * const patient = client.rest.withOptions({ timeout: 120_000, retry: 5 })
   */
  withOptions(overrides: RestOverrides): this
  /**
   * This client with more named endpoints, e.g. beside OpenAPI mode.
   *
   * @example
   * const api = client.rest.withEndpoints(defineEndpoints({ health: { method: 'GET', path: '/health' } }))
   */
  withEndpoints<const More extends Endpoints>(endpoints: More): this & EndpointMethods<More>
  /**
   * What the rate-limit budget (`rest.limits`) has learned, per origin and policy; `[]` without one.
   *
   * @example
   * for (const limit of client.rest.limits()) console.log(limit.origin, limit.remaining, new Date(limit.resetAt ?? 0))
   */
  limits(): RateLimitState[]
}

/** The REST surface of a client without OpenAPI types: {@link RestClientBase} and an untyped `paginate()`. */
export interface RestClient extends RestClientBase {
  /**
   * Every item of a paged list, fetched page by page as you iterate.
   *
   * @example
   * for await (const issue of client.rest.paginate('/repos/{owner}/{repo}/issues', { pagination: { style: 'link' }, params: { path: { owner, repo } }, maxItems: 200 })) { … }
   */
  paginate<Item = unknown>(path: string, options: PaginateOptions): AsyncGenerator<Item, void, undefined>
}

/**
 * The REST client type for a client's type argument. With an openapi-typescript `paths` type:
 * `GET`…`DELETE` and `paginate()` checked against the spec (a path outside it does not compile; use
 * `request()` or `page()` for one). Without: the untyped `paginate()`. Endpoint methods either way.
 */
export type RestClientFor<Paths, E extends Endpoints> = [keyof Paths] extends [never]
  ? RestClient & EndpointMethods<E>
  : RestClientBase & OpenApiPaginate<Paths> & OpenApiMethods<Paths> & EndpointMethods<E>

/**
 * Builds a REST client over a context whose `rest` section was checked with `restOptions` (both
 * option tables, createClient's and {@link createRestClient}'s, use it). Internal: `createClient()`
 * imports it from this file.
 */
export function buildRestClient(context: ClientContext<RestConfig>): RestClient {
  const { settings, endpoints } = resolveRestSettings(context.config)
  return makeClient(new RestEngine(context, settings), endpoints)
}

function makeClient(engine: RestEngine, endpoints: Endpoints): RestClient {
  const typedMethod =
    (method: string) =>
    (path: string, init: RequestOptions = {}) =>
      request(method, path, init)
  // perf: docs/performance.md#rest-one-init-per-call
  const request = async (method: string, path: string, options: RequestOptions = {}) =>
    (await engine.send({ method, path, pathParams: options.params?.path, query: options.params?.query, body: options.body, options, withInput: true })).data
  const client = {
    request,
    paginate: (path: string, options: PaginateOptions) => paginate(engine, path, options),
    page: (path: string, options: PageOptions) => fetchPage(engine, path, options),
    limits: () => engine.settings.limits?.state() ?? [],
    withOptions: (overrides: RestOverrides) => {
      return makeClient(new RestEngine(engine.context, deriveSettings(engine.settings, overrides)), endpoints)
    },
    withEndpoints: (more: Endpoints) => {
      checkEndpoints(more, RESERVED)
      return makeClient(engine, { ...endpoints, ...more })
    },
    GET: typedMethod('GET'),
    POST: typedMethod('POST'),
    PUT: typedMethod('PUT'),
    PATCH: typedMethod('PATCH'),
    DELETE: typedMethod('DELETE'),
    ...bindEndpoints(() => engine, endpoints),
  }
  return Object.freeze(client) as unknown as RestClient
}

/** Options of {@link createRestClient}: the shared core options and the `rest` section. */
export interface RestClientOptions<E extends Endpoints = Endpoints> extends CoreOptions {
  /** See {@link RestOptions}. */
  rest?: RestOptions<E>
  /** Options of `@wirekit/sdk/webhooks`; accepted so one options object can serve every module. */
  webhooks?: object
  /** Options of `@wirekit/sdk/realtime`; accepted so one options object can serve every module. */
  realtime?: object
}

/** The options `createRestClient()` reads, each with its check. */
export const REST_OPTIONS = {
  baseUrl: option.baseUrl,
  auth: option.auth,
  timeout: option.timeout,
  totalTimeout: option.totalTimeout,
  retry: option.retry,
  headers: option.headers,
  fetch: option.fetchOption,
  logger: option.logger,
  logLevel: option.logLevel,
  userAgent: option.userAgent,
  rest: restOptions,
} satisfies OptionFields

/**
 * A REST client on its own, without `createClient()`: the same options, its own Auth.
 * `createRestClient<paths>(…)` for OpenAPI mode; endpoints are inferred from `rest.endpoints`.
 *
 * @example
 * import { createRestClient, defineEndpoints, typed } from '@wirekit/sdk/rest'
 * const rest = createRestClient({ baseUrl: 'https://api.example.com', auth: { apiKey }, rest: { endpoints } })
 * const note = await rest.getNote({ id: '42' })
 */
export function createRestClient<const O extends RestClientOptions = RestClientOptions>(options?: O): RestClientFor<{}, EndpointsOf<O>>
export function createRestClient<Paths extends object>(options?: RestClientOptions): RestClientFor<Paths, {}>
export function createRestClient(options: RestClientOptions = {}): RestClientBase {
  return buildRestClient(createContext(options, REST_OPTIONS))
}

/**
 * The endpoints record in a set of options, or `{}`. Options typed only as `ClientOptions` (no
 * literal endpoint names) give `{}` too, rather than a method for every string.
 */
export type EndpointsOf<O> = O extends {
  /** The options' `rest` section. */
  rest?: {
    /** The endpoints it declares. */
    endpoints?: infer E
  }
}
  ? E extends Endpoints
    ? string extends keyof E
      ? {}
      : E
    : {}
  : {}
