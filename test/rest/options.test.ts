/** The `rest` section and `withOptions()` overrides, checked by the core kit: every path, defaults, and what a mistake says. */
import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { walkOptions } from '../../src/core/checks.js'
import { ConfigError, createClient } from '../../src/index.js'
import { createRestClient } from '../../src/rest/index.js'
import { restOptions, withOptionsOptions } from '../../src/rest/options.js'
import { BASE, useMsw } from './support.js'
import { configError } from '../support.js'

const server = useMsw()


describe('the rest section', () => {
  it('lists every option path, nested hooks included', () => {
    expect(walkOptions(restOptions, 'rest').map(({ path }) => path)).toEqual([
      'rest.endpoints',
      'rest.requestIdHeader',
      'rest.idempotencyKeys',
      'rest.hooks',
      'rest.hooks.beforeRequest',
      'rest.hooks.afterResponse',
      'rest.hooks.onError',
      'rest.random',
      'rest.limits',
      'rest.cache',
    ])
    expect(walkOptions(withOptionsOptions, 'withOptions').map(({ path }) => path)).toEqual([
      'withOptions.headers',
      'withOptions.headers.*',
      'withOptions.timeout',
      'withOptions.totalTimeout',
      'withOptions.retry',
      'withOptions.retry.limit',
      'withOptions.retry.backoff',
      'withOptions.retry.backoff.base',
      'withOptions.retry.backoff.cap',
      'withOptions.retry.maxRetryAfter',
      'withOptions.hooks',
      'withOptions.hooks.beforeRequest',
      'withOptions.hooks.afterResponse',
      'withOptions.hooks.onError',
      'withOptions.idempotencyKeys',
    ])
  })

  it('applies the documented defaults', () => {
    const checked = restOptions(undefined, 'rest')
    expect(checked).toEqual({
      endpoints: {},
      requestIdHeader: 'x-request-id',
      idempotencyKeys: true,
      hooks: { beforeRequest: [], afterResponse: [], onError: [] },
      random: Math.random,
    })
    expect(Object.isFrozen(checked) && Object.isFrozen(checked.hooks) && Object.isFrozen(checked.hooks.onError)).toBe(true)
    expect(restOptions({ requestIdHeader: 'X-Amzn-RequestId' }, 'rest').requestIdHeader).toBe('x-amzn-requestid')
  })

  it('refuses an unknown key at any depth with the full path and the nearest name', () => {
    const nested = configError(() => createClient({ baseUrl: BASE, rest: { hooks: { beforeRequst: [] } } as never }))
    expect(nested.field).toBe('rest.hooks.beforeRequst')
    expect(nested.message).toBe('rest.hooks.beforeRequst: is not an option; did you mean beforeRequest?')
    expect(configError(() => createRestClient({ rest: { requestIdHeadr: 'x-id' } as never })).message).toBe(
      'rest.requestIdHeadr: is not an option; did you mean requestIdHeader?',
    )
    expect(configError(() => createClient({ rest: { idempotencyKey: false } as never })).message).toContain('write idempotencyKeys')
  })

  it('names the option and what it must be for a wrong value', () => {
    expect(configError(() => createClient({ rest: { requestIdHeader: 'x id' } })).field).toBe('rest.requestIdHeader')
    expect(configError(() => createClient({ rest: { idempotencyKeys: 'yes' as never } })).message).toBe('rest.idempotencyKeys: must be true or false, got a string')
    expect(configError(() => createClient({ rest: { random: 0.5 as never } })).field).toBe('rest.random')
    expect(configError(() => createClient({ rest: { hooks: { onError: [() => undefined, 'log'] as never } } })).message).toBe(
      'rest.hooks.onError: must be an array of functions, got an array',
    )
    const endpoint = configError(() => createClient({ rest: { endpoints: { getNote: { method: 'get', path: '/notes/{id}' } as never } } }))
    expect(endpoint.field).toBe('rest.endpoints.getNote.method')
    expect(configError(() => createClient({ rest: { endpoints: { request: { method: 'GET', path: '/x' } } } })).field).toBe('rest.endpoints.request')
  })

  it("copies the hook lists, so a later change to the caller's array changes nothing", async () => {
    server.use(http.get(`${BASE}/x`, () => HttpResponse.json({})))
    const seen: string[] = []
    const beforeRequest = [() => void seen.push('first')]
    const client = createClient({ baseUrl: BASE, rest: { hooks: { beforeRequest } } })
    beforeRequest.push(() => void seen.push('added later'))
    await client.rest.request('GET', '/x')
    expect(seen).toEqual(['first'])
  })
})

describe('withOptions() overrides', () => {
  const client = createClient({ baseUrl: BASE, rest: { idempotencyKeys: false } })

  it('refuses what createClient refuses, at the withOptions path', () => {
    expect(configError(() => client.rest.withOptions({ retry: -1 })).message).toBe('withOptions.retry: must be a whole number, 0 or more, got -1')
    expect(configError(() => client.rest.withOptions({ timeout: 0 })).field).toBe('withOptions.timeout')
    expect(configError(() => client.rest.withOptions({ headers: { authorization: 'Bearer x' } })).field).toBe('withOptions.headers.authorization')
    expect(configError(() => client.rest.withOptions({ retry: { limit: 1, backof: {} } as never })).message).toBe(
      'withOptions.retry.backof: is not an option; did you mean backoff?',
    )
    expect(configError(() => client.rest.withOptions({ maxRetries: 3 } as never)).message).toBe('withOptions.maxRetries: is not an option; write retry: { limit } instead')
    expect(configError(() => client.rest.withOptions({ endpoints: {} } as never)).field).toBe('withOptions.endpoints')
    expect(configError(() => client.rest.withOptions(undefined as never)).field).toBe('withOptions')
    expect(configError(() => client.rest.withOptions('fast' as never)).field).toBe('withOptions')
  })

  it("keeps the parent's value for what it leaves out, and takes false and shorthands as given", async () => {
    const keys: (string | null)[] = []
    let hits = 0
    server.use(
      http.post(`${BASE}/notes`, ({ request }) => {
        keys.push(request.headers.get('idempotency-key'))
        return ++hits === 1 ? HttpResponse.json({}, { status: 503 }) : HttpResponse.json({ ok: true })
      }),
    )
    // The parent's random source (pinned to 0: no backoff wait) carries over to the child's retry policy.
    const parent = createClient({ baseUrl: BASE, retry: { limit: 0 }, rest: { idempotencyKeys: false, random: () => 0 } })
    // idempotencyKeys: true and retry: 1 make the POST safe to retry once; the parent would neither key nor retry it.
    const child = parent.rest.withOptions({ retry: 1, idempotencyKeys: true, timeout: false })
    expect(await child.request('POST', '/notes', { body: {} })).toEqual({ ok: true })
    expect(keys).toHaveLength(2)
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/)
    expect(keys[1]).toBe(keys[0])
    hits = 0
    await expect(parent.rest.request('POST', '/notes', { body: {} })).rejects.toMatchObject({ status: 503 })
    expect(keys[2]).toBeNull()
  })
})
