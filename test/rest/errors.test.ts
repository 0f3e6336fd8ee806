import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import {
  ApiError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
  createClient,
} from '../../src/index.js'
import { parseErrorBody } from '../../src/rest/errors.js'
import { BASE, useMsw } from './support.js'

const server = useMsw()
const noRetry = { baseUrl: BASE, retry: false } as const

describe('non-2xx responses become the ApiError subclass for their status', () => {
  it.each([
    [400, BadRequestError],
    [401, AuthenticationError],
    [403, PermissionDeniedError],
    [404, NotFoundError],
    [409, ConflictError],
    [422, UnprocessableEntityError],
    [429, RateLimitError],
    [500, InternalServerError],
    [418, ApiError],
  ] as const)('%i → %o', async (status, type) => {
    server.use(http.get(`${BASE}/x`, () => HttpResponse.json({}, { status })))
    const error = await createClient(noRetry).rest.request('GET', '/x').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(type)
    expect(error).toMatchObject({ status })
  })

  it('parses code and message from {error: {code, message}}, keeps the body, the Response and the request id', async () => {
    server.use(
      http.get(`${BASE}/notes/:id`, () =>
        HttpResponse.json({ error: { code: 'note_missing', message: 'No such note' } }, { status: 404, headers: { 'x-request-id': 'req_123' } }),
      ),
    )
    const error = (await createClient(noRetry)
      .rest.request('GET', '/notes/{id}', { params: { path: { id: 'n1' } } })
      .catch((e: unknown) => e)) as NotFoundError
    expect(error.code).toBe('note_missing')
    expect(error.message).toBe('GET /notes/{id} failed with 404: No such note')
    expect(error.requestId).toBe('req_123')
    expect(error.body).toEqual({ error: { code: 'note_missing', message: 'No such note' } })
    expect(error.response?.status).toBe(404)
    expect(error.headers.get('x-request-id')).toBe('req_123')
  })

  it('reads the request id from a configured header', async () => {
    server.use(http.get(`${BASE}/x`, () => HttpResponse.json({}, { status: 500, headers: { 'x-amzn-requestid': 'amz-9' } })))
    const client = createClient({ ...noRetry, rest: { requestIdHeader: 'X-Amzn-RequestId' } })
    await expect(client.rest.request('GET', '/x')).rejects.toMatchObject({ requestId: 'amz-9', code: 'server_error' })
  })

  it('parses RFC 9457 problem+json and flat {code, message}', async () => {
    server.use(
      http.get(
        `${BASE}/problem`,
        () =>
          new HttpResponse(JSON.stringify({ type: 'https://example.com/probs/out-of-credit', title: 'Out of credit', detail: 'Balance is 30' }), {
            status: 403,
            headers: { 'content-type': 'application/problem+json' },
          }),
      ),
      http.get(`${BASE}/flat`, () => HttpResponse.json({ code: 'too_big', message: 'Too big' }, { status: 422 })),
    )
    const client = createClient(noRetry)
    await expect(client.rest.request('GET', '/problem')).rejects.toMatchObject({ code: 'out-of-credit', message: 'GET /problem failed with 403: Out of credit: Balance is 30' })
    await expect(client.rest.request('GET', '/flat')).rejects.toMatchObject({ code: 'too_big', message: 'GET /flat failed with 422: Too big' })
  })

  it('keeps the default code for a non-JSON error body and keeps the text as body', async () => {
    server.use(http.get(`${BASE}/x`, () => HttpResponse.text('upstream down', { status: 502 })))
    await expect(createClient(noRetry).rest.request('GET', '/x')).rejects.toMatchObject({ code: 'server_error', body: 'upstream down' })
  })

  it('parses the common shapes', () => {
    expect(parseErrorBody({ error: 'invalid_grant', error_description: 'expired' })).toEqual({ code: 'invalid_grant', message: 'expired' })
    expect(parseErrorBody({ type: 'about:blank', title: 'Not Found' })).toEqual({ code: undefined, message: 'Not Found' })
    expect(parseErrorBody('nope')).toEqual({})
    expect(parseErrorBody(null)).toEqual({})
  })
})

describe('network failures and timeouts', () => {
  it('a network failure is a ConnectionError with the cause kept', async () => {
    server.use(http.get(`${BASE}/x`, () => HttpResponse.error()))
    const error = (await createClient(noRetry).rest.request('GET', '/x').catch((e: unknown) => e)) as ConnectionError
    expect(error).toBeInstanceOf(ConnectionError)
    expect(error.code).toBe('connection_failed')
    expect(error.cause).toBeInstanceOf(TypeError)
  })
})
