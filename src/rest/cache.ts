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
  /** Its headers, as name/value pairs (the cache lists them when first read). */
  headers: Array<[string, string]>
  /** Its body, as the text the engine read (JSON is parsed from it again on each 304). */
  body: string
  /** The body's size in UTF-8 bytes: what `maxBytes` and `bytesSaved` count. */
  bytes: number
  /** Its `ETag`, sent back as `If-None-Match`. */
  etag?: string | undefined
  /** Its `Last-Modified` when it has no ETag, sent back as `If-Modified-Since`. */
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

/** The built-in store: least recently used dropped first, bounded in entries and body bytes. Internal; exported for its test. */
export class MemoryCacheStore implements CacheStore {
  readonly #entries = new Map<string, CachedResponse>()
  readonly #maxEntries: number
  readonly #maxBytes: number
  #bytes = 0
  // Walks the entries oldest first across calls, made at the first eviction (perf: docs/performance.md#rest-cache-store).
  #oldest: MapIterator<[string, CachedResponse]> | undefined

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
    if (value.bytes > this.#maxBytes) return
    this.#entries.set(key, value)
    this.#bytes += value.bytes
    while (this.#entries.size > this.#maxEntries || this.#bytes > this.#maxBytes) {
      // Every entry the iterator has passed was deleted (entries are only added at the end, and a get
      // re-adds), so its next one is the oldest; it is never done, as the store is not empty here.
      const [oldest, entry] = (this.#oldest ??= this.#entries.entries()).next().value!
      this.#entries.delete(oldest)
      this.#bytes -= entry.bytes
    }
  }

  delete(key: string): void {
    const entry = this.#entries.get(key)
    if (entry) {
      this.#entries.delete(key)
      this.#bytes -= entry.bytes
    }
  }
}

/**
 * One GET through the cache, with what it is sent with. When shared, identical GETs join it: the
 * first caller waits on the request itself (it runs on that caller's signal); each caller who joins
 * waits in `waiters`.
 */
interface Exchange {
  /** The store's key: the credential's number and the URL. */
  key: string
  /** The fetch under the cache, and the `init` ky gave with the request. */
  inner: typeof fetch
  init: RequestInit | undefined
  /** Something besides the engine reads response bodies (see {@link RevalidationCache.wrap}). */
  bodiesRead: boolean
  /** The first caller's request (a later one joins only with the same headers), or the one re-sent for the rest. */
  request: Request
  /** The cache put a validator of its own on `request` (the callers had none). */
  validated: boolean
  /** When shared, the callers who joined the first one; `undefined` for a GET that is not. */
  waiters: Waiter[] | undefined
  /**
   * Aborts a re-sent request when its last caller leaves. None while the first caller's request is on
   * the wire: it runs on that caller's signal, and only a re-send needs one of its own (see #rescue).
   */
  controller: AbortController | undefined
}

interface Waiter {
  resolve: (response: Response) => void
  reject: (error: unknown) => void
}

/** A response whose body is to be stored once the engine has read it (see {@link RevalidationCache.capture}). */
interface Mark {
  key: string
  etag: string | undefined
  lastModified: string | undefined
  vary: Array<[string, string]>
}

const NULL_BODY = new Set([101, 103, 204, 205, 304])
// Past this many credentials the number map starts over; numbers are never reused, so an old
// entry can only miss, never be served to another credential.
const MAX_CREDENTIALS = 1000
// Not taken from a 304 into the stored response (RFC 9111, section 3.2).
const KEEP_STORED = 'content-length'
const NO_STORE = /\bno-store\b/i
const VALIDATORS = ['if-none-match', 'if-modified-since']
// A response without `Vary` (most): one shared empty list, never written to.
const NO_VARY: never[] = []

// Node's (and Bun's) native count, looked up at first use; `utf8Length` elsewhere.
let nativeLength: ((text: string) => number) | undefined

/**
 * The UTF-8 size of `text`, what TextEncoder would produce: `Buffer.byteLength` where the runtime
 * has it, else {@link utf8Length} (perf: docs/performance.md#rest-cache-bodies).
 */
export function utf8Size(text: string): number {
  const { Buffer } = globalThis as { Buffer?: { byteLength(text: string, encoding: 'utf8'): number } }
  nativeLength ??= typeof Buffer?.byteLength === 'function' ? (value) => Buffer.byteLength(value, 'utf8') : utf8Length
  return nativeLength(text)
}

/**
 * The UTF-8 size of `text`, what TextEncoder would produce (a lone surrogate as U+FFFD, 3 bytes),
 * counted without encoding it (perf: docs/performance.md#rest-cache-bodies).
 */
export function utf8Length(text: string): number {
  const { length } = text
  let bytes = length
  for (let index = 0; index < length; index++) {
    const code = text.charCodeAt(index)
    if (code < 0x80) continue
    if (code < 0x800) bytes += 1
    else if (code <= 0xdbff && code >= 0xd800 && index + 1 < length && (text.charCodeAt(index + 1) & 0xfc00) === 0xdc00) {
      // A surrogate pair: two code units, four bytes.
      bytes += 2
      index++
    } else bytes += 2
  }
  return bytes
}

/**
 * An entry of the built-in store. It keeps the response's `Headers` and lists them as pairs only when
 * first read (a 304 answered from it): listing a Headers object costs more than the rest of storing
 * (perf: docs/performance.md#rest-cache-bodies).
 */
class StoredResponse implements CachedResponse {
  readonly status = 200
  readonly statusText: string
  readonly body: string
  readonly bytes: number
  readonly etag: string | undefined
  readonly lastModified: string | undefined
  readonly vary: Array<[string, string]>
  #source: Headers | undefined
  #pairs: Array<[string, string]> | undefined

