/**
 * The example platform's REST API: one resource, notes, over plain node:http. It is what a real
 * service looks like from wirekit's side — bearer tokens that expire, cursor pagination, JSON
 * errors with request ids, and Idempotency-Key replay on POST — small enough to read in one go.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'

export interface Note {
  id: string
  title: string
  body: string
  createdAt: string
  updatedAt: string
}

export type NoteChange =
  | { type: 'note.created'; note: Note }
  | { type: 'note.updated'; note: Note }
  | { type: 'note.deleted'; note: Note }

export interface NotesApiOptions {
  /** The client id and secret that may exchange for access tokens at POST /v1/oauth/token. */
  clients?: Record<string, string>
  /** How long an issued access token lives, in seconds. @default 3600 */
  tokenLifetime?: number
  /** Called after every change, to publish it over realtime and webhooks. */
  onChange?: (change: NoteChange) => void
  /** The clock, epoch ms. */
  now?: () => number
  /**
   * Fault injection: return true to reset the connection right after the nth note is stored, before
   * the reply — the failure that makes a naive client create the note twice.
   */
  resetAfterCreate?: (sequence: number) => boolean
  /**
   * The notes API's rate limit per access token: `limit` requests per fixed window of `window`
   * seconds, announced on every answer in the IETF `RateLimit` / `RateLimit-Policy` fields, and a
   * 429 with `Retry-After` past it. @default { limit: 600, window: 60 }
   */
  rateLimit?: { limit: number; window: number }
}

export interface NotesApiStats {
  requests: number
  /** POSTs answered from the idempotency store instead of creating again. */
  idempotentReplays: number
  tokensIssued: number
  /** Connections reset on purpose by `resetAfterCreate`. */
  resets: number
  /** Requests refused with 429 by the rate limit. */
  rateLimited: number
  /** GETs of a note answered 304 Not Modified (the client's ETag matched). */
  notModified: number
}

interface StoredReply {
  fingerprint: string
  status: number
  body: unknown
}

const MAX_BODY = 64 * 1024
const MAX_PAGE = 100

