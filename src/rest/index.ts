/**
 * `@wirekit/sdk/rest`: typed REST calls on ky — endpoint definitions, OpenAPI `paths` types, safe retries
 * that never duplicate a write, pagination, auth refresh, typed errors. Public: everything exported
 * here. The other files of this folder are internal.
 *
 * @module
 */
export { RateLimits, rateLimits } from './budget.js'
export type { RateLimitOptions, RateLimitState } from './budget.js'
export { RevalidationCache, revalidationCache } from './cache.js'
export type { CacheStats, CacheStore, CachedResponse, RevalidationCacheOptions } from './cache.js'
export { createRestClient } from './client.js'
export type { RequestOptions, RestClient, RestClientBase, RestClientFor, RestClientOptions, EndpointsOf } from './client.js'
export { defineEndpoints, typed } from './endpoints.js'
export type {
  EndpointDefinition,
  EndpointInput,
  EndpointMethod,
  EndpointMethodFn,
  EndpointMethods,
  EndpointOutput,
  Endpoints,
  PathParamNames,
  PathParams,
  Shape,
  TypeOnly,
} from './endpoints.js'
export type { CallOptions } from './engine.js'
export { InvalidRequestError, PaginationError, ResponseValidationError } from './errors.js'
export type { ValidationIssue } from './errors.js'
export type { ItemsAt, OpenApiInit, OpenApiMethod, OpenApiMethodFn, OpenApiMethods, OpenApiPaginate, OperationOf, PathsWithMethod, SuccessData } from './openapi.js'
export type { AfterResponseContext, BeforeRequestContext, OnErrorContext, RestHooks } from './hooks.js'
export type { RateLimitBudget, ResponseCache, RestOptions, RestOverrides } from './options.js'
export type { CursorPagination, LinkPagination, Page, PageOptions, PagePagination, PaginateOptions, Pagination } from './pagination.js'
export type { PathParamValue, QueryValue } from './url.js'
