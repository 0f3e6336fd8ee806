/** Internal: the one verifier every scheme shares: input, timestamp, signatures, parsing, schemas, replay. */
import { ConfigError } from '../core/errors.js'
import { type StandardSchemaResult, type StandardSchemaV1, formatIssuePath } from '../core/schema.js'
import type { Secret } from '../core/secret.js'
import { type CryptoBackend, type CryptoPreference, type Ed25519Key, type HmacKey, type WebhookCryptoBackend, cryptoBackend } from './crypto/backend.js'
import { joinMessage } from './encoding.js'
import { refuse } from './errors.js'
import type { EventMap, EventSchemas, VerifiedDelivery, WebhookEventOf } from './events.js'
import { type HeadersInput, checkHeaders } from './headers.js'
import {
  type NodeRequestLike,
  type RawPayload,
  type RequestLike,
  bodyText,
  isRequestLike,
  parseJson,
  rawBody,
  readNodeBody,
  readRequestBody,
} from './payload.js'
import { type ReplayOptions, type Tolerance, VERIFIER_OPTIONS } from './options.js'
import type { ReplayStore } from './replay.js'
import type { Scheme, SecretKey, SignOptions, SignedParts } from './scheme.js'
import { revealSecrets } from './signing-keys.js'
import { checkTimestamp } from './timestamp.js'

export type { ReplayOptions, Tolerance } from './options.js'

/** A secret as you hold it: the provider's string, raw key bytes, or a wirekit `Secret`. */
export type WebhookSecret = string | Uint8Array | Secret

/** Options every verifier takes. */
export interface VerifierOptions<Events extends object = EventMap> {
  /** The secret, or several during a rotation: a delivery signed by any one of them is accepted. */
  secret: WebhookSecret | readonly WebhookSecret[]
  /**
   * Allowed distance between the signed timestamp and now, in seconds; a number sets both directions.
   * Ignored by schemes that sign no timestamp (GitHub, Shopify).
   * @default { past: 300, future: 300 }
   */
  tolerance?: number | Tolerance
  /**
   * The clock, in milliseconds since the epoch. Inject one in tests.
   * @default Date.now
   */
  now?: () => number
  /**
   * Rejects a second delivery of one id as `replayed`. A store, or `{ store, ttl }`.
   * @default undefined (no replay check)
   */
  replay?: ReplayStore | ReplayOptions
  /**
   * A Standard Schema per event type, checked against the parsed `payload` after the signature; a mismatch is `invalid_payload`.
   * @default undefined
   */
  schemas?: EventSchemas<Events>
  /**
   * What to do with an event type that has no schema in `schemas`: `'reject'` refuses it as `invalid_payload`.
   * @default 'accept'
   */
  unknownEvents?: 'accept' | 'reject'
  /**
   * `'auto'` uses node:crypto where the runtime has it and Web Crypto elsewhere; `'web'` forces Web Crypto.
   * @default 'auto'
   */
  crypto?: CryptoPreference
  /**
   * The largest body read from a Request or a Node stream, in bytes; larger is `payload_too_large`.
   * @default 26214400 (25 MiB, GitHub's cap)
   */
  maxBodyBytes?: number
}

/**
 * Verifies (and, for tests and senders, signs) webhook deliveries of one scheme. Every refusal is a
 * `WebhookVerificationError` with a `reason`.
 */
