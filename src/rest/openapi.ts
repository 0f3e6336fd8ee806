/**
 * Types from an OpenAPI document: pass the `paths` type that openapi-typescript generates and
 * `client.rest.GET('/repos/{owner}/{repo}', { params: { path } })` is checked against the spec — the
 * path, its parameters, the body, and the response type. Types only; the engine is the same.
 * Accepts both openapi-typescript 7 output (`query?: never`, `get?: never`) and older/other
 * generators that leave absent keys out (GitHub's @octokit/openapi-types).
 */
import type { CallOptions } from './engine.js'
import type { PaginateOptions, Pagination } from './pagination.js'

/** The methods with an OpenAPI-typed helper. */
export type OpenApiMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/** `'GET'` → `'get'`: openapi-typescript keys operations by lower-case method. Plumbing, not exported on purpose (typedoc.json `intentionallyNotExported`). */
type Lower<M extends OpenApiMethod> = Lowercase<M>

/** The operation object for `path` and `method`, or `never` when the spec has none. */
export type OperationOf<Paths, P extends keyof Paths, M extends OpenApiMethod> = Lower<M> extends keyof Paths[P]
  ? Exclude<Paths[P][Lower<M>], undefined>
  : never

/** The paths of `Paths` that have an operation for `M`. */
export type PathsWithMethod<Paths, M extends OpenApiMethod> = {
  [P in keyof Paths]: [OperationOf<Paths, P, M>] extends [never] ? never : P
}[keyof Paths] &
  string

type RequiredKeys<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? never : K }[keyof T]

/** `parameters` without the `never`-typed slots openapi-typescript writes for absent kinds. */
type Parameters<Op> = Op extends { parameters: infer Par } ? { [K in keyof Par as [Exclude<Par[K], undefined>] extends [never] ? never : K]: Par[K] } : {}

/** The `params` of a call: required when the operation has a required parameter, optional otherwise. Plumbing, not exported on purpose (typedoc.json `intentionallyNotExported`). */
type ParamsPart<Op> = [keyof Parameters<Op>] extends [never]
  ? { params?: Record<string, never> }
  : [RequiredKeys<Parameters<Op>>] extends [never]
    ? { params?: Parameters<Op> }
    : { params: Parameters<Op> }

type JsonContent<C> = C extends { 'application/json': infer J } ? J : C extends { [type: string]: infer Any } ? Any : never

/** The `body` of a call, typed from the request body (`application/json` content, else any): required, optional or `never` as the spec says. Plumbing, not exported on purpose (typedoc.json `intentionallyNotExported`). */
type BodyPart<Op> = Op extends { requestBody: { content: infer C } }
  ? { body: JsonContent<C> }
  : Op extends { requestBody?: infer R }
    ? [Exclude<R, undefined>] extends [never]
      ? { body?: never }
      : { body?: JsonContent<Exclude<R, undefined> extends { content: infer C } ? C : never> }
    : { body?: never }

/** What an OpenAPI-typed call takes besides the path: params, body, and the per-call options. */
export type OpenApiInit<Op> = ParamsPart<Op> & BodyPart<Op> & CallOptions

/** The statuses whose response body {@link SuccessData} reads. Plumbing, not exported on purpose (typedoc.json `intentionallyNotExported`). */
type SuccessStatus = 200 | 201 | 202 | 203 | 204 | 205 | 206 | 207 | 208 | 226 | '2XX'

/** The body type of one response object (its `application/json` content, else any); `undefined` when it has no content. Plumbing, not exported on purpose (typedoc.json `intentionallyNotExported`). */
type ResponseContent<R> = R extends { content: infer C } ? ([Exclude<C, undefined>] extends [never] ? undefined : JsonContent<C>) : undefined

/** The 2xx response body type of an operation (`undefined` for 204 / no content). */
export type SuccessData<Op> = Op extends {
  /** The operation's responses, by status. */
  responses: infer Rs
}
  ? ResponseContent<Rs[Extract<keyof Rs, SuccessStatus>]>
  : unknown

/** True when nothing in the init is required, so the argument may be left out. Plumbing, not exported on purpose (typedoc.json `intentionallyNotExported`). */
type InitOptional<Op> = {} extends OpenApiInit<Op> ? true : false

/** One OpenAPI-typed method, e.g. `GET`. */
export type OpenApiMethodFn<Paths, M extends OpenApiMethod> = <P extends PathsWithMethod<Paths, M>>(
  path: P,
  ...init: InitOptional<OperationOf<Paths, P, M>> extends true
    ? [init?: OpenApiInit<OperationOf<Paths, P, M>>]
    : [init: OpenApiInit<OperationOf<Paths, P, M>>]
) => Promise<SuccessData<OperationOf<Paths, P, M>>>

/**
 * The five OpenAPI-typed methods for a `paths` type from openapi-typescript.
 *
 * @example
 * import type { paths } from '@octokit/openapi-types'
 * const gh = createClient<paths>({ baseUrl: 'https://api.github.com', auth: token })
 * const repo = await gh.rest.GET('/repos/{owner}/{repo}', { params: { path: { owner, repo } } })
 */
export interface OpenApiMethods<Paths> {
  /** A GET to one of the spec's paths that has a `get` operation. */
  readonly GET: OpenApiMethodFn<Paths, 'GET'>
  /** A POST to one of the spec's paths that has a `post` operation. */
  readonly POST: OpenApiMethodFn<Paths, 'POST'>
  /** A PUT to one of the spec's paths that has a `put` operation. */
  readonly PUT: OpenApiMethodFn<Paths, 'PUT'>
  /** A PATCH to one of the spec's paths that has a `patch` operation. */
  readonly PATCH: OpenApiMethodFn<Paths, 'PATCH'>
  /** A DELETE to one of the spec's paths that has a `delete` operation. */
  readonly DELETE: OpenApiMethodFn<Paths, 'DELETE'>
}

/** The element type of an array type; `unknown` for anything else. Plumbing, not exported on purpose (typedoc.json `intentionallyNotExported`). */
type ElementOf<T> = T extends readonly (infer Item)[] ? Item : unknown

/** The items at a dotted path (`data`, `result.items`) of a page body, or the body itself when no path. */
export type ItemsAt<Body, Path> = [Path] extends [undefined]
  ? ElementOf<Body>
  : Path extends `${infer Head}.${infer Rest}`
    ? Head extends keyof NonNullable<Body>
      ? ItemsAt<NonNullable<Body>[Head], Rest>
      : unknown
    : Path extends keyof NonNullable<Body>
      ? ElementOf<NonNullable<Body>[Path]>
      : unknown

/**
 * `paginate()` typed by the spec: the path and its params are checked, and the items are typed from
 * the GET response at `pagination.items` (or the response itself when it is the array, as GitHub's
 * are).
 *
 * @example
 * for await (const issue of gh.rest.paginate('/repos/{owner}/{repo}/issues', { pagination: { style: 'link' }, params: { path: { owner, repo } } })) issue.title
 */
export interface OpenApiPaginate<Paths> {
  /** Walks every item of a GET list across pages; see {@link RestClient.paginate} for the run-time behaviour. */
  paginate<P extends PathsWithMethod<Paths, 'GET'>, const G extends Pagination>(
    path: P,
    options: Omit<PaginateOptions, 'pagination' | 'params'> & { pagination: G } & ParamsPart<OperationOf<Paths, P, 'GET'>>,
  ): AsyncGenerator<ItemsAt<SuccessData<OperationOf<Paths, P, 'GET'>>, G extends {
      /** Where the items are in the body. */
      items: infer K extends string
    }
      ? K
      : undefined>, void, undefined>
}
