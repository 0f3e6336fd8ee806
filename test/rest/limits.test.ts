// The rate-limit header parser (src/rest/limits.ts) and what the budget does with bad headers: no
// header a server sends makes a call wait past maxWait, or throw anything but a RateLimitError.
import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import { RateLimitError, TimeoutError } from '../../src/core/index.js'
import { createRestClient, rateLimits } from '../../src/rest/index.js'
import { parseRateLimit } from '../../src/rest/limits.js'

const NOW = Date.parse('2026-12-01T12:00:00Z')
const DAY = 86_400_000

describe('parseRateLimit', () => {
  it('reads the IETF list form with its policy, picking the most restrictive policy', () => {
    const headers = new Headers({ 'ratelimit-policy': '"burst";q=100;w=60, "daily";q=1000;w=86400', ratelimit: '"burst";r=40;t=30, "daily";r=5;t=3600' })
    expect(parseRateLimit(headers, NOW)).toEqual({ policy: 'daily', limit: 1000, remaining: 5, reset: 3_600_000, window: 86_400_000 })
  })
  it("reads the policy's window (`w`, seconds) only from RateLimit-Policy, and not past a day", () => {
    expect(parseRateLimit(new Headers({ 'ratelimit-policy': '"default";q=50;w=1', ratelimit: '"default";r=49;t=1' }), NOW)).toEqual({ policy: 'default', limit: 50, remaining: 49, reset: 1000, window: 1000 })
    expect(parseRateLimit(new Headers({ 'ratelimit-policy': '"other";q=50;w=1', ratelimit: '"default";r=49;t=1' }), NOW)).toEqual({ policy: 'default', remaining: 49, reset: 1000 })
    expect(parseRateLimit(new Headers({ 'ratelimit-policy': '"default";q=50;w=0', ratelimit: '"default";r=1;t=1' }), NOW)).toEqual({ policy: 'default', limit: 50, remaining: 1, reset: 1000 })
    expect(parseRateLimit(new Headers({ 'ratelimit-policy': '"default";q=50;w=999999', ratelimit: '"default";r=1;t=1' }), NOW)).toEqual({ policy: 'default', limit: 50, remaining: 1, reset: 1000 })
  })
  it('reads each RateLimit-Policy afresh when it changes between answers (the last one is remembered)', () => {
    const read = (policy: string) => parseRateLimit(new Headers({ 'ratelimit-policy': policy, ratelimit: '"default";r=1;t=1' }), NOW)
    expect(read('"default";q=50;w=10')).toMatchObject({ limit: 50, window: 10_000 })
    expect(read('"default";q=70;w=20')).toMatchObject({ limit: 70, window: 20_000 })
    expect(read('"other";q=70;w=20')).toEqual({ policy: 'default', remaining: 1, reset: 1000 })
    expect(read('"default";q=50;w=10')).toMatchObject({ limit: 50, window: 10_000 })
  })
  it('reads the older IETF dictionary form', () => {
    expect(parseRateLimit(new Headers({ ratelimit: 'limit=100, remaining=50, reset=5' }), NOW)).toEqual({ limit: 100, remaining: 50, reset: 5000 })
  })
  it('reads RateLimit-Limit/-Remaining/-Reset as delta seconds', () => {
    expect(parseRateLimit(new Headers({ 'ratelimit-limit': '50', 'ratelimit-remaining': '7', 'ratelimit-reset': '9' }), NOW)).toEqual({ limit: 50, remaining: 7, reset: 9000 })
  })
  it("reads GitHub's X-RateLimit-* with an epoch reset and the resource as the policy", () => {
    const headers = new Headers({ 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '4999', 'x-ratelimit-reset': String(NOW / 1000 + 60), 'x-ratelimit-resource': 'core' })
    expect(parseRateLimit(headers, NOW)).toEqual({ policy: 'core', limit: 5000, remaining: 4999, reset: 60_000 })
  })
  it('gives nothing for a response without limit headers', () => {
    expect(parseRateLimit(new Headers({ 'content-type': 'application/json' }), NOW)).toBeUndefined()
  })

  describe('bad input', () => {
    it('malformed: ignores what is not a number', () => {
      expect(parseRateLimit(new Headers({ 'ratelimit-limit': 'lots', 'ratelimit-remaining': '1e3', 'ratelimit-reset': 'soon' }), NOW)).toBeUndefined()
      expect(parseRateLimit(new Headers({ ratelimit: '";;;==,,"' }), NOW)).toBeUndefined()
    })
    it('negative: ignored', () => {
      expect(parseRateLimit(new Headers({ 'x-ratelimit-remaining': '-5', 'x-ratelimit-reset': '-30', 'x-ratelimit-limit': '10' }), NOW)).toEqual({ limit: 10 })
    })
    it('huge: a reset past a day is not believed; an epoch in the past is now', () => {
      expect(parseRateLimit(new Headers({ 'ratelimit-remaining': '0', 'ratelimit-reset': '999999999999999' }), NOW)).toEqual({ remaining: 0 })
      expect(parseRateLimit(new Headers({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 - 60) }), NOW)).toEqual({ remaining: 0, reset: 0 })
    })
    it('contradictory: remaining above the limit is the limit; duplicated headers give the smallest', () => {
      expect(parseRateLimit(new Headers({ 'ratelimit-limit': '10', 'ratelimit-remaining': '100' }), NOW)).toEqual({ limit: 10, remaining: 10 })
      const headers = new Headers([['ratelimit-remaining', '40'], ['ratelimit-remaining', '3'], ['ratelimit-reset', '20'], ['ratelimit-reset', '2']])
      expect(parseRateLimit(headers, NOW)).toEqual({ remaining: 3, reset: 2000 })
    })
  })

  it('reads one exactly written IETF policy (the quick path) as the general parser reads it spaced out (property)', () => {
    const name = fc.stringMatching(/^[\w.-]{0,12}$/)
    const digits = fc.oneof(fc.integer({ min: 0, max: 100_000 }), fc.constantFrom(0, 86_400, 86_401, 999_999_999_999_999)).map(String)
    fc.assert(
      fc.property(name, name, digits, digits, digits, digits, fc.boolean(), (limitName, policyName, r, t, q, w, withPolicy) => {
        const exact = { ratelimit: `"${limitName}";r=${r};t=${t}`, ...(withPolicy && { 'ratelimit-policy': `"${policyName}";q=${q};w=${w}` }) }
        const spaced = { ratelimit: `"${limitName}"; r=${r}; t=${t}`, ...(withPolicy && { 'ratelimit-policy': `"${policyName}"; q=${q}; w=${w}` }) }
        expect(parseRateLimit(new Headers(exact), NOW)).toEqual(parseRateLimit(new Headers(spaced), NOW))
      }),
      { numRuns: 1000 },
    )
    expect(parseRateLimit(new Headers({ 'ratelimit-policy': '"default";q=1000000;w=60', ratelimit: '"default";r=999999;t=60' }), NOW)).toEqual({ policy: 'default', limit: 1_000_000, remaining: 999_999, reset: 60_000, window: 60_000 })
  })

  it('never throws, and what it returns is always sane (property)', () => {
    const value = fc.oneof(fc.string(), fc.integer().map(String), fc.double().map(String), fc.constantFrom('', '-1', '1e309', 'NaN', '"a";r=1;t=2', 'limit=1, remaining=2, reset=3', String(NOW / 1000 + 10)))
    const names = ['ratelimit', 'ratelimit-policy', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'x-ratelimit-resource']
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...names), value), (fields) => {
        const headers = new Headers()
        for (const [name, text] of Object.entries(fields)) {
          // Headers refuses CR/LF/NUL itself; what a server can put on the wire is the rest.
          const clean = text.replace(/[\r\n\0]/g, '')
          headers.set(name, clean)
        }
        const parsed = parseRateLimit(headers, NOW)
        if (parsed === undefined) return
        for (const figure of [parsed.limit, parsed.remaining, parsed.reset]) {
          if (figure !== undefined) expect(Number.isFinite(figure) && figure >= 0).toBe(true)
        }
        if (parsed.reset !== undefined) expect(parsed.reset).toBeLessThanOrEqual(DAY)
        if (parsed.limit !== undefined && parsed.remaining !== undefined) expect(parsed.remaining).toBeLessThanOrEqual(parsed.limit)
        if (parsed.window !== undefined) expect(parsed.window > 0 && parsed.window <= DAY).toBe(true)
      }),
      { numRuns: 2000 },
    )
  })
})