export interface WebhookVerifier<Events extends object = EventMap> {
  /**
   * Checks the signature, timestamp and replay, then parses the JSON body and runs its schema.
   * `payload` is the raw body (string, Buffer, Uint8Array, ArrayBuffer) or a Fetch Request, whose
   * headers are used when `headers` is left out.
   *
   * @example
   * const event = await webhooks.verify(rawBody, req.headers)
   */
  verify(payload: RawPayload | RequestLike, headers?: HeadersInput): Promise<WebhookEventOf<Events>>
  /**
   * {@link WebhookVerifier.verify} without the promise, for synchronous handlers and the last bit of
   * speed on Node (like stripe's `constructEvent`). Needs node:crypto, schemas that validate
   * synchronously and a replay store whose `claim` answers synchronously (MemoryReplayStore does);
   * otherwise it throws a ConfigError before anything is claimed. The payload cannot be a Request.
   *
   * @example
   * const event = webhooks.verifySync(req.body, req.headers)
   */
  verifySync(payload: RawPayload, headers: HeadersInput): WebhookEventOf<Events>
  /**
   * Like {@link WebhookVerifier.verify} but returns the body unparsed (for non-JSON bodies).
   *
   * @example
   * const { body } = await webhooks.verifyRaw(buffer, headers)
   */
  verifyRaw(payload: RawPayload | RequestLike, headers?: HeadersInput): Promise<VerifiedDelivery>
  /**
   * Verifies a Fetch Request (Next.js route handlers, Hono's `c.req.raw`, Workers, Deno, Bun), reading its body once.
   *
   * @example
   * export async function POST(req: Request) { const event = await webhooks.verifyRequest(req) }
   */
  verifyRequest(request: RequestLike): Promise<WebhookEventOf<Events>>
  /**
   * Verifies a Node IncomingMessage: reads its raw body stream (or takes the Buffer `express.raw()` left in `req.body`).
   *
   * @example
   * http.createServer(async (req, res) => { const event = await webhooks.verifyNodeRequest(req) })
   */
  verifyNodeRequest(request: NodeRequestLike): Promise<WebhookEventOf<Events>>
  /**
   * Forgets a delivery id in the replay store, so the sender's retry is accepted; call it when your
   * handler failed on an event. Does nothing without a replay store or an id.
   *
   * @example
   * try { await handle(event) } catch (e) { await webhooks.release(event.id); throw e }
   */
  release(id: string | undefined): Promise<void>
  /**
   * The headers a sender attaches to `body`, signed with every configured key that can sign.
   *
   * @example
   * const headers = await webhooks.sign(JSON.stringify(event), { id: 'msg_1' })
   */
  sign(body: string | Uint8Array, options?: SignOptions): Promise<Record<string, string>>
  /**
   * The crypto this verifier runs on: `'node'` (node:crypto: `createHmac` + `timingSafeEqual`) or
   * `'web'` (Web Crypto: `subtle.verify`). Resolved at first use — the first verify or sign, or the
   * first read of this property — from the `crypto` option and the runtime; reading it makes no key.
   *
   * @example
   * webhooks.backend // 'node' on Node, Deno and Bun; 'web' in browsers and Workers
   */
  readonly backend: WebhookCryptoBackend
}

interface PreparedKeys {
  readonly hmac: HmacKey[]
  readonly ed25519: Ed25519Key[]
  readonly signers: Ed25519Key[]
}

const INSPECT = Symbol.for('nodejs.util.inspect.custom')

