import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  backoff,
  boolean,
  count,
  dictionary,
  headerName,
  milliseconds,
  oneOf,
  record,
  seconds,
  shorthand,
  timeLimit,
  unknownKey,
  walkOptions,
} from '../../src/core/checks.js'
import { ConfigError } from '../../src/core/index.js'
import { configError } from '../support.js'


const queue = record({ size: count(1_000), ttlMs: milliseconds(30_000, 1) })
const options = record({ heartbeatMs: milliseconds(25_000, 1), backoff: backoff({ base: 500, cap: 30_000 }), queue, mode: oneOf(['a', 'b'], 'a') })

describe('leaf checks', () => {
  it('give the default for an absent value and keep a valid one', () => {
    expect(milliseconds(500)(undefined, 'x')).toBe(500)
    expect(milliseconds(500)(0, 'x')).toBe(0)
    expect(seconds(300)(1.5, 'x')).toBe(1.5)
    expect(count(Infinity)(Infinity, 'x')).toBe(Infinity)
    expect(count(2)(3, 'x')).toBe(3)
    expect(timeLimit(false)(undefined, 'x')).toBe(false)
    expect(timeLimit(60_000)(false, 'x')).toBe(false)
    expect(boolean(true)(undefined, 'x')).toBe(true)
    expect(headerName('x-request-id')('X-Trace-Id', 'x')).toBe('x-trace-id')
  })

  it('refuse a wrong value naming the path, what it must be, and what it got', () => {
    expect(configError(() => milliseconds(500, 1)(0, 'realtime.heartbeatMs')).message).toBe(
      'realtime.heartbeatMs: must be a number of milliseconds, at least 1, got 0',
    )
    expect(configError(() => count(2)(1.5, 'retry.limit')).message).toBe('retry.limit: must be a whole number, 0 or more, got 1.5')
    expect(configError(() => oneOf(['a', 'b'])('c', 'mode')).message).toBe("mode: must be one of 'a', 'b', got a string")
    expect(configError(() => headerName()('bad header', 'rest.requestIdHeader')).field).toBe('rest.requestIdHeader')
    expect(configError(() => timeLimit(1)(0, 'timeout')).field).toBe('timeout')
  })

  it('refuse every non-number as a duration, whatever it is', () => {
    fc.assert(
      fc.property(
        fc.anything().filter((value) => typeof value !== 'number' && value !== undefined),
        (value) => configError(() => milliseconds(1)(value, 'a.b')).field === 'a.b',
      ),
    )
  })
})