/** A client whose every answer is 200 with `headers`, counting the requests that reach "the server". */
function clientAnswering(headers: Record<string, string>, maxWait: number, status = 200) {
  let sent = 0
  const fetch = async () => {
    sent++
    return new Response('{}', { status, headers: { 'content-type': 'application/json', ...headers } })
  }
  const client = createRestClient({ baseUrl: 'https://api.test', fetch, retry: 0, rest: { limits: rateLimits({ maxWait }) } })
  return { client, sent: () => sent }
}

describe('the budget with bad limit headers', () => {
  it('a spent budget whose reset is past maxWait: the next call rejects at once, not sent, with retryAfter and the limit', async () => {
    const { client, sent } = clientAnswering({ 'x-ratelimit-limit': '10', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600), 'x-ratelimit-resource': 'core' }, 1000)
    await client.request('GET', '/a')
    const error = await client.request('GET', '/a').catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(RateLimitError)
    expect((error as RateLimitError).retryAfter).toBeGreaterThan(1000)
    expect((error as RateLimitError).rateLimit).toMatchObject({ policy: 'core', limit: 10, remaining: 0 })
    expect(sent()).toBe(1)
  })

  it.each([
    ['malformed', { 'ratelimit-remaining': 'zero', 'ratelimit-reset': 'later' }],
    ['negative', { 'ratelimit-remaining': '-1', 'ratelimit-reset': '-100' }],
    ['huge', { 'ratelimit-remaining': '0', 'ratelimit-reset': '99999999999' }],
    ['contradictory', { 'ratelimit-limit': '5', 'ratelimit-remaining': '500', 'ratelimit-reset': '0' }],
    ['an IETF field of garbage', { ratelimit: '"x";r=-4;t=1e99, ;;;' }],
  ])('%s headers: ten calls in a row all go, none waits', async (_, headers) => {
    const { client, sent } = clientAnswering(headers, 50)
    for (let index = 0; index < 10; index++) await client.request('GET', '/b')
    expect(sent()).toBe(10)
  })

  it('a 429 with a huge Retry-After: the queued and the next calls reject with a RateLimitError instead of waiting', async () => {
    const { client, sent } = clientAnswering({ 'retry-after': '999999999' }, 1000, 429)
    const first = await client.request('GET', '/c').catch((caught: unknown) => caught)
    expect(first).toBeInstanceOf(RateLimitError)
    const next = await client.request('GET', '/c').catch((caught: unknown) => caught)
    expect(next).toBeInstanceOf(RateLimitError)
    expect((next as RateLimitError).retryAfter).toBeGreaterThan(1000)
    expect(sent()).toBe(1)
  })

  it('ApiError carries the parsed limit fields', async () => {
    const { client } = clientAnswering({ 'ratelimit-limit': '50', 'ratelimit-remaining': '0', 'ratelimit-reset': '1' }, 5000, 429)
    const error = await client.request('GET', '/d').catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(RateLimitError)
    expect((error as RateLimitError).rateLimit).toEqual({ limit: 50, remaining: 0, reset: 1000 })
  })

  it('a wait for the budget counts against totalTimeout: the call times out unsent, and leaves no waiter behind', async () => {
    let sent = 0
    const fetch = async () => {
      sent++
      return new Response('{}', { headers: { 'content-type': 'application/json', 'ratelimit-limit': '1', 'ratelimit-remaining': '0', 'ratelimit-reset': '30' } })
    }
    const client = createRestClient({ baseUrl: 'https://api.test', fetch, retry: 0, totalTimeout: 100, rest: { limits: rateLimits({ maxWait: 60_000 }) } })
    await client.request('GET', '/t')
    const error = await client.request('GET', '/t').catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(TimeoutError)
    expect(sent).toBe(1)
    expect(client.limits()[0]).toMatchObject({ queued: 0, inFlight: 0 })
  })

  it('a wait for the budget does not count against the per-attempt timeout', async () => {
    const { client, sent } = clientAnswering({ 'ratelimit-limit': '1', 'ratelimit-remaining': '0', 'ratelimit-reset': '1' }, 5000)
    const patient = client.withOptions({ timeout: 50 })
    await patient.request('GET', '/u')
    await expect(patient.request('GET', '/u')).resolves.toEqual({})
    expect(sent()).toBe(2)
  })

  it('an abort while waiting rejects that call with the reason and frees nothing it did not hold', async () => {
    const { client, sent } = clientAnswering({ 'ratelimit-limit': '1', 'ratelimit-remaining': '0', 'ratelimit-reset': '30' }, 60_000)
    await client.request('GET', '/e')
    const controller = new AbortController()
    const waiting = client.request('GET', '/e', { signal: controller.signal }).catch((caught: unknown) => caught)
    await vi.waitFor(() => expect(client.limits()[0]?.queued).toBe(1))
    controller.abort(new Error('stop'))
    expect(await waiting).toEqual(new Error('stop'))
    expect(client.limits()[0]).toMatchObject({ queued: 0, inFlight: 0, remaining: 0 })
    expect(sent()).toBe(1)
  })
})