/** Builds the request handler; mount it on a node:http server. */
export function createNotesApi(options: NotesApiOptions = {}) {
  const clients = options.clients ?? { demo: 'demo-client-secret' }
  const lifetime = options.tokenLifetime ?? 3600
  const now = options.now ?? Date.now
  const notes = new Map<string, Note>()
  const tokens = new Map<string, number>()
  const idempotency = new Map<string, StoredReply>()
  const stats: NotesApiStats = { requests: 0, idempotentReplays: 0, tokensIssued: 0, resets: 0, rateLimited: 0, notModified: 0 }
  const { limit: quota, window: windowSeconds } = options.rateLimit ?? { limit: 600, window: 60 }
  const windows = new Map<string, { start: number; used: number }>()
  let sequence = 0

  function issueToken(): { access_token: string; token_type: string; expires_in: number } {
    const token = `at_${randomBytes(18).toString('base64url')}`
    tokens.set(token, now() + lifetime * 1000)
    stats.tokensIssued++
    return { access_token: token, token_type: 'Bearer', expires_in: lifetime }
  }

  /** True for an access token this API issued that has not expired; the realtime server asks too. */
  function isValidToken(token: string): boolean {
    const expiresAt = tokens.get(token)
    return expiresAt !== undefined && expiresAt > now()
  }

  function authorized(req: IncomingMessage): boolean {
    const match = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')
    return match !== null && isValidToken(match[1]!)
  }

  /**
   * Counts a request against its token's fixed window (aligned to the epoch, so it ends on a whole
   * second) and announces what is left; false when over the limit, with the 429 already sent.
   */
  function withinLimit(req: IncomingMessage, res: ServerResponse): boolean {
    const token = req.headers.authorization ?? ''
    const at = now()
    const start = Math.floor(at / (windowSeconds * 1000)) * windowSeconds * 1000
    let window = windows.get(token)
    if (!window || window.start !== start) windows.set(token, (window = { start, used: 0 }))
    window.used++
    const reset = Math.ceil((start + windowSeconds * 1000 - at) / 1000)
    res.setHeader('ratelimit-policy', `"notes";q=${quota};w=${windowSeconds}`)
    res.setHeader('ratelimit', `"notes";r=${Math.max(0, quota - window.used)};t=${reset}`)
    if (window.used <= quota) return true
    stats.rateLimited++
    res.setHeader('retry-after', String(reset))
    send(res, 429, { error: { code: 'rate_limited', message: `over ${quota} requests per ${windowSeconds} s` } })
    return false
  }

  function change(event: NoteChange): void {
    options.onChange?.(event)
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    stats.requests++
    const requestId = `req_${randomUUID()}`
    res.setHeader('x-request-id', requestId)
    const url = new URL(req.url ?? '/', 'http://platform.local')
    const method = req.method ?? 'GET'
    const path = url.pathname.replace(/\/+$/, '')

    if (method === 'POST' && path === '/v1/oauth/token') {
      const body = await readJson(req)
      const id = typeof body?.client_id === 'string' ? body.client_id : ''
      if (!(id in clients) || clients[id] !== body?.client_secret) {
        return send(res, 401, { error: { code: 'invalid_client', message: 'unknown client or wrong secret' } })
      }
      return send(res, 200, issueToken())
    }

    if (!path.startsWith('/v1/notes')) return send(res, 404, { error: { code: 'not_found', message: `no route ${method} ${path}` } })
    if (!authorized(req)) {
      res.setHeader('www-authenticate', 'Bearer')
      return send(res, 401, { error: { code: 'invalid_token', message: 'missing, unknown or expired access token' } })
    }
    if (!withinLimit(req, res)) return

    const id = path.length > '/v1/notes'.length ? decodeURIComponent(path.slice('/v1/notes/'.length)) : undefined
    if (id === undefined && method === 'GET') return list(url, res)
    if (id === undefined && method === 'POST') return create(req, res)
    if (id === undefined) return send(res, 405, { error: { code: 'method_not_allowed', message: `${method} is not allowed on /v1/notes` } })

    const note = notes.get(id)
    if (!note) return send(res, 404, { error: { code: 'note_not_found', message: `no note ${id}` } })
    if (method === 'GET') {
      // A note's validators: its ETag is a digest of its content, so any change changes it.
      const etag = `"${createHash('sha256').update(JSON.stringify(note)).digest('base64url').slice(0, 22)}"`
      res.setHeader('etag', etag)
      res.setHeader('last-modified', new Date(note.updatedAt).toUTCString())
      if (req.headers['if-none-match'] === etag) {
        stats.notModified++
        res.writeHead(304).end()
        return
      }
      return send(res, 200, note)
    }
    if (method === 'PATCH') {
      const body = await readJson(req)
      const invalid = checkNoteFields(body, false)
      if (invalid) return send(res, 422, { error: { code: 'invalid_note', message: invalid } })
      Object.assign(note, pick(body), { updatedAt: new Date(now()).toISOString() })
      change({ type: 'note.updated', note: { ...note } })
      return send(res, 200, note)
    }
    if (method === 'DELETE') {
      notes.delete(id)
      change({ type: 'note.deleted', note: { ...note } })
      res.writeHead(204).end()
      return
    }
    return send(res, 405, { error: { code: 'method_not_allowed', message: `${method} is not allowed on a note` } })
  }

  async function create(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req)
    const key = req.headers['idempotency-key']
    const fingerprint = raw.toString('utf8')
    if (typeof key === 'string') {
      const stored = idempotency.get(key)
      if (stored) {
        if (stored.fingerprint !== fingerprint) {
          return send(res, 422, { error: { code: 'idempotency_key_reused', message: 'this Idempotency-Key was used with a different body' } })
        }
        stats.idempotentReplays++
        res.setHeader('idempotent-replayed', 'true')
        return send(res, stored.status, stored.body)
      }
    }
    const body = parseJson(raw)
    const invalid = checkNoteFields(body, true)
    if (invalid) return send(res, 422, { error: { code: 'invalid_note', message: invalid } })
    const at = new Date(now()).toISOString()
    const note: Note = { id: `note_${String(++sequence).padStart(6, '0')}`, title: '', body: '', ...pick(body), createdAt: at, updatedAt: at }
    notes.set(note.id, note)
    if (typeof key === 'string') idempotency.set(key, { fingerprint, status: 201, body: note })
    change({ type: 'note.created', note: { ...note } })
    if (options.resetAfterCreate?.(sequence)) {
      stats.resets++
      return void res.socket?.destroy()
    }
    return send(res, 201, note)
  }

  function list(url: URL, res: ServerResponse): void {
    const limit = Number(url.searchParams.get('limit') ?? 20)
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
      return send(res, 400, { error: { code: 'invalid_limit', message: `limit must be a whole number from 1 to ${MAX_PAGE}` } })
    }
    // The cursor is the id of the last note of the previous page; ids sort in creation order.
    const cursor = url.searchParams.get('cursor')
    const all = [...notes.values()].sort((a, b) => (a.id < b.id ? -1 : 1))
    const start = cursor ? all.findIndex((note) => note.id > cursor) : 0
    const page = start < 0 ? [] : all.slice(start, start + limit)
    const last = page.at(-1)
    const more = last !== undefined && all.at(-1)?.id !== last.id
    return send(res, 200, { data: page, next_cursor: more ? last.id : null })
  }

  /** The node:http listener: a body over 64 KiB is a 413, any other failure a 500, never a crash. */
  function handle(req: IncomingMessage, res: ServerResponse): void {
    route(req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy()
      const tooLarge = error instanceof RangeError
      send(res, tooLarge ? 413 : 500, { error: { code: tooLarge ? 'body_too_large' : 'internal', message: tooLarge ? 'the body is over 64 KiB' : 'internal error' } })
    })
  }

  return { handle, stats, issueToken, isValidToken, notes }
}

function checkNoteFields(body: unknown, creating: boolean): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'the body must be a JSON object'
  const record = body as Record<string, unknown>
  if (creating && typeof record.title !== 'string') return 'title is required and must be a string'
  for (const field of ['title', 'body']) {
    if (field in record && typeof record[field] !== 'string') return `${field} must be a string`
  }
  if (typeof record.title === 'string' && (record.title.length === 0 || record.title.length > 200)) return 'title must be 1 to 200 characters'
  return undefined
}

function pick(body: unknown): Partial<Pick<Note, 'title' | 'body'>> {
  const record = body as Record<string, unknown>
  const out: Partial<Pick<Note, 'title' | 'body'>> = {}
  if (typeof record.title === 'string') out.title = record.title
  if (typeof record.body === 'string') out.body = record.body
  return out
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY) throw new RangeError('body too large')
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

function parseJson(raw: Buffer): unknown {
  if (raw.length === 0) return undefined
  try {
    return JSON.parse(raw.toString('utf8'))
  } catch {
    return undefined
  }
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const value = parseJson(await readBody(req))
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}
