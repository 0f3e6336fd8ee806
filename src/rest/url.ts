/**
 * Building request URLs so that no parameter can leave the API: each path parameter is encoded as
 * one segment, a parameter that would be a dot-segment is refused, and the result is always
 * `<baseUrl origin><baseUrl path><expanded path>` by construction, never a relative resolution.
 */
import { InvalidRequestError } from './errors.js'

/** A path parameter value. */
export type PathParamValue = string | number | bigint | boolean

/** A query value: a scalar, or an array for a repeated key. `undefined` and `null` are left out. */
export type QueryValue = string | number | bigint | boolean | null | undefined | readonly (string | number | bigint | boolean)[]

interface CompiledPath {
  /** Literal text between the placeholders; `names.length + 1` entries. */
  literals: string[]
  names: string[]
}

const PLACEHOLDER = /\{([^{}/]+)\}/g
// A path template is trusted code, but it is still checked once: a template that holds a query,
// a fragment, a backslash or a dot-segment would defeat the guarantees below.
const FORBIDDEN_IN_TEMPLATE = /[?#\\\s\u0000-\u001f\u007f]/
const compiled = new Map<string, CompiledPath>()
const MAX_CACHED_TEMPLATES = 1000

/** Splits a template once; `/notes/{id}` → literals `['/notes/', '']`, names `['id']`. */
export function compilePath(template: string): CompiledPath {
  const cached = compiled.get(template)
  if (cached) return cached
  if (typeof template !== 'string' || !template.startsWith('/')) {
    throw new InvalidRequestError('path', `must start with "/", got ${JSON.stringify(String(template)).slice(0, 80)}`)
  }
  if (FORBIDDEN_IN_TEMPLATE.test(template)) {
    throw new InvalidRequestError('path', 'must not contain "?", "#", "\\", spaces or control characters; pass query values in params.query')
  }
  const literals: string[] = []
  const names: string[] = []
  let last = 0
  for (const match of template.matchAll(PLACEHOLDER)) {
    literals.push(template.slice(last, match.index))
    names.push(match[1]!)
    last = match.index + match[0].length
  }
  literals.push(template.slice(last))
  for (const literal of literals) {
    if (/[{}]/.test(literal)) throw new InvalidRequestError('path', `has an unbalanced "{" or "}" in ${JSON.stringify(template)}`)
  }
  if (template.split('/').some((segment) => isDotSegment(segment))) {
    throw new InvalidRequestError('path', `must not contain "." or ".." segments: ${JSON.stringify(template)}`)
  }
  const result = { literals, names }
  if (compiled.size >= MAX_CACHED_TEMPLATES) compiled.clear()
  compiled.set(template, result)
  return result
}

/** True for what the WHATWG URL parser treats as `.` or `..`, including the `%2e` spellings. */
function isDotSegment(segment: string): boolean {
  const lower = segment.toLowerCase()
  return lower === '.' || lower === '..' || lower === '%2e' || lower === '.%2e' || lower === '%2e.' || lower === '%2e%2e'
}

/**
 * Fills a template. Every value becomes exactly one path segment (or part of one): `/`, `?`, `#`,
 * `\`, `%` and every other reserved character are percent-encoded; a value that would stand alone
 * as `.` or `..` is refused because the URL parser would climb the path with it.
 *
 * Errors name a parameter as `at` + its name: `params.path.id` for `request()`, `getNote.id` for an
 * endpoint method, which takes its path parameters as top-level arguments.
 *
 * @example
 * expandPath('/repos/{owner}/{repo}', { owner: 'a b', repo: 'x/y' }) // '/repos/a%20b/x%2Fy'
 */
export function expandPath(template: string, params: Readonly<Record<string, unknown>> | undefined, at = 'params.path.'): string {
  const { literals, names } = compilePath(template)
  if (names.length === 0) {
    if (params && Object.keys(params).length > 0) {
      throw new InvalidRequestError(`${at}${Object.keys(params)[0]}`, `is not a parameter of ${template}`)
    }
    return template
  }
  if (params === undefined || params === null || typeof params !== 'object') {
    throw new InvalidRequestError('params.path', `is required by ${template} (${names.join(', ')})`)
  }
  let out = literals[0]!
  for (let index = 0; index < names.length; index++) {
    const name = names[index]!
    out += encodeSegment(params[name], at, name, template) + literals[index + 1]!
  }
  // The template has no dot-segment (checked once), so one here was made by values; `{a}.` with
  // a = "." is one. The URL parser would climb the path with it.
  if (out.includes('.') && out.split('/').some(isDotSegment)) {
    throw new InvalidRequestError(`${at}${names.find((name) => String(params[name]).includes('.'))}`, 'would form a "." or ".." path segment, which climbs the path')
  }
  for (const key of Object.keys(params)) {
    if (!names.includes(key)) throw new InvalidRequestError(`${at}${key}`, `is not a parameter of ${template}`)
  }
  return out
}

/** One parameter's value as an encoded segment; errors name it `at` + `name`. */
function encodeSegment(value: unknown, at: string, name: string, template: string): string {
  if (value === undefined || value === null) {
    throw new InvalidRequestError(at + name, `is required by ${template}`)
  }
  let raw: string
  if (typeof value === 'string') raw = value
  else if (typeof value === 'number' && Number.isFinite(value)) raw = String(value)
  else if (typeof value === 'bigint' || typeof value === 'boolean') raw = String(value)
  else throw new InvalidRequestError(at + name, `must be a string, a finite number, a bigint or a boolean, got ${typeName(value)}`)
  if (raw.length === 0) {
    // An empty segment turns /notes/{id} into /notes/, a different resource.
    throw new InvalidRequestError(at + name, 'must not be empty')
  }
  try {
    return encodeURIComponent(raw)
  } catch {
    throw new InvalidRequestError(at + name, 'is not well-formed Unicode (a lone surrogate)')
  }
}

/** Appends query values: arrays repeat the key, `undefined` and `null` are left out. */
export function appendQuery(url: string, query: Readonly<Record<string, QueryValue>> | undefined): string {
  if (query === undefined) return url
  if (typeof query !== 'object' || query === null) throw new InvalidRequestError('params.query', 'must be an object of names to values')
  let search = ''
  for (const key of Object.keys(query)) {
    const value = query[key]
    if (value === undefined || value === null) continue
    if (Array.isArray(value)) {
      for (const item of value) search += `&${encodeURIComponent(key)}=${encodeQueryValue(key, item)}`
    } else {
      search += `&${encodeURIComponent(key)}=${encodeQueryValue(key, value)}`
    }
  }
  if (search === '') return url
  return url.includes('?') ? url + search : `${url}?${search.slice(1)}`
}

function encodeQueryValue(key: string, value: unknown): string {
  if (typeof value === 'string') return encodeURIComponent(value)
  if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'bigint' || typeof value === 'boolean') return String(value)
  throw new InvalidRequestError(`params.query.${key}`, `must be a string, a finite number, a bigint, a boolean or an array of them, got ${typeName(value)}`)
}

/** `https://api.example.com/v1/` → `https://api.example.com/v1`: the prefix every request starts with. */
export function basePrefix(baseUrl: URL): string {
  return `${baseUrl.origin}${baseUrl.pathname.replace(/\/+$/, '')}`
}

/**
 * True when `url` is on `baseUrl`'s origin and under its path. Used for URLs the server hands us
 * (pagination links) before any credential goes with them.
 */
export function isUnderBase(url: URL, baseUrl: URL): boolean {
  const prefix = basePrefix(baseUrl)
  const at = url.origin + url.pathname
  return at === prefix || at.startsWith(`${prefix}/`)
}

function typeName(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'number') return String(value)
  return `a ${typeof value}`
}