// Regression (issue 17): ky copies its `context` option, so the budget's beforeRetry hook was handed a
// copy of the call's record: a retry's place was counted on the copy and never freed (a leak that
// `maxConcurrency` would turn into a hang), and what the retry's answer said was never learned.
describe('the budget across ky retries', () => {
  it("a retried call frees its place and learns from the retry's answer", async () => {
    const answers: Array<{ status: number; headers: Record<string, string> }> = [
      { status: 503, headers: { 'retry-after': '0', ratelimit: '"default";r=10;t=30' } },
      { status: 200, headers: { 'content-type': 'application/json', ratelimit: '"default";r=5;t=30' } },
    ]
    let sent = 0
    const fetch = async () => {
      const { status, headers } = answers[Math.min(sent++, answers.length - 1)]!
      return new Response(status === 200 ? '{}' : null, { status, headers })
    }
    const limits = rateLimits({ maxConcurrency: 1 })
    const client = createRestClient({ baseUrl: 'https://api.test', fetch, retry: { limit: 2, backoff: { base: 0, cap: 0 } }, rest: { limits } })
    await client.request('GET', '/r')
    expect(sent).toBe(2)
    expect(limits.state()).toEqual([expect.objectContaining({ policy: 'default', remaining: 5, inFlight: 0, queued: 0 })])
    // With the place freed, the next call goes (maxConcurrency 1).
    await client.request('GET', '/r')
    expect(sent).toBe(3)
  })
})