  constructor(response: Response, body: string, mark: Mark) {
    this.statusText = response.statusText
    this.body = body
    this.bytes = utf8Size(body)
    this.etag = mark.etag
    this.lastModified = mark.lastModified
    this.vary = mark.vary
    this.#source = response.headers
  }

  get headers(): Array<[string, string]> {
    if (this.#pairs === undefined) {
      this.#pairs = [...this.#source!]
      this.#source = undefined
    }
    return this.#pairs
  }
}

/**
 * The entry to store for `response`, whose body the engine read as `body`: for the built-in store a
 * {@link StoredResponse}; for a store of your own a plain object with every field its own, so the
 * store may copy or serialize it.
 */
function storedEntry(response: Response, body: string, mark: Mark, builtIn: boolean): CachedResponse {
  const entry = new StoredResponse(response, body, mark)
  if (builtIn) return entry
  const { status, statusText, headers, bytes, etag, lastModified, vary } = entry
  return { status, statusText, headers, body, bytes, etag, lastModified, vary }
}

/**
 * Headers iterate sorted and lower-cased, so equal sets give equal strings. `ours` leaves out the
 * validator the cache put on a shared request itself.
 */
function headerText(headers: Headers, ours = false): string {
  let text = ''
  for (const [name, value] of headers) if (!(ours && VALIDATORS.includes(name))) text += `${name}: ${value}\n`
  return text
}

/**
 * Revalidation and in-flight sharing for a client's GETs. Give it to `rest: { cache }`; read what
 * it saved with {@link RevalidationCache.stats}.
 */
export class RevalidationCache {
  readonly #store: CacheStore
  readonly #share: boolean
  // The store is the built-in one, which keeps entries as they are given (see storedEntry).
  readonly #builtIn: boolean
  readonly #inFlight = new Map<string, Exchange>()
  readonly #credentials = new Map<string, number>()
  // Responses whose body the engine reads and hands back to be stored (see #exchange).
  readonly #marks = new WeakMap<Response, Mark>()
  // Responses answered from the store without a body: the engine reads the stored text instead.
  readonly #answers = new WeakMap<Response, string>()
  #nextCredential = 1
  #requests = 0
  #notModified = 0
  #bytesSaved = 0
  #shared = 0

