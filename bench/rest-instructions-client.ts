/**
 * One client process for `npm run bench:rest:instructions`, run under callgrind by
 * bench/rest-instructions.ts: builds one contender, sends WARMUP GETs, then COUNT more, and exits.
 * Run with COUNT = n and with COUNT = 2n: the difference in instructions is n requests' worth, with
 * start-up, module loading, client construction and warm-up cancelled out.
 *
 * Args: <contender> <port> <warmup> <count>.
 */
import ky from 'ky'
import { readFileSync } from 'node:fs'
import { createRestClient, rateLimits, revalidationCache } from '@wirekit/sdk/rest'

const [name, port, warmup, count] = process.argv.slice(2) as [string, string, string, string]
const TOKEN = 'tok_bench_0123456789'
// Read, not imported from '@wirekit/sdk': loading more modules than the other contenders would change the
// heap every contender's garbage collections walk.
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
const base = `http://127.0.0.1:${port}/v1`
const headers = { authorization: `Bearer ${TOKEN}`, accept: 'application/json' }

/** The same three clients and options as bench/rest.bench.ts. */
function contender(): (id: number) => Promise<unknown> {
  if (name === '@wirekit/sdk') {
    const ours = createRestClient({ baseUrl: base, auth: TOKEN, timeout: 10_000, retry: { limit: 2 } })
    return (id) => ours.request('GET', '/notes/{id}', { params: { path: { id } } })
  }
  // Issue 17, all on /v2 (an ETag and RateLimit fields on every answer): without the budget and the
  // cache; with both on a miss (a new id each time, so every body is stored); with both on a 304 hit
  // (one id, so every answer after the first is a 304) against `v2-200`, the same full 200 every time.
  if (name === 'v2' || name === 'v2-200') {
    const ours = createRestClient({ baseUrl: `http://127.0.0.1:${port}/v2`, auth: TOKEN, timeout: 10_000, retry: { limit: 2 } })
    return name === 'v2' ? (id) => ours.request('GET', '/notes/{id}', { params: { path: { id } } }) : () => ours.request('GET', '/notes/1')
  }
  if (name === 'v2+budget+cache' || name === 'v2+budget+cache-304') {
    const rest = { limits: rateLimits(), cache: revalidationCache() }
    const ours = createRestClient({ baseUrl: `http://127.0.0.1:${port}/v2`, auth: TOKEN, timeout: 10_000, retry: { limit: 2 }, rest })
    return name === 'v2+budget+cache' ? (id) => ours.request('GET', '/notes/{id}', { params: { path: { id } } }) : () => ours.request('GET', '/notes/1')
  }
  if (name === 'ky') {
    const bare = ky.create({ timeout: 10_000, retry: { limit: 2 }, headers })
    return (id) => bare.get(`${base}/notes/${id}`).json()
  }
  if (name === 'ky-ua') {
    // bare ky sending exactly wirekit's headers: its User-Agent too, which wirekit always sends.
    const bare = ky.create({ timeout: 10_000, retry: { limit: 2 }, headers: { ...headers, 'user-agent': `wirekit/${version}` } })
    return (id) => bare.get(`${base}/notes/${id}`).json()
  }
  if (name === 'fetch') {
    return async (id) => {
      const response = await fetch(`${base}/notes/${id}`, { headers })
      if (!response.ok) throw new Error(`status ${response.status}`)
      return response.json()
    }
  }
  throw new Error(`unknown contender ${name}`)
}

// A full collection after the warm-up and another at the end, so both runs start the measured part
// with the same heap and end with all of its garbage collected: whether a major GC happens to fall
// inside the measured part would otherwise swing the figure by ~10%.
const collect = (globalThis as { gc?: () => void }).gc ?? (() => undefined)
const call = contender()
let id = 0
for (let i = 0; i < Number(warmup); i++) await call(id++)
collect()
for (let i = 0; i < Number(count); i++) await call(id++)
collect()
