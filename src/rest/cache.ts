/**
 * Revalidation and in-flight sharing for GETs: `revalidationCache()` makes one, `rest: { cache }`
 * installs it under ky as its `fetch`. A stored body is never served without asking the server:
 * each GET carries `If-None-Match` / `If-Modified-Since`, and a 304 is answered with the stored body
 * and the fresh headers, so a caller always gets the server's current body while the bytes cross the
 * wire once. Identical GETs in flight (same URL, credential and headers) share one request. A
 * separate factory so a client that never imports it carries none of it (the REST bundle guard).
 */
import { boolean, check, count, record } from '../core/checks.js'

/** A stored response: what a 304 is answered with. */
export interface CachedResponse {
  /** The status of the stored response (200). */
  status: number
  /** Its status text. */
  statusText: string
  /** Its headers, as name/value pairs. */
  headers: Array<[string, string]>
  /** Its body. */
  body: Uint8Array
  /** Its `ETag`, sent back as `If-None-Match`. */
  etag?: string | undefined
  /** Its `Last-Modified`, sent back as `If-Modified-Since` when there is no ETag. */
  lastModified?: string | undefined
  /** The request headers its `Vary` names, with the values it was fetched with. */
  vary: Array<[string, string]>
}

/**
 * Where the cache keeps responses. Keys name the credential by a process-local number, never the
 * token itself. Methods may be async (a store shared with a worker, say).
 *
 * @example
 * const store: CacheStore = { get: (key) => map.get(key), set: (key, value) => void map.set(key, value), delete: (key) => void map.delete(key) }
 */
export interface CacheStore {
  /** The response stored under `key`, if any. */
  get(key: string): CachedResponse | undefined | Promise<CachedResponse | undefined>
  /** Stores `value` under `key`. */
  set(key: string, value: CachedResponse): void | Promise<void>
  /** Forgets `key`. */
  delete(key: string): void | Promise<void>
}

/**
 * Options of {@link revalidationCache}.
 *
 * @example
 * revalidationCache({ maxEntries: 1000, maxBytes: 20_000_000 })
 */
export interface RevalidationCacheOptions {
  /**
   * Responses kept at most, least recently used dropped first (the built-in store).
   * @default 500
   */
  maxEntries?: number
  /**
   * Body bytes kept at most, least recently used dropped first (the built-in store); a body larger
   * than this is never stored.
   * @default 5000000
   */
  maxBytes?: number
  /**
   * Your own store instead of the built-in one (which `maxEntries` and `maxBytes` then do not bound).
   * @default an in-memory LRU store
   */
  store?: CacheStore
  /**
   * Identical GETs in flight share one request; each caller still gets its own parsed result, and
   * one caller's abort does not cancel the others.
   * @default true
   */
  shareInFlight?: boolean
}

/** What the cache has done so far, from {@link RevalidationCache.stats}. */
export interface CacheStats {
  /** GETs that went to the server (shared ones counted once). */
  readonly requests: number
  /** Of those, answered 304 from the stored body. */
  readonly notModified: number
  /** Body bytes the 304s did not download. */
  readonly bytesSaved: number
  /** GETs that joined one already in flight instead of sending their own. */
  readonly shared: number
}

/** The check of {@link revalidationCache}'s options, at the path `revalidationCache`. Internal; exported so a test can walk every path. */
export const revalidationCacheOptions = /* @__PURE__ */ record({
  maxEntries: /* @__PURE__ */ count(500, 1),
  maxBytes: /* @__PURE__ */ count(5_000_000, 1),
  store: /* @__PURE__ */ check<CacheStore | undefined>(
    (value) => typeof value === 'object' && value !== null && ['get', 'set', 'delete'].every((name) => typeof (value as Record<string, unknown>)[name] === 'function'),
    'an object with get, set and delete methods',
  ),
  shareInFlight: /* @__PURE__ */ boolean(true),
})

