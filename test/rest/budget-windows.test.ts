// The rate-limit budget's window clock, on a fake clock: a scripted fixed-window server (the same
// windows and headers as test/rest/limit-server.ts) behind an injected fetch, with a round trip of
// fake time per request. No real time passes, so the counts below do not depend on the machine.
//
// Regression (issue 17): a reset given as delta seconds (`RateLimit: …;t=1`, `RateLimit-Reset: 1`)
// is rounded up to a whole second, so the budget keeps the earliest answer of a window; but it took
// each new window's reset from the answer to that window's first call, which came a round trip after
// the budget's own, already late, reset. Each window so started later than the one before, until a
// whole window went unused: 22 windows for 20 windows' worth of calls at a 40 ms round trip, and more
// on a busy machine, where the delay per window is the client's own slowness. GitHub's epoch reset
// is exact and never drifted. The budget now chains resets by the window's length. Chained, the
// first bound's lateness (up to a second) stayed: once a window's calls took longer than what was
// left of it, the last of them landed in the next window, counted against the wrong one, and windows
// ran 41/30/41/30 (28 windows at a 120 ms round trip, starting half-way into a second). An answer
// announcing more calls left than it could now ends the budget's window at once.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createRestClient, rateLimits } from '../../src/rest/index.js'

const LIMIT = 50
const CALLS = 1000
const CALLERS = 20

function limitHeaders(style: string, remaining: number, windowEnd: number, now: number, windowMs: number): Record<string, string> {
  const delta = String(Math.ceil((windowEnd - now) / 1000))
  if (style === 'ietf') return { 'ratelimit-policy': `"default";q=${LIMIT};w=${windowMs / 1000}`, ratelimit: `"default";r=${remaining};t=${delta}` }
  if (style === 'draft') return { 'ratelimit-limit': String(LIMIT), 'ratelimit-remaining': String(remaining), 'ratelimit-reset': delta }
  return { 'x-ratelimit-limit': String(LIMIT), 'x-ratelimit-remaining': String(remaining), 'x-ratelimit-reset': String(Math.ceil(windowEnd / 1000)), 'x-ratelimit-resource': 'core' }
}

interface Run {
  /** Server windows from the first arrival to the last. */
  spanned: number
  /** 429s in all, and the most in one window. */
  refused: number
  mostRefusedInAWindow: number
  ok: number
}

/** CALLS calls from CALLERS loops against a fixed window of LIMIT per `windowMs`, each request taking `rtt` ms of fake time. */
async function run(style: string, windowMs: number, rtt: number, start: number): Promise<Run> {
  vi.setSystemTime(Date.parse('2026-12-01T12:00:00Z') + start)
  const arrivals: Array<{ at: number; status: number }> = []
  let windowStart = -1
  let used = 0
  const fetch = async () => {
    await new Promise((resolve) => setTimeout(resolve, rtt / 2))
    const now = Date.now()
    const start = Math.floor(now / windowMs) * windowMs
    if (start !== windowStart) {
      windowStart = start
      used = 0
    }
    used++
    const status = used > LIMIT ? 429 : 200
    arrivals.push({ at: now, status })
    const headers = limitHeaders(style, Math.max(0, LIMIT - used), start + windowMs, now, windowMs)
    await new Promise((resolve) => setTimeout(resolve, rtt / 2))
    return new Response('{}', { status, headers: { 'content-type': 'application/json', ...headers } })
  }
  const limits = rateLimits({ maxWait: 10 * windowMs, now: () => Date.now() })
  const client = createRestClient({ baseUrl: 'https://api.test', fetch, timeout: 60_000, retry: { limit: 2, backoff: { base: 0, cap: 0 } }, rest: { limits } })
  let next = 0
  let ok = 0
  let done = false
  const all = Promise.all(
    Array.from({ length: CALLERS }, async () => {
      while (next < CALLS) {
        next++
        await client.request('GET', '/items/1')
        ok++
      }
    }),
  ).finally(() => (done = true))
  // Let every piece of work that is not waiting for a timer run, then jump to the next timer.
  while (!done) {
    for (let turn = 0; turn < 10; turn++) await new Promise((resolve) => setImmediate(resolve))
    if (!done) await vi.advanceTimersToNextTimerAsync()
  }
  await all
  const windows = new Map<number, { count: number; refused: number }>()
  for (const arrival of arrivals) {
    const key = Math.floor(arrival.at / windowMs)
    const window = windows.get(key) ?? { count: 0, refused: 0 }
    window.count++
    if (arrival.status === 429) window.refused++
    windows.set(key, window)
  }
  const keys = [...windows.keys()]
  return {
    spanned: Math.max(...keys) - Math.min(...keys) + 1,
    refused: arrivals.filter((arrival) => arrival.status === 429).length,
    mostRefusedInAWindow: Math.max(...[...windows.values()].map((window) => window.refused)),
    ok,
  }
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
})
afterEach(() => vi.useRealTimers())

// Where in a second the calls start (ms) sets how late the first delta reset is; with a round trip (ms).
const CASES = [300, 500, 950].flatMap((start) => [1, 40, 120].map((rtt) => [start, rtt] as const))

describe.each(['ietf', 'draft', 'github'])('%s-style fixed window of 50 per second, 1,000 calls from 20 callers', (style) => {
  it.each(CASES)('starting %i ms into a second, a %i ms round trip: no window unused, no 429', { timeout: 60_000 }, async (start, rtt) => {
    const result = await run(style, 1000, rtt, start)
    expect(result).toMatchObject({ refused: 0, ok: CALLS })
    // 20 windows' worth of calls; the window the calls start in may be too short for its share.
    expect(result.spanned).toBeLessThanOrEqual(CALLS / LIMIT + 1)
  })
})

describe('a window that is not a whole number of seconds (draft style, 1.5 s)', () => {
  it('the window the budget infers from a delta reset may be short; a 429 on a window’s first call drops it, at most one 429 in a window', { timeout: 60_000 }, async () => {
    const result = await run('draft', 1500, 40, 300)
    expect(result.ok).toBe(CALLS)
    expect(result.refused).toBeLessThanOrEqual(1)
    // 1,000 calls need 20 windows of 50; one more is the most a dropped guess may cost.
    expect(result.spanned).toBeLessThanOrEqual(21)
  })
})
