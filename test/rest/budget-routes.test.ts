// The budget's origins and routes (src/rest/budget.ts): a route is an origin and the first path
// segment, and each route goes to the policy its answers named. The last route is remembered for the
// next call, so the URLs below go from one to another that merely starts like it (a longer segment,
// a longer port). A fake fetch stands in for a server counting per policy, and no network is used.
import { describe, expect, it } from 'vitest'
import { createRestClient, rateLimits } from '../../src/rest/index.js'

describe('the budget by origin and route', () => {
  it('keeps each origin and route on its own policy, whichever URL came before', async () => {
    const used = new Map<string, number>()
    const fetch = async (input: RequestInfo | URL) => {
      const url = new URL((input as Request).url)
      // A policy per port and first segment, counting down from 100 as calls arrive.
      const policy = `${url.port}-${url.pathname.split('/')[1]}`
      const count = (used.get(policy) ?? 0) + 1
      used.set(policy, count)
      const headers = { 'content-type': 'application/json', 'ratelimit-policy': `"${policy}";q=100;w=60`, ratelimit: `"${policy}";r=${100 - count};t=60` }
      return new Response('{}', { headers })
    }
    const limits = rateLimits()
    const short = createRestClient({ baseUrl: 'http://api.test:1', fetch, rest: { limits } })
    const long = createRestClient({ baseUrl: 'http://api.test:10', fetch, rest: { limits } })
    const calls: Array<[typeof short, string, Record<string, string>?]> = [
      [short, '/a/1'],
      [short, '/ab/1'],
      [short, '/a/2'],
      [long, '/a/1'],
      [short, '/a', { q: '1' }],
      [short, '/a'],
      [short, '/ab'],
      [long, '/a/2'],
      [short, '/abc/1'],
      [short, '/a/3'],
    ]
    for (const [client, path, query] of calls) await client.request('GET', path, query && { params: { query } })
    // Each policy's budget counted exactly its own calls: a call put on another's route would have
    // taken a place from that one, which no answer gives back.
    const remaining = Object.fromEntries(limits.state().filter((state) => state.policy !== '').map((state) => [`${state.origin} ${state.policy}`, state.remaining]))
    expect(remaining).toEqual({
      'http://api.test:1 1-a': 100 - used.get('1-a')!,
      'http://api.test:1 1-ab': 100 - used.get('1-ab')!,
      'http://api.test:1 1-abc': 100 - used.get('1-abc')!,
      'http://api.test:10 10-a': 100 - used.get('10-a')!,
    })
    expect(Object.fromEntries(used)).toEqual({ '1-a': 5, '1-ab': 2, '10-a': 2, '1-abc': 1 })
  })
})
