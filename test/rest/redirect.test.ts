/** Redirects between two real loopback servers: different ports are different origins. */
import type { IncomingHttpHeaders } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { createClient } from '../../src/index.js'
import { listen, readBody } from './support.js'

const servers: Array<{ close: () => Promise<void> }> = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

async function serve(handler: Parameters<typeof listen>[0]) {
  const server = await listen(handler)
  servers.push(server)
  return server
}

describe('credentials never go to another origin', () => {
  async function setup(status: number) {
    const other: Array<{ headers: IncomingHttpHeaders; method?: string; body: string }> = []
    const home: Array<{ headers: IncomingHttpHeaders; url?: string; method?: string; body: string }> = []
    const evil = await serve(async (req, res) => {
      other.push({ headers: req.headers, method: req.method, body: await readBody(req) })
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"where":"other"}')
    })
    const api = await serve(async (req, res) => {
      home.push({ headers: req.headers, url: req.url, method: req.method, body: await readBody(req) })
      if (req.url === '/v1/away') res.writeHead(status, { location: `${evil.url}/stolen` }).end()
      else if (req.url === '/v1/moved') res.writeHead(status, { location: '/v1/here' }).end()
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"where":"home"}')
    })
    return { api, other, home }
  }

  it.each([301, 302, 303, 307, 308])('a %i to another origin arrives without Authorization or the API-key header', async (status) => {
    const { api, other } = await setup(status)
    const bearer = createClient({ baseUrl: `${api.url}/v1`, auth: 'tok_redirect_secret' })
    expect(await bearer.rest.request('GET', '/away')).toEqual({ where: 'other' })
    const keyed = createClient({ baseUrl: `${api.url}/v1`, auth: { apiKey: 'key_redirect_secret', header: 'x-api-key' } })
    expect(await keyed.rest.request('GET', '/away')).toEqual({ where: 'other' })
    expect(other).toHaveLength(2)
    for (const { headers } of other) {
      expect(headers.authorization).toBeUndefined()
      expect(headers['x-api-key']).toBeUndefined()
    }
  })

  it('a same-origin redirect keeps the credential', async () => {
    const { api, home } = await setup(302)
    const client = createClient({ baseUrl: `${api.url}/v1`, auth: 'tok_same_origin' })
    expect(await client.rest.request('GET', '/moved')).toEqual({ where: 'home' })
    expect(home.map((request) => [request.url, request.headers.authorization])).toEqual([
      ['/v1/moved', 'Bearer tok_same_origin'],
      ['/v1/here', 'Bearer tok_same_origin'],
    ])
  })

  it('a 307 resends the POST body and its Idempotency-Key; a 303 turns it into a GET', async () => {
    const seven = await setup(307)
    const client = createClient({ baseUrl: `${seven.api.url}/v1` })
    await client.rest.request('POST', '/moved', { body: { n: 1 }, idempotencyKey: 'k-307' })
    expect(seven.home.map((request) => [request.method, request.body, request.headers['idempotency-key']])).toEqual([
      ['POST', '{"n":1}', 'k-307'],
      ['POST', '{"n":1}', 'k-307'],
    ])
    const three = await setup(303)
    await createClient({ baseUrl: `${three.api.url}/v1` }).rest.request('POST', '/moved', { body: { n: 2 } })
    expect(three.home.map((request) => [request.method, request.body])).toEqual([
      ['POST', '{"n":2}'],
      ['GET', ''],
    ])
  })

  it('stops after 20 redirects with a ConnectionError', async () => {
    let hops = 0
    const loop = await serve((_req, res) => {
      hops++
      res.writeHead(302, { location: '/v1/again' }).end()
    })
    await expect(createClient({ baseUrl: `${loop.url}/v1`, retry: false }).rest.request('GET', '/again')).rejects.toMatchObject({
      name: 'ConnectionError',
    })
    expect(hops).toBe(21)
  })
})

describe('in a browser, where a manual redirect is opaque', () => {
  it('lets the browser follow it, without the API-key header (the browser strips Authorization itself)', async () => {
    const { redirectSafeFetch } = await import('../../src/rest/redirect.js')
    const calls: Request[] = []
    const fetchImpl = (async (input: RequestInfo | URL) => {
      const request = input as Request
      calls.push(request)
      // What a browser hands back for `redirect: 'manual'`; Node cannot construct one.
      if (calls.length === 1) return { status: 0, type: 'opaqueredirect', headers: new Headers(), body: null } as unknown as Response
      return new Response('{}', { status: 200 })
    }) as typeof fetch
    const wrapped = redirectSafeFetch(fetchImpl, ['authorization', 'x-api-key'])
    const response = await wrapped(new Request('https://api.example.com/v1/x', { redirect: 'manual', headers: { 'x-api-key': 'k', authorization: 'Bearer t' } }))
    expect(response.status).toBe(200)
    expect(calls).toHaveLength(2)
    expect(calls[1]!.redirect).toBe('follow')
    expect(calls[1]!.headers.has('x-api-key')).toBe(false)
    expect(calls[1]!.headers.get('authorization')).toBe('Bearer t')
  })
})
