/**
 * The one validation kit every option check is built from. A {@link Check} takes the raw value and
 * the path it sits at (`realtime.backoff.base`), and returns the value to keep, default applied, or
 * throws a {@link ConfigError} naming that full path. Records refuse unknown keys with a did-you-mean,
 * and list their fields so a test can walk every option path. Importing this file does no work.
 *
 * Checks built at the top level of a file that several modules import are marked `@__PURE__`, so a
 * bundle that never reads an option drops its check (docs/performance.md#pure-option-checks).
 */
import { ConfigError } from './errors.js'

/** Checks the value found at `path` and returns what to keep; throws a ConfigError naming `path`. */
export interface Check<T> {
  (value: unknown, path: string): T
  /** A record's fields, by key: what `walkOptions` follows to reach every nested option. */
  readonly fields?: Readonly<Record<string, Check<unknown>>>
  /** A dictionary's check for each of its values (`headers.<name>`, `schemas.<channel>`). */
  readonly each?: Check<unknown>
}

/** What a record check returns: each field's checked value. */
export type Checked<F> = { readonly [K in keyof F]: F[K] extends Check<infer T> ? T : never }

/** An HTTP header name (an RFC 9110 token). */
export const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/
/** A character that must never reach a header value or a log line unescaped: CR, LF, NUL. */
export const CONTROL = /[\r\n\0]/

/** `a.b` from a parent path and a key; the top level has no parent. */
export const join = (path: string, key: string): string => (path ? `${path}.${key}` : key)

/** A plain object: not null, not an array. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** How a wrong value is named in an error: its type, or a short primitive as written. */
export function describe(value: unknown): string {
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return String(value)
  return Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : `a ${typeof value}`
}

/** A leaf check from a test: `undefined` gives `fallback`; a value that fails `valid` is refused with `must be <expected>`. */
export function check<T>(valid: (value: unknown) => boolean, expected: string, fallback?: T): Check<T> {
  return (value, path) => {
    if (value === undefined) return fallback as T
    if (!valid(value)) throw new ConfigError(path, `must be ${expected}, got ${describe(value)}`)
    return value as T
  }
}

/** A number of milliseconds, at least `min`. */
export function milliseconds(fallback?: number, min = 0): Check<number> {
  return check((value) => typeof value === 'number' && Number.isFinite(value) && value >= min, `a number of milliseconds, at least ${min}`, fallback)
}

/** A number of seconds, at least `min`. */
export function seconds(fallback?: number, min = 0): Check<number> {
  return check((value) => typeof value === 'number' && Number.isFinite(value) && value >= min, `a number of seconds, at least ${min}`, fallback)
}

/** A whole number, at least `min`; `Infinity` passes where it is the default ("no limit"). */
export function count(fallback?: number, min = 0): Check<number> {
  return check((value) => value === fallback || (Number.isInteger(value) && (value as number) >= min), `a whole number, ${min} or more`, fallback)
}

/** A positive number of milliseconds, or `false` for no limit. */
export function timeLimit(fallback: number | false): Check<number | false> {
  return check((value) => value === false || (typeof value === 'number' && Number.isFinite(value) && value > 0), 'a positive number of milliseconds or false', fallback)
}

/** `true` or `false`. */
export function boolean(fallback?: boolean): Check<boolean> {
  return check((value) => typeof value === 'boolean', 'true or false', fallback)
}

/** A function; `expected` says what it must do (`a function returning [0, 1)`). */
export function fn<T>(expected = 'a function', fallback?: T): Check<T> {
  return check((value) => typeof value === 'function', expected, fallback)
}

/** One of a fixed set of strings. */
export function oneOf<const V extends string>(values: readonly V[], fallback?: V): Check<V> {
  return check((value) => values.includes(value as V), `one of ${values.map((name) => `'${name}'`).join(', ')}`, fallback)
}

/** An HTTP header name, lower-cased. */
export function headerName(fallback?: string): Check<string> {
  const name = check<string>((value) => typeof value === 'string' && HEADER_NAME.test(value), 'an HTTP header name such as "x-request-id"', fallback)
  return (value, path) => name(value, path)?.toLowerCase()
}

/**
 * An object with exactly these fields, each checked at `<path>.<key>`; absent means `{}`, so every
 * default applies. An unknown key is refused with the full path and the nearest known name.
 * `renamed` maps names people reach for from other SDKs to what to write instead.
 */
