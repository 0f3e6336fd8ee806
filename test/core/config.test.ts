import { describe, expect, expectTypeOf, it } from 'vitest'
import { ConfigError, type CoreOptions, isWirekitError, resolveConfig, resolveOptions } from '../../src/core/index.js'
import { createRealtimeClient } from '../../src/realtime/index.js'
import { REALTIME_OPTIONS } from '../../src/realtime/options.js'
import { configError } from '../support.js'


describe('resolveConfig', () => {
  it('applies the documented defaults', () => {
    const config = resolveConfig({})
    expect(config.baseUrl).toBeUndefined()
    expect(config.realtimeUrl).toBeUndefined()
    expect(config.timeout).toBe(60_000)
    expect(config.totalTimeout).toBe(false)
    expect(config.retry).toEqual({ limit: 2, backoff: { base: 500, cap: 8_000 }, maxRetryAfter: 60_000 })
    expect(config.headers).toEqual({})
    expect(config.logLevel).toBe('warn')
    expect(config.userAgent).toMatch(/^wirekit\/\d+\.\d+\.\d+/)
    expect(config.webhookSecrets).toEqual([])
  })

  it('derives realtimeUrl from baseUrl: http→ws, https→wss, path /realtime', () => {
    const href = (options: CoreOptions) => (resolveConfig(options).realtimeUrl as URL).href
    expect(href({ baseUrl: 'https://api.example.com/v1/' })).toBe('wss://api.example.com/v1/realtime')
    expect(href({ baseUrl: 'http://127.0.0.1:8080' })).toBe('ws://127.0.0.1:8080/realtime')
    expect(href({ baseUrl: 'https://a.example', realtimeUrl: 'wss://rt.example/live' })).toBe('wss://rt.example/live')
    expect(href({ realtimeUrl: 'https://rt.example/live' })).toBe('wss://rt.example/live')
  })

  it('takes realtimeUrl as a list, each entry checked (http→ws) and named by its index, or as a function, kept as given', () => {
    const given = new URL('http://b.example/rt')
    const list = resolveConfig({ realtimeUrl: ['https://a.example/rt', given] }).realtimeUrl as readonly URL[]
    expect(list.map((url) => url.href)).toEqual(['wss://a.example/rt', 'ws://b.example/rt'])
    expect(Object.isFrozen(list)).toBe(true)
    expect(given.protocol).toBe('http:')
    const pick = ({ attempt }: { attempt: number }) => `wss://rt${attempt}.example/live`
    expect(resolveConfig({ baseUrl: 'https://api.example.com', realtimeUrl: pick }).realtimeUrl).toBe(pick)
    expect(configError(() => resolveConfig({ realtimeUrl: [] }))).toMatchObject({ field: 'realtimeUrl', message: 'realtimeUrl: must list at least one URL' })
    expect(configError(() => resolveConfig({ realtimeUrl: ['wss://ok.example', 'ftp://no.example'] }))).toMatchObject({ field: 'realtimeUrl[1]' })
    expect(configError(() => resolveConfig({ realtimeUrl: ['wss://user:pw@a.example'] })).message).toBe('realtimeUrl[0]: must not carry credentials; use the auth option instead')
  })

  it('expands the retry shorthands once', () => {
    expect(resolveConfig({ retry: 5 }).retry.limit).toBe(5)
    expect(resolveConfig({ retry: false }).retry.limit).toBe(0)
    expect(resolveConfig({ retry: true }).retry.limit).toBe(2)
    expect(resolveConfig({ retry: { backoff: { base: 0 } } }).retry).toEqual({ limit: 2, backoff: { base: 0, cap: 8_000 }, maxRetryAfter: 60_000 })
  })

  it('freezes the result, deeply where it matters', () => {
    const config = resolveConfig({ headers: { 'x-team': 'a' }, retry: { limit: 1 }, rest: { a: 1 } })
    expect(Object.isFrozen(config)).toBe(true)
    expect(Object.isFrozen(config.headers)).toBe(true)
    expect(Object.isFrozen(config.retry)).toBe(true)
    expect(Object.isFrozen(config.retry.backoff)).toBe(true)
    expect(Object.isFrozen(config.webhookSecrets)).toBe(true)
    expect(Object.isFrozen(config.rest)).toBe(true)
    expect(() => {
      ;(config as { timeout: number }).timeout = 1
    }).toThrow(TypeError)
  })

  it("never mutates the caller's object", () => {
    const options = {
      baseUrl: 'https://api.example.com',
      headers: { 'X-Team': 'a' },
      retry: { limit: 3, backoff: { base: 10 } },
      webhookSecret: ['whsec_one', 'whsec_two'],
      rest: { endpoints: {} },
    }
    const snapshot = structuredClone(options)
    Object.freeze(options.headers)
    Object.freeze(options.retry.backoff)
    resolveConfig(options)
    expect(options).toEqual(snapshot)
  })

  const bad: Array<[string, () => unknown, RegExp]> = [
    ['baseUrl', () => resolveConfig({ baseUrl: 'not a url' }), /full/],
    ['baseUrl', () => resolveConfig({ baseUrl: 'ftp://files.example' }), /http: or https:/],
    ['baseUrl', () => resolveConfig({ baseUrl: 'https://user:pw@api.example' }), /auth option/],
    ['baseUrl', () => resolveConfig({ baseUrl: 'https://api.example/?a=1' }), /query/],
    ['baseUrl', () => resolveConfig({ baseUrl: 42 as unknown as string }), /URL string/],
    ['realtimeUrl', () => resolveConfig({ realtimeUrl: 'mailto:x@example.com' }), /ws:/],
    ['timeout', () => resolveConfig({ timeout: -1 }), /positive/],
    ['timeout', () => resolveConfig({ timeout: Number.NaN }), /positive/],
    ['totalTimeout', () => resolveConfig({ totalTimeout: 0 }), /positive/],
    ['retry', () => resolveConfig({ retry: 'yes' as unknown as number }), /number, a boolean/],
    ['retry', () => resolveConfig({ retry: -1 }), /whole number/],
    ['retry.limit', () => resolveConfig({ retry: { limit: 1.5 } }), /whole number/],
    ['retry.max', () => resolveConfig({ retry: { max: 3 } as never }), /limit, backoff, maxRetryAfter/],
    ['retry.backoff.base', () => resolveConfig({ retry: { backoff: { base: -5 } } }), /number of milliseconds, at least 0/],
    ['retry.backoff.cap', () => resolveConfig({ retry: { backoff: { base: 100, cap: 10 } } }), /at least/],
    ['retry.maxRetryAfter', () => resolveConfig({ retry: { maxRetryAfter: Infinity } }), /number of milliseconds, at least 0/],
    ['headers', () => resolveConfig({ headers: new Headers() as never }), /plain object/],
    ['headers.bad name', () => resolveConfig({ headers: { 'bad name': 'x' } }), /header name/],
    ['headers.x-a', () => resolveConfig({ headers: { 'x-a': 'a\r\nb' } }), /CR, LF/],
    ['headers.Authorization', () => resolveConfig({ headers: { Authorization: 'Bearer x' } }), /auth option/],
    ['fetch', () => resolveConfig({ fetch: 'fetch' as never }), /function/],
    ['WebSocket', () => resolveConfig({ WebSocket: {} as never }), /WebSocket constructor/],
    ['logger', () => resolveConfig({ logger: 'console' as never }), /console-shaped/],
    ['logLevel', () => resolveConfig({ logLevel: 'loud' as never }), /'debug', 'info'/],
    ['userAgent', () => resolveConfig({ userAgent: '' }), /non-empty/],
    ['auth', () => resolveConfig({ auth: '' }), /empty/],
    ['auth', () => resolveConfig({ auth: 42 as never }), /token string/],
    ['auth.apiKey', () => resolveConfig({ auth: { apiKey: '' } }), /non-empty/],
    ['auth.header', () => resolveConfig({ auth: { apiKey: 'k', header: 'x y' } }), /header name/],
    ['auth.scheme', () => resolveConfig({ auth: { apiKey: 'k', scheme: 'Token' } as never }), /not an option/],
    ['auth.token', () => resolveConfig({ auth: { token: 5 } as never }), /function/],
    ['webhookSecret', () => resolveConfig({ webhookSecret: [] }), /non-empty/],
    ['webhookSecret[1]', () => resolveConfig({ webhookSecret: ['whsec_a', ''] }), /non-empty/],
    ['rest', () => resolveConfig({ rest: 'fast' as never }), /object/],
    ['options', () => resolveConfig(null as never), /object/],
  ]
  it.each(bad)('a bad %s is a ConfigError naming that field', (field, run, hint) => {
    const error = configError(run)
    expect(error.field).toBe(field)
    expect(error.code).toBe('invalid_config')
    expect(error.message.startsWith(`${field}: `)).toBe(true)
    expect(error.message).toMatch(hint)
    expect(isWirekitError(error)).toBe(true)
  })

  it.each([
    ['baseURL', 'write baseUrl instead'],
    ['prefixUrl', 'write baseUrl instead'],
    ['apiKey', 'write auth: { apiKey } instead'],
    ['maxRetries', 'write retry: { limit } instead'],
    ['secret', 'write webhookSecret instead'],
    ['timout', 'did you mean timeout?'],
    ['loger', 'did you mean logger?'],
    ['frobnicate', 'the options are baseUrl'],
  ])('an unknown option %s names itself and what to write instead', (key, hint) => {
    const error = configError(() => resolveConfig({ [key]: 'x' } as CoreOptions))
    expect(error.field).toBe(key)
    expect(error.message).toContain(hint)
  })

  it('types every option', () => {
    expectTypeOf<CoreOptions['timeout']>().toEqualTypeOf<number | false | undefined>()
    // @ts-expect-error an unknown option does not compile either
    const misspelled = () => resolveConfig({ baseURL: 'https://a.example' })
    expect(misspelled).toThrow(ConfigError)
  })
})

