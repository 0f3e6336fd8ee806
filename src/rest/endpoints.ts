/**
 * Endpoint definitions: name each call once, with its method, path template, and the types (or
 * Standard Schema validators) of its query, body and response, and `client.rest.<name>()` is a typed
 * method. A response schema is also checked at run time; a mismatch is a ResponseValidationError
 * naming the endpoint and the failing path.
 */
import { ConfigError, type InferSchemaOutput, type StandardSchemaV1, formatIssuePath, isStandardSchema, runSchema } from '../core/index.js'
import { type CallOptions, METHODS, type RestEngine } from './engine.js'
import { InvalidRequestError } from './errors.js'
import { type QueryValue, compilePath } from './url.js'

/**
 * A type with no run-time check, made by {@link typed}. It exists only to carry `T` to the compiler.
 */
export interface TypeOnly<T> {
  /** The brand that tells a `typed<T>()` shape from a Standard Schema at run time. */
  readonly '~wirekit.type': 'typed'
  /** Never set; carries the type. */
  readonly '~wirekit.value'?: T
}

/**
 * Declares a query, body or response by its TypeScript type alone, with no run-time check.
 *
 * @example
 * defineEndpoints({ getNote: { method: 'GET', path: '/notes/{id}', response: typed<Note>() } })
 */
export function typed<T>(): TypeOnly<T> {
  return TYPE_ONLY as TypeOnly<T>
}

const TYPE_ONLY = Object.freeze({ '~wirekit.type': 'typed' as const })

/** A shape for a query, body or response: a type via {@link typed}, or a Standard Schema validator. */
export type Shape = TypeOnly<unknown> | StandardSchemaV1

/** The HTTP methods an endpoint may use. */
export type EndpointMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS'

/**
 * One endpoint. Path parameters come from `{name}` placeholders in `path`.
 *
 * @example
 * { method: 'POST', path: '/notes', body: typed<{ text: string }>(), response: NoteSchema }
 */
export interface EndpointDefinition {
  /** The HTTP method, upper case. */
  method: EndpointMethod
  /** The path under baseUrl, with `{name}` placeholders, e.g. `/notes/{id}`. */
  path: string
  /** The query's type or schema. @default no query */
  query?: Shape
  /** The body's type or schema; a schema also checks the body before it is sent. @default no body */
  body?: Shape
  /** The 2xx response's type or schema; a schema also checks it at run time. @default unknown */
  response?: Shape
}

/** A set of named endpoints. */
export type Endpoints = Record<string, EndpointDefinition>

/**
 * Checks endpoint definitions once and keeps their literal types, so each name becomes a typed method.
 *
 * @example
 * const endpoints = defineEndpoints({
 *   getNote: { method: 'GET', path: '/notes/{id}', response: NoteSchema },
 *   createNote: { method: 'POST', path: '/notes', body: typed<{ text: string }>(), response: NoteSchema },
 * })
 * const client = createClient({ baseUrl, rest: { endpoints } })
 * const note = await client.rest.getNote({ id: '42' })
 */
export function defineEndpoints<const E extends Endpoints>(endpoints: E): E {
  checkEndpoints(endpoints, RESERVED)
  return endpoints
}

/** Method names a REST client already has; an endpoint may not take one. */
export const RESERVED: ReadonlySet<string> = new Set(['request', 'paginate', 'page', 'limits', 'withOptions', 'withEndpoints', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'then'])

const ENDPOINT_KEYS = new Set(['method', 'path', 'query', 'body', 'response'])

/** Throws a ConfigError naming the first endpoint field at fault, under `path` (`rest.endpoints`). */
export function checkEndpoints(endpoints: unknown, reserved: ReadonlySet<string>, path = 'endpoints'): void {
  if (typeof endpoints !== 'object' || endpoints === null || Array.isArray(endpoints)) {
    throw new ConfigError(path, 'must be an object of named endpoint definitions; build it with defineEndpoints()')
  }
  for (const [name, definition] of Object.entries(endpoints)) {
    const field = `${path}.${name}`
    if (reserved.has(name)) throw new ConfigError(field, `"${name}" is a REST client method; choose another name`)
    if (typeof definition !== 'object' || definition === null) throw new ConfigError(field, 'must be { method, path, … }')
    const record = definition as Record<string, unknown>
    for (const key of Object.keys(record)) {
      if (!ENDPOINT_KEYS.has(key)) throw new ConfigError(`${field}.${key}`, `is not an endpoint field; the fields are ${[...ENDPOINT_KEYS].join(', ')}`)
    }
    if (typeof record.method !== 'string' || !METHODS.includes(record.method)) {
      throw new ConfigError(`${field}.method`, `must be one of ${METHODS.join(', ')} (upper case)`)
    }
    try {
      compilePath(record.path as string)
    } catch (error) {
      throw new ConfigError(`${field}.path`, error instanceof Error ? error.message.replace(/^path: /, '') : 'is not a valid path')
    }
    for (const key of ['query', 'body', 'response'] as const) {
      const shape = record[key]
      if (shape !== undefined && !isStandardSchema(shape) && !isTypeOnly(shape)) {
        throw new ConfigError(`${field}.${key}`, 'must be typed<T>() or a Standard Schema validator (zod, valibot, arktype, …)')
      }
    }
  }
}

