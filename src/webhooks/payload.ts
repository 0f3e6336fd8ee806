/**
 * Internal: taking the body exactly as it arrived. A signature covers the bytes the sender sent; a
 * body a framework already parsed and re-serialised is not those bytes, which has been the most common
 * webhook complaint for years. So a parsed object is refused with the fix, not hashed.
 */
import { refuse } from './errors.js'

/** The raw body: text, bytes (Buffer included), or an ArrayBuffer. */
export type RawPayload = string | Uint8Array | ArrayBuffer

/** A Fetch `Request` as far as the verifier reads it. */
export interface RequestLike {
  /** The request headers; the signature headers are read from here. */
  readonly headers: Headers
  /** True once something read the body; such a request is refused, since the raw bytes are gone. */
  readonly bodyUsed: boolean
  /** Reads the raw body once, as bytes: the exact bytes the sender signed. */
  arrayBuffer(): Promise<ArrayBuffer>
}

/**
 * A Node `IncomingMessage` (node:http, Express, Fastify's `request.raw`) as far as the verifier reads
 * it: its headers and its body stream. `body` is what a body parser left on it, if any.
 */
export interface NodeRequestLike extends AsyncIterable<Uint8Array | string> {
  /** Node's `IncomingHttpHeaders`: lower-case names, string or string[] values. */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>
  /**
   * What a body parser left: a Buffer from `express.raw()` is used as the raw body; a parsed object
   * is refused as `payload_not_raw`.
   */
  readonly body?: unknown
  /** True when the stream was already consumed (by a body parser), so it cannot be read again. */
  readonly readableEnded?: boolean
}

/**
 * The largest body read from a stream or a Request, in bytes.
 * GitHub caps its payloads at 25 MB; most senders stay far below.
 */
// 25 MiB, as a literal: bundlers drop an unused literal, not an unused product.
export const DEFAULT_MAX_BODY_BYTES = 26_214_400

const RAW_BODY_FIX =
  'Signatures cover the exact bytes that were sent, and a body that was parsed and re-serialised is not those bytes. ' +
  "Express: mount express.raw({ type: '*/*' }) on the webhook route (before or instead of express.json()) and pass req.body, or use verifyNodeRequest(req) with no body parser. " +
  'Next.js route handlers, Hono, Workers: pass the Request itself, or await req.text(), never await req.json().'

/** True for a Fetch Request (or anything shaped like one). */
export function isRequestLike(value: unknown): value is RequestLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as RequestLike).arrayBuffer === 'function' &&
    typeof (value as RequestLike).headers === 'object' &&
    typeof (value as RequestLike).bodyUsed === 'boolean'
  )
}

/** The body as the crypto wants it: the caller's own string, or bytes backed by an ArrayBuffer. */
export function rawBody(payload: unknown): string | Uint8Array<ArrayBuffer> {
  if (typeof payload === 'string') return payload
  if (payload instanceof Uint8Array) {
    return payload.buffer instanceof ArrayBuffer ? (payload as Uint8Array<ArrayBuffer>) : new Uint8Array(payload)
  }
  if (payload instanceof ArrayBuffer) return new Uint8Array(payload)
  if (ArrayBuffer.isView(payload)) {
    const copy = new Uint8Array(payload.byteLength)
    copy.set(new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength))
    return copy
  }
  const what = payload === null ? 'null' : Array.isArray(payload) ? 'an array' : typeof payload === 'object' ? 'a parsed object' : typeof payload
  throw refuse('payload_not_raw', `the payload is ${what}, not the raw request body. ${RAW_BODY_FIX}`)
}

function checkSize(size: number, max: number): void {
  if (size > max) throw refuse('payload_too_large', `the body is larger than maxBodyBytes (${max} bytes)`)
}

/** Reads a Fetch Request's body once, as bytes. */
export async function readRequestBody(request: RequestLike, maxBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  if (request.bodyUsed) {
    throw refuse('payload_not_raw', `the request body was already read (req.json() or req.text() ran first). ${RAW_BODY_FIX}`)
  }
  const declared = Number(request.headers.get('content-length') ?? '0')
  if (Number.isFinite(declared)) checkSize(declared, maxBytes)
  const body = new Uint8Array(await request.arrayBuffer())
  checkSize(body.length, maxBytes)
  return body
}

/** Reads a Node request's raw body, or takes the one a raw-body parser left in `req.body`. */
export async function readNodeBody(request: NodeRequestLike, maxBytes: number): Promise<string | Uint8Array<ArrayBuffer>> {
  if (request.body !== undefined) {
    if (typeof request.body === 'string' || request.body instanceof Uint8Array) return rawBody(request.body)
    throw refuse('payload_not_raw', `req.body is a parsed object: a JSON or form parser ran before the verifier. ${RAW_BODY_FIX}`)
  }
  if (request.readableEnded === true) {
    throw refuse('payload_not_raw', `the request stream was already read and no raw body was kept. ${RAW_BODY_FIX}`)
  }
  const chunks: Uint8Array[] = []
  let size = 0
  const encoder = new TextEncoder()
  for await (const chunk of request) {
    const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk
    size += bytes.length
    checkSize(size, maxBytes)
    chunks.push(bytes)
  }
  const body = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    body.set(chunk, offset)
    offset += chunk.length
  }
  return body
}

const decoder = /* @__PURE__ */ new TextDecoder()

/** The body as text for parsing; a leading byte-order mark is dropped, as JSON parsers expect. */
export function bodyText(body: string | Uint8Array): string {
  if (typeof body !== 'string') return decoder.decode(body)
  return body.charCodeAt(0) === 0xfeff ? body.slice(1) : body
}

/**
 * JSON.parse that drops `__proto__` keys and `constructor` keys holding a `prototype`, at any depth,
 * so code that later merges the event into another object cannot pollute Object.prototype. The
 * reviver (slower) runs only when the text could hold such a key: both spell `proto`, unless a `\u`
 * escape spells them, so two scans of the text decide it (this runs on every verify).
 */
export function parseJson(text: string): unknown {
  if (!text.includes('proto') && !text.includes('\\u')) return JSON.parse(text)
  return JSON.parse(text, function (key, value: unknown) {
    if (key === '__proto__') return undefined
    if (key === 'constructor' && typeof value === 'object' && value !== null && Object.hasOwn(value, 'prototype')) return undefined
    return value
  })
}