  constructor(options: RevalidationCacheOptions = {}) {
    const checked = revalidationCacheOptions(options, 'revalidationCache')
    this.#store = checked.store ?? new MemoryCacheStore(checked.maxEntries, checked.maxBytes)
    this.#builtIn = checked.store === undefined
    this.#share = checked.shareInFlight
  }

  /** What the cache has done so far. */
  stats(): CacheStats {
    return Object.freeze({ requests: this.#requests, notModified: this.#notModified, bytesSaved: this.#bytesSaved, shared: this.#shared })
  }

  /**
   * Internal: `inner` with revalidation and sharing for GETs. `credentialHeaders` name the headers
   * that carry the credential; `bodiesRead` says whether anything but the engine reads response
   * bodies (the user's afterResponse hooks), so a 304 must be answered with a body to read.
   */
  wrap(inner: typeof fetch, credentialHeaders: readonly string[], bodiesRead: boolean): typeof fetch {
    return (input, init) => {
      const request = input instanceof Request ? input : new Request(input, init)
      if (request.method !== 'GET') return inner(input, init)
      if (request.signal.aborted) return Promise.reject(request.signal.reason)
      const key = this.#key(request, credentialHeaders)
      const exchange: Exchange = { key, inner, init, bodiesRead, request, validated: false, waiters: undefined, controller: undefined }
      if (!this.#share) return this.#send(exchange, true)
      const shared = this.#inFlight.get(key)
      if (shared !== undefined && headerText(shared.request.headers, shared.validated) !== headerText(request.headers)) {
        // Same URL and credential, other headers: its own request, not shared.
        return this.#send(exchange, true)
      }
      if (shared !== undefined) {
        this.#shared++
        return this.#join(shared, request.signal)
      }
      exchange.waiters = []
      this.#inFlight.set(key, exchange)
      return this.#run(exchange, true)
    }
  }

  /**
   * Internal: the engine read `text` as the body of `response`; stores it when the response was
   * marked for storing. The text is stored as it is, what the engine parses.
   */
  capture(response: Response, text: string): void | Promise<void> {
    const mark = this.#marks.get(response)
    if (mark === undefined) return
    this.#marks.delete(response)
    return this.#store.set(mark.key, storedEntry(response, text, mark, this.#builtIn))
  }

  /** Internal: the stored body of a response answered from the store without one, as text; else undefined. */
  text(response: Response): string | undefined {
    return this.#answers.get(response)
  }

  #key(request: Request, credentialHeaders: readonly string[]): string {
    // One credential header (Authorization, the usual case): its value as it is, the same string each call.
    let credential = ''
    if (credentialHeaders.length === 1) credential = request.headers.get(credentialHeaders[0]!) ?? ''
    else for (const name of credentialHeaders) credential += `${request.headers.get(name) ?? ''}\n`
    let id = this.#credentials.get(credential)
    if (id === undefined) {
      if (this.#credentials.size >= MAX_CREDENTIALS) this.#credentials.clear()
      this.#credentials.set(credential, (id = this.#nextCredential++))
    }
    return `${id} ${request.url}`
  }

  /**
   * The wait of a caller who joined a shared GET. Its abort leaves; a request sent again for those
   * who joined (see #rescue) is cancelled when the last of them has left.
   */
  #join(shared: Exchange, signal: AbortSignal | null): Promise<Response> {
    return new Promise<Response>((resolve, reject) => {
      signal?.throwIfAborted()
      const onAbort = () => {
        const waiters = shared.waiters!
        const at = waiters.indexOf(waiter)
        if (at >= 0) waiters.splice(at, 1)
        // The first caller's own request stays: that caller is still waiting on it.
        if (waiters.length === 0 && shared.controller !== undefined) {
          this.#forget(shared)
          shared.controller.abort(signal!.reason)
        }
        reject(signal!.reason)
      }
      const settle = () => signal?.removeEventListener('abort', onAbort)
      const waiter: Waiter = {
        resolve: (response) => (settle(), resolve(response)),
        reject: (error) => (settle(), reject(error)),
      }
      shared.waiters!.push(waiter)
      signal?.addEventListener('abort', onAbort, { once: true })
    })
  }

  /**
   * Sends the shared GET and hands what comes back to its callers; resolves to the first caller's
   * response when `first` (the request is that caller's), else only serves those who joined.
   */
  #run(shared: Exchange, first: boolean): Promise<Response> {
    const answer = this.#send(shared, first)
    if (!first) answer.catch(() => undefined)
    return answer
  }

  /**
   * The shared GET failed. When it failed because the first caller left (the request ran on that
   * caller's signal), those who joined get a request of their own, once; otherwise the error.
   */
  #rescue(shared: Exchange, error: unknown): void {
    const waiters = shared.waiters!
    if (shared.controller === undefined && shared.request.signal.aborted && waiters.length > 0) {
      shared.controller = new AbortController()
      const request = new Request(shared.request, { signal: shared.controller.signal })
      // The re-send asks for the stored body afresh (the entry may have changed meanwhile).
      if (shared.validated) for (const name of VALIDATORS) request.headers.delete(name)
      shared.request = request
      shared.validated = false
      void this.#run(shared, false)
      return
    }
    this.#forget(shared)
    for (const waiter of waiters) waiter.reject(error)
  }

