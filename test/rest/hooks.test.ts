import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { type WirekitError, createClient } from '../../src/index.js'
import { BASE, useMsw } from './support.js'

const server = useMsw()

describe('hooks', () => {
  it('runs beforeRequest and afterResponse once per attempt and onError once per failed call', async () => {
    let hits = 0
    server.use(
      http.get(`${BASE}/flaky`, () => (++hits < 3 ? HttpResponse.json({}, { status: 503 }) : HttpResponse.json({ ok: 1 }))),
      http.get(`${BASE}/gone`, () => HttpResponse.json({}, { status: 404 })),
    )
    const events: string[] = []
    const errors: WirekitError[] = []
    const client = createClient({
      baseUrl: BASE,
      retry: { limit: 3, backoff: { base: 0, cap: 0 } },
      rest: {
        hooks: {
          beforeRequest: [({ request, attempt }) => void events.push(`before ${request.method} ${new URL(request.url).pathname} #${attempt}`)],
          afterResponse: [({ response, attempt }) => void events.push(`after ${response.status} #${attempt}`)],
          onError: [({ error, label }) => void (errors.push(error), events.push(`error ${label}`))],
        },
      },
    })
    await client.rest.request('GET', '/flaky')
    expect(events).toEqual(['before GET /v1/flaky #0', 'after 503 #0', 'before GET /v1/flaky #1', 'after 503 #1', 'before GET /v1/flaky #2', 'after 200 #2'])
    events.length = 0
    await expect(client.rest.request('GET', '/gone')).rejects.toMatchObject({ status: 404 })
    expect(events).toEqual(['before GET /v1/gone #0', 'after 404 #0', 'error GET /gone'])
    expect(errors[0]?.name).toBe('NotFoundError')
  })

  it('lets beforeRequest add a header, and passes a hook exception through untouched', async () => {
    let traced: string | null = null
    server.use(
      http.get(`${BASE}/x`, ({ request }) => {
        traced = request.headers.get('x-trace')
        return HttpResponse.json({})
      }),
    )
    const client = createClient({ baseUrl: BASE, rest: { hooks: { beforeRequest: [({ request }) => request.headers.set('x-trace', 't-1')] } } })
    await client.rest.request('GET', '/x')
    expect(traced).toBe('t-1')
    const boom = new Error('my hook broke')
    const failing = client.rest.withOptions({
      hooks: {
        afterResponse: [
          () => {
            throw boom
          },
        ],
      },
    })
    await expect(failing.request('GET', '/x')).rejects.toBe(boom)
  })
})

describe('withOptions(): a derived client that shares the Auth', () => {
  it('shares one token provider, merges headers, and overrides retry/timeout without touching the parent', async () => {
    const seen: Request[] = []
    let hits = 0
    server.use(
      http.get(`${BASE}/x`, ({ request }) => {
        seen.push(request)
        return ++hits === 1 ? HttpResponse.json({}, { status: 503 }) : HttpResponse.json({})
      }),
    )
    let provided = 0
    const client = createClient({
      baseUrl: BASE,
      auth: () => `tok_shared_${++provided}`,
      headers: { 'x-app': 'notes' },
      retry: { limit: 2, backoff: { base: 0, cap: 0 } },
    })
    const strict = client.rest.withOptions({ retry: false, headers: { 'x-team': 'core' } })
    await expect(strict.request('GET', '/x')).rejects.toMatchObject({ status: 503 })
    await client.rest.request('GET', '/x')
    expect(provided).toBe(1)
    expect(seen.map((request) => request.headers.get('authorization'))).toEqual(['Bearer tok_shared_1', 'Bearer tok_shared_1'])
    expect(seen[0]!.headers.get('x-app')).toBe('notes')
    expect(seen[0]!.headers.get('x-team')).toBe('core')
    expect(seen[1]!.headers.get('x-team')).toBeNull()
  })

  it('keeps the endpoints and adds its hooks after the parent hooks', async () => {
    server.use(http.get(`${BASE}/health`, () => HttpResponse.json({ ok: true })))
    const order: string[] = []
    const client = createClient({
      baseUrl: BASE,
      rest: { endpoints: { health: { method: 'GET', path: '/health' } }, hooks: { beforeRequest: [() => void order.push('parent')] } },
    })
    const child = client.rest.withOptions({ hooks: { beforeRequest: [() => void order.push('child')] } })
    await child.health()
    expect(order).toEqual(['parent', 'child'])
  })
})
