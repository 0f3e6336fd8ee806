// Revalidation and in-flight sharing (src/rest/cache.ts) against a real server in a child process
// (test/rest/limit-server.ts) that answers 304s and counts every arrival.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConfigError } from '../../src/core/index.js'
import { createRestClient, revalidationCache } from '../../src/rest/index.js'
import { startLimitServer } from './support.js'

let server: Awaited<ReturnType<typeof startLimitServer>>
beforeAll(async () => {
  server = await startLimitServer()
})
afterAll(() => server.stop())

// Waits for an event, not for time: generous, so a loaded machine never fails it.
const POLL = { timeout: 20_000 }

interface Resource {
  n: number
  version: number
}

describe('revalidation', () => {
  it('2,000 GETs of 20 resources the server changes now and then: every body is the current one', { timeout: 60_000 }, async () => {
    const cache = revalidationCache()
    const client = createRestClient({ baseUrl: server.url, auth: 'token-a', rest: { cache } })
    await server.arrivals(true)
    const versions = new Map<number, number>()
    let stale = 0
    for (let round = 0; round < 100; round++) {
      if (round % 5 === 4) {
        // Change one resource (ETag-validated when even, Last-Modified when odd) behind the client's back.
        const n = (round * 7) % 20
        await fetch(`${server.url}/change/${n}`)
        versions.set(n, (versions.get(n) ?? 0) + 1)
      }
      const bodies = await Promise.all(Array.from({ length: 20 }, (_, n) => client.request<Resource>('GET', `/res/${n}`)))
      for (const body of bodies) if (body.version !== (versions.get(body.n) ?? 0)) stale++
    }
    const arrivals = (await server.arrivals()).filter((arrival) => arrival.path.startsWith('/res/'))
    const stats = cache.stats()
    console.log(
      `[acceptance] revalidation: 2000 GETs, ${stale} stale bodies, ${arrivals.filter((arrival) => arrival.status === 304).length} answered 304 (${stats.notModified} by the cache's count), ${stats.bytesSaved} body bytes saved`,
    )
    expect(stale).toBe(0)
    expect(arrivals).toHaveLength(2000)
    // 20 first fetches and one 200 per change; every other GET is a 304.
    expect(stats.notModified).toBe(2000 - 20 - 20)
    expect(arrivals.filter((arrival) => arrival.status === 304)).toHaveLength(stats.notModified)
  })

  it('two API keys sent under their own header never see each other’s cached bodies either', async () => {
    const cache = revalidationCache()
    const clients = ['key-a', 'key-b'].map((apiKey) => createRestClient({ baseUrl: server.url, auth: { apiKey, header: 'x-api-key' }, rest: { cache } }))
    for (let round = 0; round < 5; round++) {
      const bodies = await Promise.all(clients.map((client) => client.request<{ canary: string }>('GET', '/canary')))
      expect(bodies.map((body) => body.canary)).toEqual(['key key-a', 'key key-b'])
    }
    expect(cache.stats().notModified).toBe(8)
  })

  it('two credentials never see each other’s cached bodies (a canary per token), even through one shared cache', async () => {
    const cache = revalidationCache()
    const a = createRestClient({ baseUrl: server.url, auth: 'token-a', rest: { cache } })
    const b = createRestClient({ baseUrl: server.url, auth: 'token-b', rest: { cache } })
    let token = 'token-c'
    const rotating = createRestClient({ baseUrl: server.url, auth: () => token, rest: { cache } })
    let checked = 0
    let wrong = 0
    for (let round = 0; round < 50; round++) {
      token = round % 2 === 0 ? 'token-c' : 'token-d'
      const [bodyA, bodyB, bodyR] = await Promise.all([a, b, rotating].map((client) => client.request<{ canary: string }>('GET', '/canary')))
      for (const [body, expected] of [
        [bodyA, 'Bearer token-a'],
        [bodyB, 'Bearer token-b'],
      ] as const) {
        checked++
        if (body!.canary !== expected) wrong++
      }
      checked++
      // The rotating client's provider is read per call; its body must carry one of its own tokens.
      if (bodyR!.canary !== 'Bearer token-c' && bodyR!.canary !== 'Bearer token-d') wrong++
    }
    console.log(`[acceptance] canaries: ${checked - wrong}/${checked} bodies belong to the caller's own credential (${cache.stats().notModified} served from the cache after a 304)`)
    expect(wrong).toBe(0)
    expect(cache.stats().notModified).toBeGreaterThan(0)
  })

  it('Cache-Control: no-store is never stored, so never revalidated', async () => {
    const cache = revalidationCache()
    const client = createRestClient({ baseUrl: server.url, rest: { cache } })
    for (let index = 0; index < 3; index++) await client.request('GET', '/nostore')
    expect(cache.stats()).toMatchObject({ requests: 3, notModified: 0 })
  })

  it('is bounded in entries: the least recently used goes first', async () => {
    const cache = revalidationCache({ maxEntries: 2 })
    const client = createRestClient({ baseUrl: server.url, rest: { cache } })
    for (const n of [0, 2, 4]) await client.request('GET', `/res/${n}`)
    await client.request('GET', '/res/4')
    await client.request('GET', '/res/0')
    // /res/4 was kept (304); /res/0 had been dropped for /res/4 (a full 200).
    expect(cache.stats().notModified).toBe(1)
  })

  it('is bounded in bytes: a body larger than maxBytes is never stored', async () => {
    const cache = revalidationCache({ maxBytes: 100 })
    const client = createRestClient({ baseUrl: server.url, rest: { cache } })
    await client.request('GET', '/res/6')
    await client.request('GET', '/res/6')
    expect(cache.stats().notModified).toBe(0)
  })

  it('takes a store of your own, which may serialize what it is given (JSON here)', async () => {
    const map = new Map<string, string>()
    const store = {
      get: (key: string) => (map.has(key) ? JSON.parse(map.get(key)!) : undefined),
      set: (key: string, value: unknown) => void map.set(key, JSON.stringify(value)),
      delete: (key: string) => void map.delete(key),
    }
    const cache = revalidationCache({ store })
    const client = createRestClient({ baseUrl: server.url, auth: 'secret-token-value', rest: { cache } })
    const first = await client.request('GET', '/res/8')
    // Answered from the entry read back from JSON: its headers came along (the body is JSON again).
    expect(await client.request('GET', '/res/8')).toEqual(first)
    expect(cache.stats().notModified).toBe(1)
    expect(JSON.parse([...map.values()][0]!).headers).toContainEqual(['content-type', 'application/json'])
    // Keys name the credential by a number, never the token.
    expect([...map.keys()].join()).not.toContain('secret-token-value')
  })

  it('an afterResponse hook reads the stored body of a 304 answered from the cache, and the call gets it too', async () => {
    const cache = revalidationCache()
    const seen: string[] = []
    const hooks = { afterResponse: [async ({ response }: { response: Response }) => void seen.push(await response.text())] }
    const client = createRestClient({ baseUrl: server.url, auth: 'token-a', rest: { cache, hooks } })
    const first = await client.request<Resource>('GET', '/res/10')
    const second = await client.request<Resource>('GET', '/res/10')
    expect(cache.stats().notModified).toBe(1)
    expect(second).toEqual(first)
    expect(seen).toHaveLength(2)
    expect(JSON.parse(seen[1]!)).toEqual(first)
  })

  it('without sharing, each GET revalidates on its own', async () => {
    const cache = revalidationCache({ shareInFlight: false })
    const client = createRestClient({ baseUrl: server.url, auth: 'token-a', rest: { cache } })
    await server.arrivals(true)
    const bodies = await Promise.all(Array.from({ length: 3 }, () => client.request<Resource>('GET', '/res/12')))
    await client.request('GET', '/res/12')
    expect(new Set(bodies.map((body) => body.n))).toEqual(new Set([12]))
    expect((await server.arrivals()).filter((arrival) => arrival.path === '/res/12')).toHaveLength(4)
    expect(cache.stats()).toMatchObject({ shared: 0, notModified: 1 })
  })

  it('refuses bad options with a ConfigError naming the path', () => {
    expect(() => revalidationCache({ maxEntries: 0 })).toThrow(ConfigError)
    expect(() => revalidationCache({ store: {} as never })).toThrow(/revalidationCache\.store/)
    expect(() => revalidationCache({ maxEntires: 3 } as never)).toThrow(/did you mean maxEntries/)
  })
})