describe('a client that takes only the options it reads', () => {

  it('resolves its own options and refuses the others, listing what it takes', () => {
    const config = resolveOptions({ baseUrl: 'https://api.example.com/v1', timeout: 5_000 }, REALTIME_OPTIONS)
    expect((config.realtimeUrl as URL).href).toBe('wss://api.example.com/v1/realtime')
    expect(config.timeout).toBe(5_000)
    expect('retry' in config).toBe(false)
    const error = configError(() => resolveOptions({ retry: 3 }, REALTIME_OPTIONS))
    expect(error.field).toBe('retry')
    expect(error.message).toBe(
      'retry: is not an option; the options are baseUrl, realtimeUrl, auth, timeout, WebSocket, logger, logLevel, realtime',
    )
  })

  it('suggests a rename only when that client takes the option it names', () => {
    expect(configError(() => resolveConfig({ maxRetries: 3 } as CoreOptions)).message).toContain('write retry: { limit } instead')
    const realtime = configError(() => resolveOptions({ maxRetries: 3 } as CoreOptions, REALTIME_OPTIONS))
    expect(realtime.message).not.toContain('retry: { limit }')
    expect(configError(() => resolveOptions({ wsUrl: 'wss://a.example' } as CoreOptions, REALTIME_OPTIONS)).message).toContain(
      'write realtimeUrl instead',
    )
  })

  it('createRealtimeClient refuses a REST-only option with a ConfigError', () => {
    expect(() => createRealtimeClient({ realtimeUrl: 'ws://127.0.0.1:1', headers: { 'x-a': 'b' } } as never)).toThrow(
      /^headers: is not an option; the options are baseUrl, realtimeUrl/,
    )
  })

  it('treats keys that Object.prototype has as unknown options', () => {
    expect(configError(() => resolveConfig(JSON.parse('{"toString": 1}'))).field).toBe('toString')
    expect(configError(() => resolveOptions(JSON.parse('{"__proto__": 1}'), REALTIME_OPTIONS)).field).toBe('__proto__')
  })
})
