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

/**
 * The same three clients and options as bench/rest.bench.ts, but a 60 s timeout (a per-attempt timer
 * either way): under valgrind on a busy machine a first request once took longer than 10 s.
 */
function contender(): (id: number) => Promise<unknown> {
  if (name === '@wirekit/sdk') {
    const ours = createRestClient({ baseUrl: base, auth: TOKEN, timeout: 60_000, retry: { limit: 2 } })
    return (id) => ours.request('GET', '/notes/{id}', { params: { path: { id } } })
  }
  // Issue 17. On /v2 every answer carries an ETag and RateLimit fields; on /v2-plain the same without
  // the ETag. `v2` and `v2-plain`: neither the budget nor the cache. `+budget`, `+cache`, `+budget+cache`:
  // a miss on each GET (a new id each time), which on /v2 is stored (a miss with a validator, what the
  // cache is for) and on /v2-plain is not (a miss without one). `v2+budget+cache-304`: one id, so every
  // answer after the first is a 304 answered from the cache, against `v2-200`, the same full 200 each time.
  const v2 = /^(v2|v2-plain)(\+budget)?(\+cache)?(-304|-200)?$/.exec(name)
  if (v2) {
    const [, path, budget, cache, mode] = v2
    const rest = { ...(budget && { limits: rateLimits() }), ...(cache && { cache: revalidationCache() }) }
    const ours = createRestClient({ baseUrl: `http://127.0.0.1:${port}/${path}`, auth: TOKEN, timeout: 60_000, retry: { limit: 2 }, rest })
    return mode ? () => ours.request('GET', '/notes/1') : (id) => ours.request('GET', '/notes/{id}', { params: { path: { id } } })
  }
  if (name === 'ky') {
    const bare = ky.create({ timeout: 60_000, retry: { limit: 2 }, headers })
    return (id) => bare.get(`${base}/notes/${id}`).json()
  }
  if (name === 'ky-ua') {
    // bare ky sending exactly wirekit's headers: its User-Agent too, which wirekit always sends.
    const bare = ky.create({ timeout: 60_000, retry: { limit: 2 }, headers: { ...headers, 'user-agent': `wirekit/${version}` } })
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