export function record<F extends Record<string, Check<unknown>>>(fields: F, renamed: Readonly<Record<string, string>> = {}): Check<Checked<F>> {
  const known = Object.keys(fields)
  const checkRecord = (value: unknown, path: string) => {
    if (value === undefined) value = {}
    if (!isRecord(value)) throw new ConfigError(path || 'options', `must be an object with ${known.join(', ')}, got ${describe(value)}`)
    for (const key of Object.keys(value)) if (!Object.hasOwn(fields, key)) unknownKey(path, key, known, renamed)
    const out: Record<string, unknown> = {}
    for (const key of known) out[key] = fields[key]!((value as Record<string, unknown>)[key], join(path, key))
    return Object.freeze(out) as Checked<F>
  }
  return Object.assign(checkRecord, { fields })
}

/**
 * A plain object of any keys, each value checked at `<path>.<key>` (`headers`, `schemas`); absent
 * means `{}`. `key` checks each key and returns the one to keep (lower-cased header names).
 */
export function dictionary<T>(each: Check<T>, expected: string, key: (name: string, path: string) => string = (name) => name): Check<Readonly<Record<string, T>>> {
  const checkDictionary = (value: unknown, path: string) => {
    if (value === undefined) value = {}
    const proto = isRecord(value) && Object.getPrototypeOf(value)
    if (proto !== Object.prototype && proto !== null) throw new ConfigError(path, `must be ${expected}, got ${describe(value)}`)
    const out: Record<string, T> = {}
    for (const [name, item] of Object.entries(value as object)) out[key(name, join(path, name))] = each(item, join(path, name))
    return Object.freeze(out)
  }
  return Object.assign(checkDictionary, { each })
}

/**
 * Expands a shorthand before the long form is checked, the way ky turns `retry: 3` into
 * `{ limit: 3 }`: `expand` returns the long form. Anything else that is not an object is refused
 * with `must be <expected>`. The long form's fields stay walkable.
 */
export function shorthand<T>(expand: (value: unknown, path: string) => unknown, long: Check<T>, expected: string): Check<T> {
  const checkShorthand = (value: unknown, path: string) => {
    const expanded = expand(value, path)
    if (expanded !== undefined && !isRecord(expanded)) throw new ConfigError(path, `must be ${expected}, got ${describe(value)}`)
    return long(expanded, path)
  }
  return Object.assign(checkShorthand, { fields: long.fields })
}

/** Full-jitter backoff bounds `{ base, cap }` in milliseconds, `cap` at least `base`. */
export function backoff(fallback: { base: number; cap: number }): Check<{ readonly base: number; readonly cap: number }> {
  const bounds = record({ base: milliseconds(fallback.base), cap: milliseconds(fallback.cap) })
  const checkBackoff = (value: unknown, path: string) => {
    const checked = bounds(value, path)
    if (checked.cap < checked.base) throw new ConfigError(join(path, 'cap'), `must be at least ${join(path, 'base')}`)
    return checked
  }
  return Object.assign(checkBackoff, { fields: bounds.fields })
}

/** Refuses `key` at `path`: a rename where one is known, else the nearest name, else the list. */
export function unknownKey(path: string, key: string, known: readonly string[], renamed: Readonly<Record<string, string>> = {}): never {
  // A rename is suggested only where this record takes the option it names.
  const rename = Object.hasOwn(renamed, key) && known.includes(renamed[key]!.split(/[ :]/)[0]!) ? renamed[key] : undefined
  let near: string | undefined
  let nearest = 3 // a name more than two edits away is not a likely misspelling
  for (const name of known) {
    const distance = editDistance(name.toLowerCase(), key.toLowerCase())
    if (distance < nearest) [near, nearest] = [name, distance]
  }
  const hint = rename ? `write ${rename} instead` : near ? `did you mean ${near}?` : `the options are ${known.join(', ')}`
  throw new ConfigError(join(path, key), `is not an option; ${hint}`)
}

/** Edit distance counting a swap of two neighbouring letters as one edit (the commonest typo), for "did you mean". */
function editDistance(a: string, b: string): number {
  let before: number[] = []
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j]!, before[j - 2]! + 1)
    }
    ;[before, previous] = [previous, row]
  }
  return previous[b.length]!
}

/** One option path a record check accepts, with the check found there. */
export interface OptionPath {
  path: string
  check: Check<unknown>
}

/**
 * Every option path under `root`, nested records and dictionaries included (a dictionary's values
 * appear once, as `<path>.*`, and a dictionary of dictionaries as `<path>.*.*`). For tests and docs:
 * it is how the generated option tests find every path.
 */
export function walkOptions(root: Check<unknown>, path = ''): OptionPath[] {
  const out: OptionPath[] = []
  for (const [key, field] of Object.entries(root.fields ?? {})) {
    const at = join(path, key)
    out.push({ path: at, check: field }, ...walkOptions(field, at))
  }
  if (root.each) out.push({ path: `${path}.*`, check: root.each }, ...walkOptions(root.each, `${path}.*`))
  return out
}