// A retry's wait for the budget runs outside ky's attempt: the fetch the engine gives ky ends the ky
// call, the engine waits (against totalTimeout), and a new ky call makes that attempt with the
// retries that are left.
describe("a retry that has to wait for the budget's next window", () => {
  function answering(answers: Array<{ status: number; headers: Record<string, string> }>) {
    let sent = 0
    const fetch = async () => {
      const { status, headers } = answers[Math.min(sent++, answers.length - 1)]!
      return new Response(status === 200 ? '{}' : null, { status, headers: { 'content-type': 'application/json', ...headers } })
    }
    return { fetch, sent: () => sent }
  }
  const spent = (reset: number) => ({ 'retry-after': '0', 'ratelimit-limit': '1', 'ratelimit-remaining': '0', 'ratelimit-reset': String(reset) })

  it("waits outside the attempt's timeout, then goes", async () => {
    const { fetch, sent } = answering([{ status: 503, headers: spent(1) }, { status: 200, headers: {} }])
    // Run inside ky's attempt, the 1 s wait would time out each 50 ms attempt.
    const client = createRestClient({ baseUrl: 'https://api.test', fetch, timeout: 50, retry: { limit: 2, backoff: { base: 0, cap: 0 } }, rest: { limits: rateLimits() } })
    await expect(client.request('GET', '/w')).resolves.toEqual({})
    expect(sent()).toBe(2)
    expect(client.limits()[0]).toMatchObject({ inFlight: 0, queued: 0 })
  })

  it('counts against totalTimeout: the call times out with the retry unsent, and leaves no waiter behind', async () => {
    const { fetch, sent } = answering([{ status: 503, headers: spent(30) }])
    const client = createRestClient({ baseUrl: 'https://api.test', fetch, totalTimeout: 200, retry: { limit: 2, backoff: { base: 0, cap: 0 } }, rest: { limits: rateLimits() } })
    await expect(client.request('GET', '/w')).rejects.toBeInstanceOf(TimeoutError)
    expect(sent()).toBe(1)
    expect(client.limits()[0]).toMatchObject({ inFlight: 0, queued: 0 })
  })

  it("keeps the call's retry limit and numbers the hooks' attempts on (the attempt that waited is announced again, as sent)", async () => {
    const again = { 'retry-after': '0', 'ratelimit-limit': '10', 'ratelimit-remaining': '5', 'ratelimit-reset': '30' }
    const { fetch, sent } = answering([{ status: 503, headers: spent(1) }, { status: 503, headers: again }, { status: 503, headers: again }, { status: 200, headers: {} }])
    const attempts: number[] = []
    const client = createRestClient({
      baseUrl: 'https://api.test',
      fetch,
      retry: { limit: 2, backoff: { base: 0, cap: 0 } },
      rest: { limits: rateLimits(), hooks: { beforeRequest: [({ attempt }) => void attempts.push(attempt)] } },
    })
    const error = await client.request('GET', '/w').catch((caught: unknown) => caught)
    expect(error).toMatchObject({ status: 503 })
    // Three attempts in all (limit 2), the third never made.
    expect(sent()).toBe(3)
    expect(attempts).toEqual([0, 1, 1, 2])
    expect(client.limits()[0]).toMatchObject({ inFlight: 0, queued: 0 })
  })

  it('a wait past maxWait rejects the retry with a RateLimitError, unsent', async () => {
    const { fetch, sent } = answering([{ status: 503, headers: spent(30) }])
    const client = createRestClient({ baseUrl: 'https://api.test', fetch, retry: { limit: 2, backoff: { base: 0, cap: 0 } }, rest: { limits: rateLimits({ maxWait: 1000 }) } })
    const error = await client.request('GET', '/w').catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(RateLimitError)
    expect((error as RateLimitError).retryAfter).toBeGreaterThan(1000)
    expect(sent()).toBe(1)
  })
})
