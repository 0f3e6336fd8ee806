/**
 * Timeouts and cancellation against a real node:http server on 127.0.0.1 (msw would answer in-process,
 * with no socket to stall). Only setTimeout/clearTimeout are faked where timers are counted, so
 * fetch's own timers keep running (TOOLCHAIN.md).
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ConnectionError, TimeoutError, createClient } from '../../src/index.js'
import { listen } from './support.js'

const servers: Array<{ close: () => Promise<void> }> = []
afterEach(async () => {
  vi.useRealTimers()
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

async function serve(handler: Parameters<typeof listen>[0]) {
  const server = await listen(handler)
  servers.push(server)
  return server
}

/**
 * Fakes setTimeout/clearTimeout and counts the timers still pending that wirekit or ky set. Node's
 * fetch (undici) keeps its own ticking timer for connect timeouts while a socket is open; that one is
 * the runtime's, not ours, so timers set from inside `node:internal` are left out of the count.
 */
function trackTimers() {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
  const fakeSet = globalThis.setTimeout
  const fakeClear = globalThis.clearTimeout
  const ours = new Set<unknown>()
  globalThis.setTimeout = ((callback: (...args: unknown[]) => void, delay?: number, ...rest: unknown[]) => {
    // Line 0 is "Error", line 1 this wrapper, line 2 whoever called setTimeout.
    const internal = /node:internal\//.test((new Error().stack ?? '').split('\n')[2] ?? '')
    const id = fakeSet(
      (...args: unknown[]) => {
        ours.delete(id)
        callback(...args)
      },
      delay,
      ...rest,
    )
    if (!internal) ours.add(id)
    return id
  }) as typeof setTimeout
  globalThis.clearTimeout = ((id: Parameters<typeof clearTimeout>[0]) => {
    ours.delete(id)
    fakeClear(id)
  }) as typeof clearTimeout
  return {
    /** Our timers that are set and neither fired nor cleared. */
    pending: () => ours.size,
  }
}

/** Turns the event loop until `done()` holds; setImmediate is never faked here. */
async function until(done: () => boolean) {
  for (let turn = 0; turn < 10_000 && !done(); turn++) await new Promise((resolve) => setImmediate(resolve))
  if (!done()) throw new Error('condition never held')
}

describe('AbortSignal cancels in every phase and leaves no pending timer', () => {
  it('before anything is sent (an already-aborted signal): nothing reaches the server', async () => {
    let hits = 0
    const { url } = await serve((_req, res) => {
      hits++
      res.end('{}')
    })
    const reason = new Error('user left')
    const call = createClient({ baseUrl: url }).rest.request('GET', '/x', { signal: AbortSignal.abort(reason) })
    await expect(call).rejects.toBe(reason)
    expect(hits).toBe(0)
  })

  it('while waiting for the token provider (before connecting)', async () => {
    const { url } = await serve((_req, res) => res.end('{}'))
    const controller = new AbortController()
    let started = false
    const client = createClient({ baseUrl: url, auth: () => ((started = true), new Promise<string>(() => undefined)) })
    const timers = trackTimers()
    const call = client.rest.request('GET', '/x', { signal: controller.signal })
    await until(() => started)
    controller.abort()
    await expect(call).rejects.toMatchObject({ name: 'AbortError' })
    expect(timers.pending()).toBe(0)
  })

  it('while waiting for response headers', async () => {
    let arrived = false
    const { url } = await serve(() => {
      arrived = true
    })
    const controller = new AbortController()
    const timers = trackTimers()
    const call = createClient({ baseUrl: url }).rest.request('GET', '/x', { signal: controller.signal })
    const settled = call.catch((e: unknown) => e)
    await until(() => arrived)
    expect(timers.pending()).toBeGreaterThan(0) // the per-attempt timeout is armed…
    controller.abort()
    expect(await settled).toMatchObject({ name: 'AbortError' })
    expect(timers.pending()).toBe(0) // …and disarmed
  })

  it('while reading the body', async () => {
    let wrote = false
    const { url } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.write('{"items": [1, 2,')
      wrote = true
    })
    const controller = new AbortController()
    const timers = trackTimers()
    const settled = createClient({ baseUrl: url })
      .rest.request('GET', '/x', { signal: controller.signal })
      .catch((e: unknown) => e)
    await until(() => wrote)
    await until(() => timers.pending() > 0) // ky's body-read timeout is armed once headers are in
    controller.abort()
    expect(await settled).toMatchObject({ name: 'AbortError' })
    expect(timers.pending()).toBe(0)
  })

  it('while sleeping before a retry', async () => {
    let hits = 0
    const { url } = await serve((_req, res) => {
      hits++
      res.writeHead(503, { 'retry-after': '30', 'content-type': 'application/json' }).end('{}')
    })
    const controller = new AbortController()
    const timers = trackTimers()
    const settled = createClient({ baseUrl: url })
      .rest.request('GET', '/x', { signal: controller.signal })
      .catch((e: unknown) => e)
    await until(() => hits === 1 && timers.pending() === 1) // the 30 s sleep
    controller.abort()
    expect(await settled).toMatchObject({ name: 'AbortError' })
    expect(timers.pending()).toBe(0)
    expect(hits).toBe(1)
  })
})

describe('timeouts and connection failures on a real socket', () => {
  it('a refused connection on a real socket is a ConnectionError naming the system error', async () => {
    const closed = await serve(() => undefined)
    await closed.close()
    try {
      const error = (await createClient({ baseUrl: closed.url, retry: false }).rest.request('GET', '/x').catch((e: unknown) => e)) as ConnectionError
      expect(error).toBeInstanceOf(ConnectionError)
      expect(error.message).toMatch(/ECONNREFUSED/)
    } finally {
    }
  })

  it('an attempt that runs out of time is a TimeoutError, retried up to the limit', async () => {
    let attempts = 0
    const slow = await serve(() => {
      attempts++
    })
    try {
      const client = createClient({ baseUrl: slow.url, timeout: 150, retry: { limit: 1, backoff: { base: 0, cap: 0 } } })
      const error = await client.rest.request('GET', '/x', { params: { query: { secret: 'q1' } } }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(TimeoutError)
      // Neither the message nor the kept cause carries the query string (it may hold secrets).
      expect((error as TimeoutError).message).toBe('GET /x timed out')
      expect(((error as TimeoutError).cause as Error).message).toMatch(/^Request timed out: GET http:\/\/127\.0\.0\.1:\d+\/x$/)
      expect(attempts).toBe(2)
    } finally {
      await slow.close()
    }
  })

  it('the total budget ends a call whose attempts have no timeout of their own', async () => {
    const silent = await serve(() => undefined)
    const client = createClient({ baseUrl: silent.url, timeout: false, totalTimeout: 100 })
    await expect(client.rest.request('GET', '/x')).rejects.toBeInstanceOf(TimeoutError)
  })

  it('the total budget ends a retry loop that would otherwise go on (a TimeoutError, not the 503)', async () => {
    let attempts = 0
    const busy = await serve((_req, res) => {
      attempts++
      res.writeHead(503, { 'retry-after': '0', 'content-type': 'application/json' }).end('{}')
    })
    const client = createClient({ baseUrl: busy.url, totalTimeout: 150, retry: { limit: 100_000, backoff: { base: 0, cap: 0 } } })
    await expect(client.rest.request('GET', '/x')).rejects.toBeInstanceOf(TimeoutError)
    expect(attempts).toBeGreaterThanOrEqual(1)
    expect(attempts).toBeLessThan(100_000)
  })
})
