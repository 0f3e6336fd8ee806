import { http, HttpResponse } from 'msw'
import * as v from 'valibot'
import { describe, expect, expectTypeOf, it } from 'vitest'
import { z } from 'zod'
import { ConfigError, createClient } from '../../src/index.js'
import { InvalidRequestError, ResponseValidationError, createRestClient, defineEndpoints, typed } from '../../src/rest/index.js'
import { BASE, useMsw } from './support.js'

const server = useMsw()

const Note = z.object({ id: z.string(), text: z.string(), tags: z.array(z.string()) })

const endpoints = defineEndpoints({
  getNote: { method: 'GET', path: '/notes/{id}', response: Note },
  listNotes: { method: 'GET', path: '/notes', query: typed<{ limit?: number; tag?: string[] }>(), response: typed<{ data: { id: string }[] }>() },
  createNote: { method: 'POST', path: '/notes', body: v.object({ text: v.pipe(v.string(), v.minLength(1)) }), response: Note },
  deleteNote: { method: 'DELETE', path: '/notes/{id}' },
})

describe('client.rest: the three ways to call', () => {
  it('calls a named endpoint with its path params, validates with its schema and types the result', async () => {
    let seen: Request | undefined
    server.use(
      http.get(`${BASE}/notes/:id`, ({ request }) => {
        seen = request
        return HttpResponse.json({ id: 'a/b', text: 'hi', tags: [] })
      }),
    )
    const client = createClient({ baseUrl: BASE, auth: 'tok_static_123', rest: { endpoints } })
    const note = await client.rest.getNote({ id: 'a/b' })
    expectTypeOf(note).toEqualTypeOf<{ id: string; text: string; tags: string[] }>()
    expect(note).toEqual({ id: 'a/b', text: 'hi', tags: [] })
    expect(new URL(seen!.url).pathname).toBe('/v1/notes/a%2Fb')
    expect(seen!.headers.get('authorization')).toBe('Bearer tok_static_123')
    expect(seen!.headers.get('accept')).toBe('application/json')
    expect(seen!.headers.get('user-agent')).toMatch(/^wirekit\//)
  })

  it('sends query arrays as repeated keys and leaves out undefined values', async () => {
    let url = ''
    server.use(
      http.get(`${BASE}/notes`, ({ request }) => {
        url = request.url
        return HttpResponse.json({ data: [{ id: '1' }] })
      }),
    )
    const client = createClient({ baseUrl: BASE, rest: { endpoints } })
    const list = await client.rest.listNotes({ query: { limit: 5, tag: ['a b', 'c&d'] } })
    expectTypeOf(list).toEqualTypeOf<{ data: { id: string }[] }>()
    expect(new URL(url).search).toBe('?limit=5&tag=a%20b&tag=c%26d')
  })

  it('names the endpoint and the failing path when the response does not match its schema', async () => {
    server.use(http.get(`${BASE}/notes/:id`, () => HttpResponse.json({ id: 7, text: 'hi', tags: ['ok', 3] })))
    const client = createClient({ baseUrl: BASE, rest: { endpoints } })
    const error = await client.rest.getNote({ id: '1' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ResponseValidationError)
    const failure = error as ResponseValidationError
    expect(failure.endpoint).toBe('getNote')
    expect(failure.issues.map((issue) => issue.path)).toEqual(['id', 'tags.1'])
    expect(failure.message).toMatch(/^getNote: the response does not match its schema at id: /)
    expect(failure.status).toBe(200)
  })

  it('checks a body against its schema before sending, naming the field', async () => {
    const client = createClient({ baseUrl: BASE, rest: { endpoints } })
    const error = await client.rest.createNote({ body: { text: '' } }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InvalidRequestError)
    expect((error as InvalidRequestError).field).toBe('createNote.body.text')
  })

  it('calls an untyped path with request(), and returns undefined for 204 and text for text/plain', async () => {
    server.use(
      http.delete(`${BASE}/notes/:id`, () => new HttpResponse(null, { status: 204 })),
      http.get(`${BASE}/health`, () => HttpResponse.text('ok')),
    )
    const client = createClient({ baseUrl: BASE, rest: { endpoints } })
    expect(await client.rest.deleteNote({ id: 'x' })).toBeUndefined()
    expect(await client.rest.request('GET', '/health')).toBe('ok')
  })

  it('works alone through createRestClient, with endpoints inferred', async () => {
    server.use(http.get(`${BASE}/notes/:id`, ({ params }) => HttpResponse.json({ id: params.id, text: 't', tags: [] })))
    const rest = createRestClient({ baseUrl: BASE, rest: { endpoints } })
    const note = await rest.getNote({ id: 'n1' })
    expectTypeOf(note.text).toEqualTypeOf<string>()
    expect(note.id).toBe('n1')
  })

  it('adds endpoints to a client with withEndpoints()', async () => {
    server.use(http.get(`${BASE}/health`, () => HttpResponse.json({ status: 'up' })))
    const client = createClient({ baseUrl: BASE })
    const api = client.rest.withEndpoints({ health: { method: 'GET', path: '/health', response: typed<{ status: 'up' | 'down' }>() } })
    const health = await api.health()
    expectTypeOf(health.status).toEqualTypeOf<'up' | 'down'>()
    expect(health.status).toBe('up')
  })
})

describe('client.rest: bad input is a typed error naming what was wrong', () => {
  const client = createClient({ baseUrl: BASE, rest: { endpoints } })

  it('refuses a missing or empty path parameter before sending', async () => {
    await expect(client.rest.request('GET', '/notes/{id}')).rejects.toMatchObject({ name: 'InvalidRequestError', field: 'params.path' })
    await expect(client.rest.request('GET', '/notes/{id}', { params: { path: { id: '' } } })).rejects.toMatchObject({ field: 'params.path.id' })
    await expect(client.rest.request('GET', '/notes/{id}', { params: { path: { idd: '1' } as never } })).rejects.toMatchObject({ field: 'params.path.id' })
    // @ts-expect-error: an unknown key is refused at compile time too
    await expect(client.rest.getNote({ id: '1', extra: 2 })).rejects.toMatchObject({ field: 'getNote.extra' })
  })

  it("names an endpoint method's missing or bad path parameter as the argument the caller wrote, with the endpoint", async () => {
    // @ts-expect-error: id is required at compile time too
    const missing = await client.rest.getNote({}).catch((e: unknown) => e)
    expect(missing).toBeInstanceOf(InvalidRequestError)
    expect(missing).toMatchObject({ field: 'getNote.id', message: 'getNote.id: is required by /notes/{id}' })
    await expect(client.rest.deleteNote({ id: '' })).rejects.toMatchObject({ field: 'deleteNote.id' })
    await expect(client.rest.getNote({ id: '..' })).rejects.toMatchObject({ field: 'getNote.id' })
    await expect(client.rest.getNote({ id: {} as never })).rejects.toMatchObject({ field: 'getNote.id' })
  })

  it('refuses a path with a query, a non-object query value, an unknown call option and a GET body', async () => {
    await expect(client.rest.request('GET', '/notes?x=1')).rejects.toMatchObject({ field: 'path' })
    await expect(client.rest.request('GET', 'notes')).rejects.toMatchObject({ field: 'path' })
    await expect(client.rest.request('GET', '/notes', { params: { query: { q: { a: 1 } as never } } })).rejects.toMatchObject({ field: 'params.query.q' })
    await expect(client.rest.request('GET', '/notes', { retries: 3 } as never)).rejects.toMatchObject({ field: 'options.retries' })
    await expect(client.rest.request('GET', '/notes', { body: { a: 1 } })).rejects.toMatchObject({ field: 'body' })
    await expect(client.rest.request('FETCH', '/notes')).rejects.toMatchObject({ field: 'method' })
    await expect(client.rest.request('GET', '/notes', { timeout: -5 })).rejects.toMatchObject({ field: 'options.timeout' })
  })

  it('refuses bad rest options and endpoint definitions with a ConfigError naming the field', () => {
    expect(() => createClient({ baseUrl: BASE, rest: { idempotency: false } as never })).toThrow(/rest\.idempotency: is not an option; write idempotencyKeys/)
    expect(() => createClient({ baseUrl: BASE, rest: { endpoints: { request: { method: 'GET', path: '/x' } } } })).toThrow(ConfigError)
    expect(() => defineEndpoints({ bad: { method: 'get' as 'GET', path: '/x' } })).toThrow(/endpoints\.bad\.method/)
    expect(() => defineEndpoints({ bad: { method: 'GET', path: '/x/../y' } })).toThrow(/endpoints\.bad\.path/)
    expect(() => defineEndpoints({ bad: { method: 'GET', path: '/x', response: {} as never } })).toThrow(/endpoints\.bad\.response/)
    expect(() => client.rest.withOptions({ retry: -1 })).toThrow(/retry: must be/)
    expect(() => client.rest.withOptions({ prefixUrl: 'x' } as never)).toThrow(/withOptions\.prefixUrl/)
  })

  it('says baseUrl is needed when it is missing', async () => {
    await expect(createClient().rest.request('GET', '/x')).rejects.toMatchObject({ name: 'ConfigError', field: 'baseUrl' })
  })
})