  /**
   * Hands a shared GET's response to its callers: as it is when there is one, a copy each when there
   * are several (the body read once here). Returns the first caller's.
   */
  #deliver(shared: Exchange, response: Response, first: boolean): Response | Promise<Response> {
    const waiters = shared.waiters!
    if (first && waiters.length > 0 && shared.request.signal.aborted) {
      // The first caller left between the answer and this step: its abort ends the body too.
      this.#rescue(shared, shared.request.signal.reason)
      return response
    }
    this.#forget(shared)
    if (waiters.length === 0) {
      if (!first) void response.body?.cancel().catch(() => undefined)
      return response
    }
    if (!first && waiters.length === 1) {
      waiters[0]!.resolve(response)
      return response
    }
    const stored = this.#answers.get(response)
    if (stored !== undefined) {
      for (const waiter of waiters) waiter.resolve(this.#copy(response, stored, true))
      return response
    }
    // Several callers of a network response: each gets its own body, so it is read once here.
    const text = NULL_BODY.has(response.status) ? Promise.resolve(null) : response.text()
    return text.then(
      async (body) => {
        const mark = this.#marks.get(response)
        if (mark !== undefined && body !== null) {
          this.#marks.delete(response)
          await this.#store.set(mark.key, storedEntry(response, body, mark, this.#builtIn))
        }
        for (const waiter of waiters) waiter.resolve(this.#copy(response, body, false))
        return this.#copy(response, body, false)
      },
    ).catch((error: unknown) => {
      this.#rescue(shared, error)
      throw error
    })
  }

  /** Takes a shared GET off the in-flight list, unless another has taken its place there. */
  #forget(shared: Exchange): void {
    if (this.#inFlight.get(shared.key) === shared) this.#inFlight.delete(shared.key)
  }

  /** A response like `response` with `body`; `bare` keeps the body beside it for the engine rather than in it. */
  #copy(response: Response, body: string | null, bare: boolean): Response {
    const copy = new Response(bare ? null : body, { status: response.status, statusText: response.statusText, headers: response.headers })
    if (bare && body !== null) this.#answers.set(copy, body)
    return copy
  }

