import { http, HttpResponse } from 'msw'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { RateLimitError, createClient } from '../../src/index.js'
import { serverDelay } from '../../src/rest/retry.js'
import { BASE, useMsw } from './support.js'

const server = useMsw()
const fast = { limit: 3, backoff: { base: 0, cap: 0 } }

afterEach(() => vi.useRealTimers())

/** Answers `statuses` in turn (then 200), recording every request. */
function sequence(method: 'get' | 'post' | 'patch' | 'put' | 'delete', statuses: number[], headers: Record<string, string> = {}) {
  const seen: Request[] = []
  server.use(
    http[method](`${BASE}/things`, ({ request }) => {
      seen.push(request)
      const status = statuses[seen.length - 1] ?? 200
      return status === 200 ? HttpResponse.json({ ok: true }) : HttpResponse.json({ error: { message: 'nope' } }, { status, headers })
    }),
  )
  return seen
}

describe('retries', () => {
  it.each([408, 409, 425, 429, 500, 502, 503, 504])('retries a GET after %i and then succeeds', async (status) => {
    const seen = sequence('get', [status, status])
    const client = createClient({ baseUrl: BASE, retry: fast })
    await expect(client.rest.request('GET', '/things')).resolves.toEqual({ ok: true })
    expect(seen).toHaveLength(3)
  })

  it.each([400, 401, 403, 404, 422, 501])('does not retry %i', async (status) => {
    const seen = sequence('get', [status])
    const client = createClient({ baseUrl: BASE, retry: fast })
    await expect(client.rest.request('GET', '/things')).rejects.toMatchObject({ status })
    expect(seen).toHaveLength(1)
  })

  it('retries a network error and gives up after the limit with the last error', async () => {
    let attempts = 0
    server.use(
      http.get(`${BASE}/things`, () => {
        attempts++
        return HttpResponse.error()
      }),
    )
    const client = createClient({ baseUrl: BASE, retry: fast })
    await expect(client.rest.request('GET', '/things')).rejects.toMatchObject({ name: 'ConnectionError' })
    expect(attempts).toBe(4)
  })

  it('turns retries off with retry: false', async () => {
    const seen = sequence('get', [503])
    const client = createClient({ baseUrl: BASE, retry: false })
    await expect(client.rest.request('GET', '/things')).rejects.toMatchObject({ status: 503 })
    expect(seen).toHaveLength(1)
  })
})