/** Builds a verifier for `scheme`. Secrets are checked now (`invalid_secret`); crypto keys are made at first use. */
export function createVerifier<Events extends object>(scheme: Scheme, options: VerifierOptions<Events>): WebhookVerifier<Events> {
  // Absent options are refused like any other non-object: a verifier needs at least a secret.
  const settings = VERIFIER_OPTIONS(options ?? null, '')
  const secrets: SecretKey[] = revealSecrets(settings.secret, scheme.secret)
  const { tolerance: { past, future }, now = Date.now, replay: { store, ttl }, unknownEvents, crypto: preference, maxBodyBytes } = settings
  const replayTtl = ttl ?? (scheme.timestamped ? Math.max(past + future, 1) : 86_400)
  // Undefined when there are none, so the common path skips the lookup.
  const schemas: Readonly<Record<string, StandardSchemaV1 | undefined>> | undefined = Object.keys(settings.schemas).length > 0 ? settings.schemas : undefined
  const rejectUnknown = unknownEvents === 'reject'

  let backend: CryptoBackend | undefined
  let keys: PreparedKeys | undefined
  function prepared(): PreparedKeys {
    if (keys) return keys
    backend ??= cryptoBackend(preference)
    const hmac: HmacKey[] = []
    const ed25519: Ed25519Key[] = []
    const signers: Ed25519Key[] = []
    for (const secret of secrets) {
      if (secret.kind === 'hmac') hmac.push(backend.hmac(secret.bytes))
      else if (secret.kind === 'ed25519-public') ed25519.push(backend.ed25519Public(secret.bytes))
      else {
        const key = backend.ed25519Private(secret.seed)
        ed25519.push(key)
        signers.push(key)
      }
    }
    return (keys = { hmac, ed25519, signers })
  }

  const nowSeconds = (): number => Math.floor(now() / 1000)

  /**
   * Headers, timestamp, then signatures. Synchronous whenever the backend is (node:crypto), so the
   * common path costs one promise in all; Web Crypto continues asynchronously.
   */
  function check(body: string | Uint8Array<ArrayBuffer>, headers: unknown): SignedParts | Promise<SignedParts> {
    const parts = scheme.read(checkHeaders(headers))
    if (parts.timestamp !== undefined) checkTimestamp(parts.timestamp, now(), past, future)
    return checkFrom(parts, body, 0, 0)
  }

  /**
   * Tries HMAC keys from `h`, then Ed25519 keys from `e`. Stays synchronous while the backend answers
   * synchronously (node:crypto) and continues on the promise the first time one does not.
   */
  function checkFrom(parts: SignedParts, body: string | Uint8Array<ArrayBuffer>, h: number, e: number): SignedParts | Promise<SignedParts> {
    const { hmac, ed25519 } = prepared()
    if (parts.hmac.length > 0) {
      for (let i = h; i < hmac.length; i++) {
        const result = hmac[i]!.verify(parts.prefix, body, parts.hmac)
        if (result === true) return parts
        if (result !== false) return result.then((ok) => (ok ? parts : checkFrom(parts, body, i + 1, e)))
      }
    }
    if (parts.ed25519.length > 0 && ed25519.length > 0) {
      const message = joinMessage(parts.prefix, body)
      for (let i = e; i < ed25519.length; i++) {
        const result = ed25519[i]!.verify(message, parts.ed25519)
        if (result === true) return parts
        if (result !== false) return result.then((ok) => (ok ? parts : checkFrom(parts, body, hmac.length, i + 1)))
      }
    }
    throw refuse('no_matching_signature', `no ${scheme.name} signature matches the body under the configured secret(s)`)
  }

  function claim(id: string, sync = false): void | Promise<void> {
    if (!store) return
    const first = store.claim(id, replayTtl)
    if (first === true) return
    if (first === false) throw refuse('replayed', 'this delivery id was already accepted')
    const settled = Promise.resolve(first).then((ok) => {
      if (!ok) throw refuse('replayed', 'this delivery id was already accepted')
    })
    if (!sync) return settled
    // The claim is in flight and the caller cannot wait for it: give the id back once it lands.
    settled.then(
      () => store.release?.(id),
      () => undefined,
    )
    throw new ConfigError('replay', 'verifySync needs a replay store whose claim answers synchronously (MemoryReplayStore); use verify()')
  }

  function toEvent(parts: SignedParts, body: string | Uint8Array<ArrayBuffer>, sync = false): WebhookEventOf<Events> | Promise<WebhookEventOf<Events>> {
    const text = bodyText(body)
    let payload: unknown
    if (text !== '') {
      try {
        payload = scheme.parseBody ? scheme.parseBody(text) : parseJson(text)
      } catch {
        throw refuse('invalid_payload', `the signature is valid but the body is not ${scheme.parseBody ? 'readable' : 'JSON'}; use verifyRaw for other bodies`)
      }
    }
    let type = parts.type
    if (type === undefined && typeof payload === 'object' && payload !== null && Object.hasOwn(payload, 'type')) {
      const field = (payload as { type: unknown }).type
      if (typeof field === 'string') type = field
    }
    const eventType = type ?? ''
    const schema = schemas && Object.hasOwn(schemas, eventType) ? schemas[eventType] : undefined
    if (!schema && rejectUnknown) {
      throw refuse('invalid_payload', `no schema is configured for the event type ${JSON.stringify(eventType.slice(0, 100))}`)
    }
    // No closure is made on the common path (no schema): `finish` is shared by every call.
    if (!schema) return finish(parts, eventType, payload, sync)
    const checked = (result: StandardSchemaResult<unknown>) => {
      if (result.issues) {
        const where = result.issues.slice(0, 5).map((issue) => `${formatIssuePath(issue)}: ${issue.message}`).join('; ')
        throw refuse('invalid_payload', `the ${eventType} event does not match its schema (${where})`)
      }
      return finish(parts, eventType, result.value, sync)
    }
    const result = schema['~standard'].validate(payload)
    if (!(result instanceof Promise)) return checked(result)
    if (sync) {
      result.catch(() => undefined)
      throw new ConfigError('schemas', `verifySync got an asynchronous schema for ${JSON.stringify(eventType.slice(0, 100))}; use verify()`)
    }
    return result.then(checked)
  }

  /** The frozen event, once its replay claim (if any) is settled. */
  function finish(parts: SignedParts, type: string, payload: unknown, sync: boolean): WebhookEventOf<Events> | Promise<WebhookEventOf<Events>> {
    const id = parts.id ?? scheme.idFromPayload?.(payload)
    const event = Object.freeze({ type, id, timestamp: parts.timestamp, payload }) as WebhookEventOf<Events>
    const claimed = claim(id ?? parts.fallbackId, sync)
    return claimed ? claimed.then(() => event) : event
  }

  function toDelivery(parts: SignedParts, body: string | Uint8Array<ArrayBuffer>): VerifiedDelivery | Promise<VerifiedDelivery> {
    const delivery = Object.freeze({ id: parts.id, timestamp: parts.timestamp, body })
    const claimed = claim(parts.id ?? parts.fallbackId)
    return claimed ? claimed.then(() => delivery) : delivery
  }

  /** Runs the pipeline on a body; always answers with a promise, never throws synchronously. */
  function run<T>(body: string | Uint8Array<ArrayBuffer>, headers: unknown, then: (parts: SignedParts, body: string | Uint8Array<ArrayBuffer>) => T | Promise<T>): Promise<T> {
    try {
      const parts = check(body, headers)
      return parts instanceof Promise ? parts.then((p) => then(p, body)) : Promise.resolve(then(parts, body))
    } catch (error) {
      return Promise.reject(error)
    }
  }

  function start<T>(payload: unknown, headers: unknown, then: (parts: SignedParts, body: string | Uint8Array<ArrayBuffer>) => T | Promise<T>): Promise<T> {
    if (isRequestLike(payload)) return readRequestBody(payload, maxBodyBytes).then((body) => run(body, headers ?? payload.headers, then))
    try {
      return run(rawBody(payload), headers, then)
    } catch (error) {
      return Promise.reject(error)
    }
  }

  const verifier: WebhookVerifier<Events> = {
    get backend() {
      return (backend ??= cryptoBackend(preference)).name
    },
    verify: (payload, headers) => start(payload, headers, toEvent),
    verifySync(payload, headers) {
      const body = rawBody(payload)
      if ((backend ??= cryptoBackend(preference)).name !== 'node') {
        throw new ConfigError('crypto', 'verifySync needs node:crypto; Web Crypto is asynchronous, use verify()')
      }
      const parts = check(body, headers)
      // The node backend answers synchronously, so this cannot happen; if it ever did, say so loudly.
      if (parts instanceof Promise) {
        parts.catch(() => undefined)
        throw new ConfigError('crypto', 'verifySync got an asynchronous signature check; use verify()')
      }
      const event = toEvent(parts, body, true)
      if (event instanceof Promise) throw new ConfigError('schemas', 'verifySync got an asynchronous schema; use verify()')
      return event
    },
    verifyRaw: (payload, headers) => start(payload, headers, toDelivery),
    async verifyRequest(request) {
      if (!isRequestLike(request)) throw refuse('payload_not_raw', 'verifyRequest takes a Fetch Request')
      return run(await readRequestBody(request, maxBodyBytes), request.headers, toEvent)
    },
    async verifyNodeRequest(request) {
      if (typeof request !== 'object' || request === null || typeof request[Symbol.asyncIterator] !== 'function') {
        throw refuse('payload_not_raw', 'verifyNodeRequest takes a Node IncomingMessage (a readable request stream)')
      }
      return run(await readNodeBody(request, maxBodyBytes), request.headers, toEvent)
    },
    async release(id) {
      if (store && id !== undefined) await store.release?.(id)
    },
    async sign(body, signOptions = {}) {
      const raw = rawBody(body)
      const { hmac, signers } = prepared()
      return scheme.sign(raw, signOptions, {
        hmac: async (prefix, content) => Promise.all(hmac.map((key) => key.sign(prefix, content))),
        ed25519: async (prefix, content) => {
          const message = joinMessage(prefix, content)
          return Promise.all(signers.map((key) => key.sign!(message)))
        },
        now: nowSeconds,
      })
    },
  }
  const description = `${scheme.name} verifier (${secrets.length} secret${secrets.length === 1 ? '' : 's'})`
  Object.defineProperties(verifier, {
    toString: { value: () => description },
    toJSON: { value: () => ({ scheme: scheme.name, secrets: secrets.length }) },
    [INSPECT]: { value: () => description },
  })
  return Object.freeze(verifier)
}