describe('identical GETs in flight', () => {
  it('100 concurrent identical GETs: 1 request, 100 results, each its own object', async () => {
    const client = createRestClient({ baseUrl: server.url, auth: 'token-a', rest: { cache: revalidationCache() } })
    await server.arrivals(true)
    const results = await Promise.all(Array.from({ length: 100 }, () => client.request<{ slow: boolean }>('GET', '/slow/one')))
    const arrivals = (await server.arrivals()).filter((arrival) => arrival.path === '/slow/one')
    results[0]!.slow = false
    console.log(`[acceptance] sharing: 100 concurrent identical GETs → ${arrivals.length} request(s) at the server, ${results.length} results`)
    expect(arrivals).toHaveLength(1)
    expect(results.filter((result) => result.slow === true)).toHaveLength(99)
  })

  it('one caller aborting (not the first) leaves the other 99 resolved, and the one request goes on', async () => {
    const cache = revalidationCache()
    const client = createRestClient({ baseUrl: server.url, auth: 'token-a', rest: { cache } })
    await server.arrivals(true)
    const controller = new AbortController()
    const calls = [client.request('GET', '/slow/two')]
    await expect.poll(() => cache.stats().requests, POLL).toBe(1)
    for (let index = 1; index < 100; index++) calls.push(client.request('GET', '/slow/two', index === 50 ? { signal: controller.signal } : {}))
    // Every other caller has joined caller 0's request before caller 50 leaves.
    await expect.poll(() => cache.stats().shared, POLL).toBe(99)
    controller.abort(new Error('caller 50 left'))
    const settled = await Promise.allSettled(calls)
    const arrivals = (await server.arrivals()).filter((arrival) => arrival.path === '/slow/two')
    const resolved = settled.filter((result) => result.status === 'fulfilled').length
    console.log(`[acceptance] sharing with an abort: ${resolved}/99 others resolved, the aborted one rejected: ${settled[50]!.status === 'rejected'}, ${arrivals.length} request(s)`)
    expect(settled[50]).toEqual({ status: 'rejected', reason: new Error('caller 50 left') })
    expect(resolved).toBe(99)
    expect(arrivals).toHaveLength(1)
  })

  /**
   * The first caller's GET of `path` is on the wire with `joiners` more joined to it when that caller
   * aborts; resolves with the others' results and the arrivals at the server after the prime (if any).
   */
  async function firstCallerLeaves(path: string, joiners: number, primed: boolean) {
    const cache = revalidationCache()
    const client = createRestClient({ baseUrl: server.url, auth: 'token-a', rest: { cache } })
    if (primed) await client.request('GET', path)
    await server.arrivals(true)
    const controller = new AbortController()
    const first = client.request('GET', path, { signal: controller.signal })
    await expect.poll(() => cache.stats().requests, POLL).toBe(primed ? 2 : 1)
    const others = Array.from({ length: joiners }, () => client.request<{ slow: boolean }>('GET', path))
    await expect.poll(() => cache.stats().shared, POLL).toBe(joiners)
    controller.abort(new Error('caller 0 left'))
    await expect(first).rejects.toEqual(new Error('caller 0 left'))
    const results = await Promise.all(others)
    const arrivals = (await server.arrivals()).filter((arrival) => arrival.path === path)
    return { cache, results, arrivals }
  }

  // The shared request is the first caller's own (so a lone GET, the usual case, pays for no second
  // Request object): when that caller leaves before the answer is read, the others get one more.
  it('the first caller aborting leaves the other 99 resolved, by one request sent again for them', async () => {
    const { results, arrivals } = await firstCallerLeaves('/slow/four', 99, false)
    console.log(`[acceptance] sharing when the first caller aborts: ${results.length}/99 others resolved, ${arrivals.length} request(s)`)
    expect(results.every((result) => result.slow)).toBe(true)
    expect(arrivals).toHaveLength(2)
  })

  it('the same, with a stored body: the request sent again revalidates it, and the 304 is answered from the cache', async () => {
    const { cache, results, arrivals } = await firstCallerLeaves('/slow/five', 9, true)
    expect(results).toEqual(Array.from({ length: 9 }, () => ({ slow: true })))
    // The first caller's request (answered after it left) and the one sent again: both conditional.
    expect(arrivals.map((arrival) => arrival.status)).toEqual([304, 304])
    expect(cache.stats().notModified).toBe(1)
  })

  it('a store that fails fails every caller of a shared GET with its error, and none is left waiting', async () => {
    const broken = new Error('store down')
    let fail: (error: Error) => void = () => undefined
    const store = { get: () => new Promise<undefined>((_, reject) => (fail = reject)), set: () => undefined, delete: () => undefined }
    const cache = revalidationCache({ store })
    const client = createRestClient({ baseUrl: server.url, auth: 'token-a', retry: 0, rest: { cache } })
    const calls = Array.from({ length: 3 }, () => client.request('GET', '/slow/six'))
    await expect.poll(() => cache.stats().shared, POLL).toBe(2)
    fail(broken)
    const settled = await Promise.allSettled(calls)
    expect(settled.map((result) => result.status)).toEqual(['rejected', 'rejected', 'rejected'])
  })

  it('different credentials do not share', async () => {
    const cache = revalidationCache()
    const a = createRestClient({ baseUrl: server.url, auth: 'token-a', rest: { cache } })
    const b = createRestClient({ baseUrl: server.url, auth: 'token-b', rest: { cache } })
    await server.arrivals(true)
    await Promise.all([a.request('GET', '/slow/three'), b.request('GET', '/slow/three')])
    expect((await server.arrivals()).filter((arrival) => arrival.path === '/slow/three')).toHaveLength(2)
  })
})