function isTypeOnly(value: unknown): value is TypeOnly<unknown> {
  return typeof value === 'object' && value !== null && (value as { '~wirekit.type'?: unknown })['~wirekit.type'] === 'typed'
}

/** The type a shape accepts: `typed<T>()`'s `T`, or a schema's input (what we send). Plumbing, not exported on purpose. */
type ShapeInput<S> = S extends TypeOnly<infer T> ? T : S extends StandardSchemaV1<infer I, unknown> ? I : unknown
/** The type a shape resolves to: `typed<T>()`'s `T`, or a schema's output. Plumbing, not exported on purpose (typedoc.json `intentionallyNotExported`). */
type ShapeOutput<S> = S extends TypeOnly<infer T> ? T : S extends StandardSchemaV1 ? InferSchemaOutput<S> : unknown

/** `'/notes/{id}/tags/{tag}'` → `'id' | 'tag'`. */
export type PathParamNames<P extends string> = P extends `${string}{${infer Name}}${infer Rest}` ? Name | PathParamNames<Rest> : never

/** The path parameters of a template, each a string or number. */
export type PathParams<P extends string> = { [K in PathParamNames<P>]: string | number }

/** The `query` of an endpoint call: required unless everything in it is optional. Plumbing, not exported on purpose (typedoc.json `intentionallyNotExported`). */
type QueryPart<D> = D extends { query: infer Q } ? ({} extends ShapeInput<Q> ? { query?: ShapeInput<Q> } : { query: ShapeInput<Q> }) : {}
/** The `body` of an endpoint call, when the endpoint declares one. Plumbing, not exported on purpose (typedoc.json `intentionallyNotExported`). */
type BodyPart<D> = D extends { body: infer B } ? { body: ShapeInput<B> } : {}

/** What an endpoint method takes: its path parameters, plus `query` and `body` when it has them. */
export type EndpointInput<D extends EndpointDefinition> = PathParams<D['path']> & QueryPart<D> & BodyPart<D>

/** What an endpoint method resolves to. */
export type EndpointOutput<D extends EndpointDefinition> = D extends {
  /** The endpoint's response shape, when it declares one. */
  response: infer R
}
  ? ShapeOutput<R>
  : unknown

/** The typed method for one endpoint; the input is optional when nothing in it is required. */
export type EndpointMethodFn<D extends EndpointDefinition> = {} extends EndpointInput<D>
  ? (input?: EndpointInput<D>, options?: CallOptions) => Promise<EndpointOutput<D>>
  : (input: EndpointInput<D>, options?: CallOptions) => Promise<EndpointOutput<D>>

/** One typed method per endpoint. */
export type EndpointMethods<E extends Endpoints> = { readonly [K in keyof E]: EndpointMethodFn<E[K]> }

/** Builds the run-time methods for a set of endpoints on `engine`. */
export function bindEndpoints(engine: () => RestEngine, endpoints: Endpoints): Record<string, (input?: unknown, options?: CallOptions) => Promise<unknown>> {
  const methods: Record<string, (input?: unknown, options?: CallOptions) => Promise<unknown>> = {}
  for (const [name, definition] of Object.entries(endpoints)) {
    const { names } = compilePath(definition.path)
    // An endpoint method takes its path parameters as top-level arguments: `getNote({ id })`.
    const pathParamsAt = `${name}.`
    const responseSchema = isStandardSchema(definition.response) ? definition.response : undefined
    const bodySchema = isStandardSchema(definition.body) ? definition.body : undefined
    methods[name] = async (input, options) => {
      const record = (input ?? {}) as Record<string, unknown>
      if (typeof record !== 'object' || record === null) throw new InvalidRequestError(name, 'takes an object of its path parameters, query and body')
      const pathParams: Record<string, unknown> = {}
      for (const param of names) pathParams[param] = record[param]
      for (const key of Object.keys(record)) {
        if (key !== 'query' && key !== 'body' && !names.includes(key)) {
          throw new InvalidRequestError(`${name}.${key}`, `is not a path parameter, "query" or "body" of ${definition.method} ${definition.path}`)
        }
      }
      let body = record.body
      if (bodySchema && body !== undefined) {
        const checked = await runSchema(bodySchema, body)
        if ('issues' in checked) {
          const first = checked.issues[0]
          const where = first ? formatIssuePath(first) : '(root)'
          throw new InvalidRequestError(`${name}.body${where === '(root)' ? '' : `.${where}`}`, first?.message ?? 'does not match its schema')
        }
        body = checked.value
      }
      const { data } = await engine().send({
        method: definition.method,
        path: definition.path,
        label: name,
        pathParams,
        pathParamsAt,
        query: record.query as Record<string, QueryValue> | undefined,
        body,
        schema: responseSchema,
        options,
      })
      return data
    }
  }
  return methods
}