describe('writes: retried only with an Idempotency-Key, the same one on every attempt', () => {
  it('adds a UUID v4 to a POST and reuses it on every attempt', async () => {
    const seen = sequence('post', [503, 500])
    const client = createClient({ baseUrl: BASE, retry: fast })
    await client.rest.request('POST', '/things', { body: { a: 1 } })
    const keys = seen.map((request) => request.headers.get('idempotency-key'))
    expect(seen).toHaveLength(3)
    expect(keys[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(new Set(keys).size).toBe(1)
    expect(await seen[2]!.json()).toEqual({ a: 1 })
  })

  it('gives each call its own key', async () => {
    const seen = sequence('patch', [])
    const client = createClient({ baseUrl: BASE, retry: fast })
    await client.rest.request('PATCH', '/things', { body: {} })
    await client.rest.request('PATCH', '/things', { body: {} })
    expect(seen[0]!.headers.get('idempotency-key')).not.toBe(seen[1]!.headers.get('idempotency-key'))
  })

  it("uses the caller's key, from the option or a header", async () => {
    const seen = sequence('post', [503])
    const client = createClient({ baseUrl: BASE, retry: fast })
    await client.rest.request('POST', '/things', { body: {}, idempotencyKey: 'order-42' })
    await client.rest.request('POST', '/things', { body: {}, headers: { 'Idempotency-Key': 'order-43' } })
    expect(seen.map((request) => request.headers.get('idempotency-key'))).toEqual(['order-42', 'order-42', 'order-43'])
  })

  it('never retries a POST or PATCH without a key (opt-out per call or per client)', async () => {
    const seen = sequence('post', [503, 503, 503, 503, 503, 503])
    const client = createClient({ baseUrl: BASE, retry: fast })
    await expect(client.rest.request('POST', '/things', { body: {}, idempotencyKey: false })).rejects.toMatchObject({ status: 503 })
    expect(seen).toHaveLength(1)
    expect(seen[0]!.headers.has('idempotency-key')).toBe(false)
    const noKeys = createClient({ baseUrl: BASE, retry: fast, rest: { idempotencyKeys: false } })
    await expect(noKeys.rest.request('POST', '/things', { body: {} })).rejects.toMatchObject({ status: 503 })
    expect(seen).toHaveLength(2)
    expect(seen[1]!.headers.has('idempotency-key')).toBe(false)
  })

  it('retries a PUT and a DELETE (idempotent by definition) without a key', async () => {
    const puts = sequence('put', [503])
    const client = createClient({ baseUrl: BASE, retry: fast })
    await client.rest.request('PUT', '/things', { body: {} })
    expect(puts).toHaveLength(2)
    expect(puts[0]!.headers.has('idempotency-key')).toBe(false)
  })

  it('refuses a key that cannot go in a header', async () => {
    const client = createClient({ baseUrl: BASE })
    await expect(client.rest.request('POST', '/things', { idempotencyKey: 'a b\n' })).rejects.toMatchObject({ field: 'idempotencyKey' })
  })
})

describe('server-asked waits: Retry-After and RateLimit-Reset, up to the cap', () => {
  /** Fakes only setTimeout/clearTimeout, so fetch's own timers keep running (see TOOLCHAIN.md). */
  function fakeTimers() {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
  }

  /** Lets the in-process msw exchange and ky's error-body read finish (setImmediate is not faked). */
  async function settle() {
    for (let turn = 0; turn < 50; turn++) await new Promise((resolve) => setImmediate(resolve))
  }

  async function attemptsAfter(headers: Record<string, string>, steps: number[], status = 503) {
    const seen = sequence('get', [status], headers)
    const client = createClient({ baseUrl: BASE, timeout: false, retry: { limit: 1, backoff: { base: 1000, cap: 1000 } }, rest: { random: () => 0.5 } })
    fakeTimers()
    const call = client.rest.request('GET', '/things')
    await settle()
    const counts: number[] = []
    for (const step of steps) {
      await vi.advanceTimersByTimeAsync(step)
      await settle()
      counts.push(seen.length)
    }
    await vi.runAllTimersAsync()
    await call
    return counts
  }

  it('waits exactly Retry-After seconds', async () => {
    expect(await attemptsAfter({ 'retry-after': '3' }, [2_999, 1])).toEqual([1, 2])
  })

  it('waits until a Retry-After HTTP-date', async () => {
    // Only setTimeout is faked, so the date is real: 5 s ahead, truncated to whole seconds → a 4–5 s wait.
    const counts = await attemptsAfter({ 'retry-after': new Date(Date.now() + 5_000).toUTCString() }, [3_900, 1_200])
    expect(counts).toEqual([1, 2])
  })

  it('waits RateLimit-Reset seconds when there is no Retry-After', async () => {
    expect(await attemptsAfter({ 'ratelimit-reset': '2' }, [1_999, 1], 429)).toEqual([1, 2])
  })

  it('falls back to jittered backoff for a garbage Retry-After (random 0.5 × window 1000 = 500 ms)', async () => {
    expect(await attemptsAfter({ 'retry-after': 'soon-ish' }, [499, 1])).toEqual([1, 2])
  })

  it('gives up at once when the server asks for more than maxRetryAfter', async () => {
    const seen = sequence('get', [429], { 'retry-after': '120' })
    const client = createClient({ baseUrl: BASE, retry: { limit: 3, maxRetryAfter: 60_000 } })
    const error = await client.rest.request('GET', '/things').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RateLimitError)
    expect((error as RateLimitError).retryAfter).toBe(120_000)
    expect(seen).toHaveLength(1)
  })

  it('parses the header forms it honours', () => {
    const now = Date.parse('2026-01-01T00:00:00Z')
    const at = (headers: Record<string, string>) => serverDelay(new Headers(headers), now)
    expect(at({ 'retry-after': '0' })).toBe(0)
    expect(at({ 'retry-after': '7' })).toBe(7_000)
    expect(at({ 'retry-after': 'Thu, 01 Jan 2026 00:01:00 GMT' })).toBe(60_000)
    expect(at({ 'retry-after': 'Wed, 31 Dec 2025 00:00:00 GMT' })).toBe(0)
    expect(at({ 'ratelimit-reset': '12' })).toBe(12_000)
    expect(at({ 'x-ratelimit-reset': String(now / 1000 + 30) })).toBe(30_000)
    expect(at({ 'retry-after': '-1' })).toBeUndefined()
    expect(at({ 'retry-after': '1.5' })).toBeUndefined()
    expect(at({ 'retry-after': 'tomorrow' })).toBeUndefined()
    expect(at({})).toBeUndefined()
  })
})