/** The built-in store: least recently used dropped first, bounded in entries and body bytes. */
class MemoryCacheStore implements CacheStore {
  readonly #entries = new Map<string, CachedResponse>()
  readonly #maxEntries: number
  readonly #maxBytes: number
  #bytes = 0

  constructor(maxEntries: number, maxBytes: number) {
    this.#maxEntries = maxEntries
    this.#maxBytes = maxBytes
  }

  get(key: string): CachedResponse | undefined {
    const entry = this.#entries.get(key)
    if (entry) {
      // Map order is insertion order: re-inserting makes it the most recently used.
      this.#entries.delete(key)
      this.#entries.set(key, entry)
    }
    return entry
  }

  set(key: string, value: CachedResponse): void {
    this.delete(key)
    if (value.body.byteLength > this.#maxBytes) return
    this.#entries.set(key, value)
    this.#bytes += value.body.byteLength
    for (const [oldest, entry] of this.#entries) {
      if (this.#entries.size <= this.#maxEntries && this.#bytes <= this.#maxBytes) break
      this.#entries.delete(oldest)
      this.#bytes -= entry.body.byteLength
    }
  }

  delete(key: string): void {
    const entry = this.#entries.get(key)
    if (entry) {
      this.#entries.delete(key)
      this.#bytes -= entry.body.byteLength
    }
  }
}

interface Shared {
  response: Promise<Buffered>
  callers: number
  controller: AbortController
}

interface Buffered {
  status: number
  statusText: string
  headers: Headers
  body: Uint8Array | null
}

const NULL_BODY = new Set([101, 103, 204, 205, 304])
// Past this many credentials the number map starts over; numbers are never reused, so an old
// entry can only miss, never be served to another credential.
const MAX_CREDENTIALS = 1000

function toResponse(buffered: Buffered): Response {
  return new Response(NULL_BODY.has(buffered.status) ? null : (buffered.body as Uint8Array<ArrayBuffer>), { status: buffered.status, statusText: buffered.statusText, headers: buffered.headers })
}

/** Waits for `promise` unless `signal` aborts first. */
function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal | null, onAbort: () => void): Promise<T> {
  if (!signal) return promise
  return new Promise<T>((resolve, reject) => {
    signal.throwIfAborted()
    const abort = () => {
      onAbort()
      reject(signal.reason)
    }
    signal.addEventListener('abort', abort, { once: true })
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort))
  })
}

/**
 * Revalidation and in-flight sharing for a client's GETs. Give it to `rest: { cache }`; read what
 * it saved with {@link RevalidationCache.stats}.
 */
export class RevalidationCache {
  readonly #store: CacheStore
  readonly #share: boolean
  readonly #inFlight = new Map<string, Shared>()
  readonly #credentials = new Map<string, number>()
  #nextCredential = 1
  #requests = 0
  #notModified = 0
  #bytesSaved = 0
  #shared = 0

  constructor(options: RevalidationCacheOptions = {}) {
    const checked = revalidationCacheOptions(options, 'revalidationCache')
    this.#store = checked.store ?? new MemoryCacheStore(checked.maxEntries, checked.maxBytes)
    this.#share = checked.shareInFlight
  }