describe('record', () => {
  it('applies every default for an absent section, and freezes', () => {
    const settings = options(undefined, 'realtime')
    expect(settings).toEqual({ heartbeatMs: 25_000, backoff: { base: 500, cap: 30_000 }, queue: { size: 1_000, ttlMs: 30_000 }, mode: 'a' })
    expect(Object.isFrozen(settings)).toBe(true)
    expect(Object.isFrozen(settings.queue)).toBe(true)
  })

  it('refuses an unknown key at any depth with the full path and the nearest name', () => {
    const nested = configError(() => options({ backoff: { baseMs: 5 } }, 'realtime'))
    expect(nested.field).toBe('realtime.backoff.baseMs')
    expect(nested.message).toBe('realtime.backoff.baseMs: is not an option; did you mean base?')
    expect(configError(() => options({ queue: { sizee: 5 } }, 'realtime')).message).toBe('realtime.queue.sizee: is not an option; did you mean size?')
    expect(configError(() => options({ zzz: 1 }, '')).message).toBe('zzz: is not an option; the options are heartbeatMs, backoff, queue, mode')
  })

  it('counts two swapped letters as one edit when it picks the nearest name', () => {
    expect(() => unknownKey('', 'rets', ['retry', 'rest'])).toThrow('rets: is not an option; did you mean rest?')
    expect(() => unknownKey('', 'rtery', ['retry', 'rest'])).toThrow('did you mean retry?')
    expect(() => unknownKey('', 'headrs', ['heartbeatMs'])).toThrow('the options are heartbeatMs')
  })

  it('treats keys Object.prototype has as unknown', () => {
    expect(configError(() => options(JSON.parse('{"__proto__": {}}'), 'realtime')).field).toBe('realtime.__proto__')
    expect(configError(() => options({ toString: 1 }, 'realtime')).field).toBe('realtime.toString')
  })

  it('refuses what is not an object, naming its fields', () => {
    expect(configError(() => queue(5, 'realtime.queue')).message).toBe('realtime.queue: must be an object with size, ttlMs, got 5')
    expect(configError(() => queue([], 'realtime.queue')).message).toContain('got an array')
  })

  it('suggests a rename only where the record takes the name it points to', () => {
    const renamed = { baseURL: 'baseUrl', maxRetries: 'retry: { limit }' }
    expect(() => unknownKey('', 'baseURL', ['baseUrl'], renamed)).toThrow('baseURL: is not an option; write baseUrl instead')
    expect(() => unknownKey('', 'maxRetries', ['baseUrl'], renamed)).toThrow('maxRetries: is not an option; the options are baseUrl')
  })

  it('never lets an unknown key through, whatever its name', () => {
    const known = new Set(Object.keys(options.fields!))
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }).filter((key) => !known.has(key)),
        (key) => configError(() => options({ [key]: 1 }, 'realtime')).field === `realtime.${key}`,
      ),
    )
  })

  it('never mutates the input', () => {
    const input = { backoff: { base: 1 } }
    options(input, '')
    expect(input).toEqual({ backoff: { base: 1 } })
    expect(Object.isFrozen(input)).toBe(false)
  })
})

describe('backoff', () => {
  it('refuses a cap below the base, naming both', () => {
    expect(configError(() => options({ backoff: { base: 10, cap: 5 } }, 'realtime')).message).toBe(
      'realtime.backoff.cap: must be at least realtime.backoff.base',
    )
  })
})

describe('dictionary and shorthand', () => {
  const headers = dictionary(
    (value, path) => {
      if (typeof value !== 'string') throw new ConfigError(path, 'must be a string')
      return value
    },
    'a plain object of header names',
    (name) => name.toLowerCase(),
  )

  it('checks each value at its own path and keeps the key the key check returns', () => {
    expect(headers({ 'X-A': 'b' }, 'headers')).toEqual({ 'x-a': 'b' })
    expect(configError(() => headers({ 'x-a': 1 }, 'headers')).field).toBe('headers.x-a')
  })

  it('refuses a class instance where a plain object is expected', () => {
    expect(configError(() => headers(new Map(), 'headers')).message).toBe('headers: must be a plain object of header names, got an object')
  })

  it('expands a shorthand once and checks the long form', () => {
    const retry = shorthand((value) => (typeof value === 'number' ? { limit: value } : value), record({ limit: count(2) }), 'a number or { limit }')
    expect(retry(3, 'retry')).toEqual({ limit: 3 })
    expect(retry(undefined, 'retry')).toEqual({ limit: 2 })
    expect(configError(() => retry('x', 'retry')).message).toBe('retry: must be a number or { limit }, got a string')
    expect(Object.keys(retry.fields!)).toEqual(['limit'])
  })
})

describe('walkOptions', () => {
  it('lists every option path, nested records and dictionaries included', () => {
    const root = record({ realtime: options, headers: dictionary(count(), 'an object') })
    expect(walkOptions(root).map(({ path }) => path)).toEqual([
      'realtime',
      'realtime.heartbeatMs',
      'realtime.backoff',
      'realtime.backoff.base',
      'realtime.backoff.cap',
      'realtime.queue',
      'realtime.queue.size',
      'realtime.queue.ttlMs',
      'realtime.mode',
      'headers',
      'headers.*',
    ])
  })
})