  /** Sends one GET, conditional when a body is stored, and answers a 304 from the store. */
  #send(exchange: Exchange, first: boolean): Promise<Response> {
    const found = this.#store.get(exchange.key)
    if (found instanceof Promise) {
      return found.then(
        (entry) => this.#exchange(exchange, first, unlessConditional(exchange.request, entry)),
        (error: unknown) => {
          if (exchange.waiters) this.#rescue(exchange, error)
          throw error
        },
      )
    }
    return this.#exchange(exchange, first, unlessConditional(exchange.request, found))
  }

  /** Sends `exchange`'s request, conditional when `found` is stored, and answers a 304 from it. */
  async #exchange(exchange: Exchange, first: boolean, found: CachedResponse | undefined): Promise<Response> {
    const { key, request } = exchange
    try {
      let entry = found
      if (entry && entry.vary.some(([name, value]) => (request.headers.get(name) ?? '') !== value)) entry = undefined
      // The request is this attempt's own (ky sends a fresh copy on a retry), so the validator goes on it.
      if (entry) {
        request.headers.set(entry.etag !== undefined ? 'if-none-match' : 'if-modified-since', entry.etag ?? entry.lastModified!)
        exchange.validated = true
      }
      this.#requests++
      const response = await exchange.inner(request, exchange.init)
      const { headers } = response
      if (entry && response.status === 304) {
        this.#notModified++
        this.#bytesSaved += entry.bytes
        const etag = headers.get('etag') ?? entry.etag
        const lastModified = etag === undefined ? (headers.get('last-modified') ?? entry.lastModified) : entry.lastModified
        const answered = new Response(exchange.bodiesRead ? entry.body : null, { status: entry.status, statusText: entry.statusText, headers: entry.headers })
        for (const [name, value] of headers) if (name !== KEEP_STORED) answered.headers.set(name, value)
        if (!exchange.bodiesRead) this.#answers.set(answered, entry.body)
        // A new validator is stored with the headers it came with; otherwise the stored entry stands, and
        // each answer takes the fresh headers of its own 304.
        if (etag !== entry.etag || lastModified !== entry.lastModified) await this.#store.set(key, { ...entry, headers: [...answered.headers], etag, lastModified })
        return this.#handOut(exchange, first, answered)
      }
      const etag = headers.get('etag') ?? undefined
      // One validator is kept: Last-Modified only when there is no ETag (which is what gets sent).
      const lastModified = etag === undefined ? (headers.get('last-modified') ?? undefined) : undefined
      if ((etag !== undefined || lastModified !== undefined) && response.status === 200) {
        const varyField = headers.get('vary')
        const vary = varyField === null ? NO_VARY : varyField.split(',').map((name) => name.trim().toLowerCase()).filter(Boolean)
        if (!NO_STORE.test(headers.get('cache-control') ?? '') && !vary.includes('*')) {
          this.#marks.set(response, { key, etag, lastModified, vary: vary === NO_VARY ? NO_VARY : vary.map((name) => [name, request.headers.get(name) ?? '']) })
          return this.#handOut(exchange, first, response)
        }
      }
      if (found !== undefined) await this.#store.delete(key)
      return this.#handOut(exchange, first, response)
    } catch (error) {
      // A shared GET that failed: those who joined get the error, or a request of their own.
      if (exchange.waiters) this.#rescue(exchange, error)
      throw error
    }
  }

  /** `response` as it is, or, for a shared GET, handed out to its callers (see #deliver). */
  #handOut(exchange: Exchange, first: boolean, response: Response): Response | Promise<Response> {
    return exchange.waiters === undefined ? response : this.#deliver(exchange, response, first)
  }

}

/**
 * `entry`, unless the request carries its own validator (the caller revalidates for itself, and its
 * 304 goes to it as it is). Looked up first, so a miss reads no request header.
 */
function unlessConditional(request: Request, entry: CachedResponse | undefined): CachedResponse | undefined {
  return entry !== undefined && (request.headers.has('if-none-match') || request.headers.has('if-modified-since')) ? undefined : entry
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