  /** What the cache has done so far. */
  stats(): CacheStats {
    return Object.freeze({ requests: this.#requests, notModified: this.#notModified, bytesSaved: this.#bytesSaved, shared: this.#shared })
  }

  /** Internal: `inner` with revalidation and sharing for GETs; `credentialHeaders` name the headers that carry the credential. */
  wrap(inner: typeof fetch, credentialHeaders: readonly string[]): typeof fetch {
    return (input, init) => {
      const request = input instanceof Request ? input : new Request(input, init)
      if (request.method !== 'GET') return inner(input, init)
      if (!this.#share) return this.#revalidate(inner, request, credentialHeaders).then(toResponse)
      // Every header matters for sharing (the credential among them): Headers iterate sorted.
      let key = request.url
      for (const [name, value] of request.headers) key += `\n${name}: ${value}`
      let shared = this.#inFlight.get(key)
      if (shared) this.#shared++
      else {
        const controller = new AbortController()
        const detached = new Request(request, { signal: controller.signal })
        const response = this.#revalidate(inner, detached, credentialHeaders).finally(() => this.#inFlight.delete(key))
        shared = { response, callers: 0, controller }
        this.#inFlight.set(key, shared)
      }
      const joined = shared
      joined.callers++
      // A caller who aborts leaves; the request is cancelled only when every caller has left.
      return unlessAborted(joined.response, request.signal, () => {
        if (--joined.callers === 0) {
          this.#inFlight.delete(key)
          joined.controller.abort(request.signal.reason)
        }
      }).then(toResponse)
    }
  }

  async #revalidate(inner: typeof fetch, request: Request, credentialHeaders: readonly string[]): Promise<Buffered> {
    let credential = ''
    for (const name of credentialHeaders) credential += `${request.headers.get(name) ?? ''}\n`
    let id = this.#credentials.get(credential)
    if (id === undefined) {
      if (this.#credentials.size >= MAX_CREDENTIALS) this.#credentials.clear()
      this.#credentials.set(credential, (id = this.#nextCredential++))
    }
    const key = `${id} ${request.url}`
    let entry = request.headers.has('if-none-match') || request.headers.has('if-modified-since') ? undefined : await this.#store.get(key)
    if (entry && entry.vary.some(([name, value]) => (request.headers.get(name) ?? '') !== value)) entry = undefined
    let sent = request
    if (entry) {
      const headers = new Headers(request.headers)
      if (entry.etag !== undefined) headers.set('if-none-match', entry.etag)
      else headers.set('if-modified-since', entry.lastModified!)
      sent = new Request(request, { headers })
    }
    this.#requests++
    const response = await inner(sent)
    if (entry && response.status === 304) {
      this.#notModified++
      this.#bytesSaved += entry.body.byteLength
      const headers = new Headers(entry.headers)
      for (const [name, value] of response.headers) headers.set(name, value)
      const fresh: CachedResponse = { ...entry, headers: [...headers], etag: response.headers.get('etag') ?? entry.etag, lastModified: response.headers.get('last-modified') ?? entry.lastModified }
      await this.#store.set(key, fresh)
      return { status: entry.status, statusText: entry.statusText, headers, body: entry.body }
    }
    const body = NULL_BODY.has(response.status) ? null : new Uint8Array(await response.arrayBuffer())
    const buffered = { status: response.status, statusText: response.statusText, headers: response.headers, body }
    const etag = response.headers.get('etag') ?? undefined
    const lastModified = response.headers.get('last-modified') ?? undefined
    const vary = (response.headers.get('vary') ?? '').split(',').map((name) => name.trim().toLowerCase()).filter(Boolean)
    const storable =
      response.status === 200 && body !== null && (etag !== undefined || lastModified !== undefined) && !/\bno-store\b/i.test(response.headers.get('cache-control') ?? '') && !vary.includes('*')
    if (storable) {
      await this.#store.set(key, { status: 200, statusText: response.statusText, headers: [...response.headers], body, etag, lastModified, vary: vary.map((name) => [name, request.headers.get(name) ?? '']) })
    } else if (entry || response.status !== 304) {
      await this.#store.delete(key)
    }
    return buffered
  }
}

/**
 * A revalidation cache to give to `rest: { cache }`: GETs revalidate stored bodies with ETag /
 * Last-Modified (a 304 costs no body), identical GETs in flight share one request, and the key
 * includes the credential so one token's bodies are never served to another.
 *
 * @example
 * import { createRestClient, revalidationCache } from '@wirekit/sdk/rest'
 * const cache = revalidationCache({ maxEntries: 1000 })
 * const rest = createRestClient({ baseUrl, auth, rest: { cache } })
 * console.log(cache.stats().bytesSaved)
 */
export function revalidationCache(options?: RevalidationCacheOptions): RevalidationCache {
  return new RevalidationCache(options)
}
