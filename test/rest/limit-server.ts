/**
 * A real node:http server, run as a child process by the REST limit and cache tests, that enforces
 * rate limits and counts every arrival. It prints its port on its first stdout line.
 *
 * Routes (all GET):
 * - `/ietf/*`, `/draft/*`, `/github/*`: a fixed window of LIMIT requests per WINDOW_MS (env), aligned
 *   to the epoch so a window ends on a whole second; announced in the IETF `RateLimit` /
 *   `RateLimit-Policy` fields, in `RateLimit-Limit/-Remaining/-Reset`, or GitHub's `X-RateLimit-*`
 *   (epoch reset). Over the limit: 429 with the same headers.
 * - `/pause/*`: the first request gets 429 `Retry-After: 2`; every later one 200.
 * - `/res/<n>`: a JSON resource with an ETag (even n) or a Last-Modified (odd n); 304 when the
 *   client's validator matches. `/change/<n>` bumps its version (the body carries it).
 * - `/canary`: a body naming the caller's bearer token (or its `x-api-key`), with an ETag that is the same for everyone,
 *   so a client that mixed credentials in its cache would serve one token's body to another.
 * - `/slow/*`: answers after 300 ms, so identical calls overlap; with an ETag, 304 when it matches.
 * - `/nostore`: a body with an ETag and `Cache-Control: no-store`.
 * - `/__arrivals`: every arrival so far `{ at, path, status, auth }` (and `?clear` to start over).
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

const LIMIT = Number(process.env.LIMIT ?? 50)
const WINDOW_MS = Number(process.env.WINDOW_MS ?? 1000)

interface Arrival {
  at: number
  path: string
  status: number
  auth: string
}

let arrivals: Arrival[] = []
const windows = new Map<string, { start: number; used: number }>()
let paused = false
const versions = new Map<number, number>()
const changedAt = new Map<number, number>()

function limitHeaders(style: string, remaining: number, windowEnd: number, now: number): Record<string, string> {
  const delta = String(Math.ceil((windowEnd - now) / 1000))
  if (style === 'ietf') return { 'ratelimit-policy': `"default";q=${LIMIT};w=${WINDOW_MS / 1000}`, ratelimit: `"default";r=${remaining};t=${delta}` }
  if (style === 'draft') return { 'ratelimit-limit': String(LIMIT), 'ratelimit-remaining': String(remaining), 'ratelimit-reset': delta }
  return { 'x-ratelimit-limit': String(LIMIT), 'x-ratelimit-remaining': String(remaining), 'x-ratelimit-reset': String(windowEnd / 1000), 'x-ratelimit-resource': 'core' }
}

const server = createServer((req, res) => {
  const now = Date.now()
  const url = new URL(req.url ?? '/', 'http://localhost')
  const [, first = '', second = ''] = url.pathname.split('/')
  const auth = req.headers.authorization ?? ''
  const send = (status: number, body: string, headers: Record<string, string> = {}) => {
    if (first !== '__arrivals') arrivals.push({ at: now, path: url.pathname, status, auth })
    res.writeHead(status, { 'content-type': 'application/json', ...headers })
    res.end(status === 304 ? undefined : body)
  }
  if (first === '__arrivals') {
    const body = JSON.stringify(arrivals)
    if (url.searchParams.has('clear')) arrivals = []
    return send(200, body)
  }
  if (first === 'ietf' || first === 'draft' || first === 'github') {
    const start = Math.floor(now / WINDOW_MS) * WINDOW_MS
    let window = windows.get(first)
    if (!window || window.start !== start) windows.set(first, (window = { start, used: 0 }))
    window.used++
    const over = window.used > LIMIT
    const headers = limitHeaders(first, Math.max(0, LIMIT - window.used), start + WINDOW_MS, now)
    return over ? send(429, '{"error":"rate_limited"}', headers) : send(200, JSON.stringify({ n: window.used }), headers)
  }
  if (first === 'pause') {
    if (!paused) {
      paused = true
      return send(429, '{"error":"rate_limited"}', { 'retry-after': '2' })
    }
    return send(200, '{"ok":true}')
  }
  if (first === 'change') {
    const n = Number(second)
    versions.set(n, (versions.get(n) ?? 0) + 1)
    // Last-Modified has one-second resolution: a change must move it to a later second.
    changedAt.set(n, Math.max(now, (changedAt.get(n) ?? 0) + 1000))
    return send(200, '{}')
  }
  if (first === 'res') {
    const n = Number(second)
    const version = versions.get(n) ?? 0
    const body = JSON.stringify({ n, version, padding: 'x'.repeat(2000) })
    if (n % 2 === 0) {
      const etag = `"r${n}-v${version}"`
      if (req.headers['if-none-match'] === etag) return send(304, '', { etag })
      return send(200, body, { etag })
    }
    const modified = new Date(Math.floor((changedAt.get(n) ?? 1_700_000_000_000) / 1000) * 1000).toUTCString()
    const since = req.headers['if-modified-since']
    if (since !== undefined && Date.parse(since) >= Date.parse(modified)) return send(304, '', { 'last-modified': modified })
    return send(200, body, { 'last-modified': modified })
  }
  if (first === 'canary') {
    const etag = '"same-for-everyone"'
    if (req.headers['if-none-match'] === etag) return send(304, '', { etag })
    return send(200, JSON.stringify({ canary: auth || `key ${req.headers['x-api-key'] ?? ''}` }), { etag })
  }
  if (first === 'nostore') {
    return send(200, JSON.stringify({ at: now }), { etag: '"fixed"', 'cache-control': 'no-store' })
  }
  if (first === 'slow') {
    const etag = '"slow"'
    setTimeout(() => (req.headers['if-none-match'] === etag ? send(304, '', { etag }) : send(200, JSON.stringify({ slow: true }), { etag })), 300)
    return
  }
  send(404, '{"error":"not_found"}')
})

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`)
})
