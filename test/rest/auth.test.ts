import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { AuthenticationError, createClient } from '../../src/index.js'
import { BASE, useMsw } from './support.js'

const server = useMsw()

/** A server that accepts only `Bearer <valid>` and counts what it saw. */
function guarded(valid: () => string) {
  const seen: string[] = []
  server.use(
    http.get(`${BASE}/me`, ({ request }) => {
      const header = request.headers.get('authorization') ?? ''
      seen.push(header)
      return header === `Bearer ${valid()}` ? HttpResponse.json({ ok: true }) : HttpResponse.json({ error: { message: 'bad token' } }, { status: 401 })
    }),
  )
  return seen
}

describe('auth refresh on 401', () => {
  it('50 concurrent calls that all hit 401 cause exactly one refresh, then all succeed', async () => {
    let providerCalls = 0
    // The first call hands out a token the server has already revoked; later calls a fresh one.
    const seen = guarded(() => 'tok_fresh_2')
    const client = createClient({ baseUrl: BASE, auth: async () => (++providerCalls === 1 ? 'tok_initial_0' : `tok_fresh_${providerCalls}`) })
    const results = await Promise.all(Array.from({ length: 50 }, () => client.rest.request('GET', '/me')))
    expect(results).toHaveLength(50)
    expect(providerCalls - 1).toBe(1) // refreshes
    expect(seen.filter((header) => header === 'Bearer tok_initial_0')).toHaveLength(50)
    expect(seen.filter((header) => header === 'Bearer tok_fresh_2')).toHaveLength(50)
  })

  it('a second 401 after the refresh is an AuthenticationError, not a loop', async () => {
    let calls = 0
    const seen = guarded(() => 'never-valid')
    const client = createClient({ baseUrl: BASE, auth: () => `tok_${++calls}` })
    const error = await client.rest.request('GET', '/me').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AuthenticationError)
    expect(seen).toEqual(['Bearer tok_1', 'Bearer tok_2'])
    expect(calls).toBe(2)
  })

  it('replays a POST after a 401 with the same Idempotency-Key', async () => {
    const keys: Array<string | null> = []
    server.use(
      http.post(`${BASE}/notes`, ({ request }) => {
        keys.push(request.headers.get('idempotency-key'))
        return request.headers.get('authorization') === 'Bearer tok_2' ? HttpResponse.json({ id: 1 }, { status: 201 }) : new HttpResponse(null, { status: 401 })
      }),
    )
    let calls = 0
    const client = createClient({ baseUrl: BASE, auth: () => `tok_${++calls}` })
    await client.rest.request('POST', '/notes', { body: { text: 'x' } })
    expect(keys).toHaveLength(2)
    expect(keys[0]).toBeTruthy()
    expect(keys[1]).toBe(keys[0])
  })

  it('a static token that gets 401 is not replayed (there is nothing fresher)', async () => {
    const seen = guarded(() => 'other')
    const client = createClient({ baseUrl: BASE, auth: 'tok_static_xyz' })
    await expect(client.rest.request('GET', '/me')).rejects.toBeInstanceOf(AuthenticationError)
    expect(seen).toHaveLength(1)
  })

  it('takes the credential from the shared Auth per request, with an API key in its own header', async () => {
    let header: string | null = null
    server.use(
      http.get(`${BASE}/me`, ({ request }) => {
        header = request.headers.get('x-api-key')
        return HttpResponse.json({ authorization: request.headers.get('authorization') })
      }),
    )
    const client = createClient({ baseUrl: BASE, auth: { apiKey: 'key_abcdef', header: 'x-api-key' } })
    expect(await client.rest.request('GET', '/me')).toEqual({ authorization: null })
    expect(header).toBe('key_abcdef')
  })

  it('an auth provider that throws fails the call with AuthError, without sending it', async () => {
    const seen = guarded(() => 'x')
    const client = createClient({
      baseUrl: BASE,
      auth: () => {
        throw new Error('vault down')
      },
    })
    await expect(client.rest.request('GET', '/me')).rejects.toMatchObject({ name: 'AuthError', code: 'auth_provider_failed' })
    expect(seen).toHaveLength(0)
  })
})
