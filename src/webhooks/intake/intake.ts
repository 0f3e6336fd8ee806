/**
 * `webhookIntake`: verify → begin (lease) → the user's handler → complete, or release on a throw →
 * the HTTP answer senders expect. For Fetch `Request`s and for node:http / Express. Imported only by
 * those who call it, so verifier-only bundles never carry it.
 */
import { type Check, boolean, check, fn, record, seconds } from '../../core/checks.js'
import { ConfigError, WebhookVerificationError } from '../../core/errors.js'
import type { WebhookEventOf } from '../events.js'
import { type HeadersInput, readHeader } from '../headers.js'
import type { NodeRequestLike, RawPayload, RequestLike } from '../payload.js'
import type { BeginOutcome, DeliveryStore } from '../replay.js'
import type { WebhookVerifier } from '../verifier.js'

/** Stale-event hold-back: the newest version per resource is kept in the store; an older one is acknowledged and skipped. */
export interface IntakeOrdering<Event> {
  /** The resource an event updates (e.g. the subscription id); `undefined` leaves the event unordered. */
  key(event: Event): string | undefined
  /** The event's version for its resource: any finite number that grows with each update (a sequence, `updated_at` in ms). */
  version(event: Event): number
  /**
   * How long a resource's newest version is remembered, in seconds.
   * @default 604800 (7 days)
   */
  ttl?: number
}

/** Options of {@link webhookIntake}. */
export interface IntakeOptions<Event> {
  /** Where delivery leases live: `MemoryReplayStore` for one process, `RedisReplayStore` across processes. */
  store: DeliveryStore
  /** Your code for one verified delivery. Runs at most once per delivery id while it is remembered; a throw releases the lease (answer 500, the sender retries). */
  handler: (event: Event) => unknown
  /**
   * How long a delivery's lease lives, in seconds: longer than your slowest handler. A process that dies
   * mid-handler frees the delivery after it, and the sender's next retry runs the handler.
   * @default 60
   */
  lease?: number
  /**
   * How long a handled delivery id is remembered (duplicates answered 200 and not handled), in seconds.
   * @default 259200 (3 days: longer than the retry schedules of Svix, Stripe, GitHub, Slack and Shopify)
   */
  ttl?: number
  /**
   * Holds back stale events: `{ key(event), version(event) }`. An event older than the newest one the
   * handler already got for its resource is acknowledged (200) as `stale` and not handed over.
   * @default undefined (no ordering)
   */
  ordering?: IntakeOrdering<Event>
  /**
   * When the store cannot be reached: `false` answers 503 (the sender retries later) and runs nothing;
   * `true` runs the handler without protection (a duplicate may then be handled twice).
   * @default false
   */
  failOpen?: boolean
  /**
   * The `Retry-After` sent with 409 (another process holds the lease) and 503 (store unreachable), in seconds.
   * @default 5
   */
  retryAfter?: number
}

/**
 * How one delivery ended, and the status it is answered with: `handled` 200, `duplicate` 200 (already
 * handled: senders stop retrying on a 2xx), `stale` 200 (ordering), `in_progress` 409 (another process
 * holds the lease; retry later), `refused` 400 (verification failed), `unavailable` 503 (store
 * unreachable), `failed` 500 (your handler threw; the lease is released for the retry).
 */
export type IntakeOutcome = 'handled' | 'duplicate' | 'stale' | 'in_progress' | 'refused' | 'unavailable' | 'failed'

/** What {@link WebhookIntake.handle} reports for one delivery. */
export interface IntakeResult<Event> {
  /** How the delivery ended. */
  readonly outcome: IntakeOutcome
  /** The HTTP status to answer with. */
  readonly status: 200 | 400 | 409 | 500 | 503
  /** The key the delivery was leased under: its id, or the fallback (`sig:` + the signature header) for deliveries without one. */
  readonly key?: string | undefined
  /** The verified event, once verification passed. */
  readonly event?: Event | undefined
  /** `refused`: the WebhookVerificationError; `unavailable`: the `store_unavailable` one; `failed`: your handler's own error, untouched. */
  readonly error?: unknown
  /** `handled`: false when it ran unprotected (`failOpen`), or the store could not record it as done (a retry may run it again). */
  readonly recorded?: boolean
}

/** A node:http / Express response, as far as the intake writes it. */
export interface NodeResponseLike {
  /** The status the answer is sent with. */
  statusCode: number
  /** Sets one response header. */
  setHeader(name: string, value: string): unknown
  /** Sends the body and ends the response. */
  end(body?: string): unknown
}

/**
 * A receiver that handles each delivery once across processes. Build it with {@link webhookIntake}.
 */
export interface WebhookIntake<Event> {
  /**
   * Runs one delivery from its raw body and headers, and reports how it ended.
   *
   * @example
   * const { status } = await intake.handle(rawBody, headers)
   */
  handle(body: RawPayload, headers: HeadersInput): Promise<IntakeResult<Event>>
  /**
   * The handler for a Fetch `Request` (Next.js route handlers, Hono's `c.req.raw`, Workers, Deno, Bun).
   *
   * @example
   * export const POST = (request: Request) => intake.fetch(request)
   */
  fetch(request: RequestLike): Promise<Response>
  /**
   * The handler for node:http and Express (the raw body stream, or the Buffer `express.raw()` left in `req.body`).
   *
   * @example
   * http.createServer((req, res) => intake.node(req, res))
   */
  node(request: NodeRequestLike, response: NodeResponseLike): Promise<IntakeResult<Event>>
}

const positiveSeconds = (fallback: number): Check<number> =>
  check<number>((value) => typeof value === 'number' && Number.isFinite(value) && value > 0, 'a number of seconds, more than 0', fallback)

const isDeliveryStore = (value: unknown): value is DeliveryStore => {
  const store = value as Partial<DeliveryStore> | null
  return typeof store?.begin === 'function' && typeof store.complete === 'function' && typeof store.release === 'function'
}

/** The option check of {@link webhookIntake}; walked by the option-path test. */
export const INTAKE_OPTIONS = /* @__PURE__ */ record({
  store: /* @__PURE__ */ check<DeliveryStore>(isDeliveryStore, 'a DeliveryStore (MemoryReplayStore or RedisReplayStore: begin, complete, release)'),
  handler: /* @__PURE__ */ fn<(event: unknown) => unknown>('a function that handles one event'),
  lease: /* @__PURE__ */ positiveSeconds(60),
  ttl: /* @__PURE__ */ positiveSeconds(259_200),
  ordering: /* @__PURE__ */ record({
    key: /* @__PURE__ */ fn<((event: unknown) => string | undefined) | undefined>('a function returning the resource key'),
    version: /* @__PURE__ */ fn<((event: unknown) => number) | undefined>('a function returning the version number'),
    ttl: /* @__PURE__ */ positiveSeconds(604_800),
  }),
  failOpen: /* @__PURE__ */ boolean(false),
  retryAfter: /* @__PURE__ */ seconds(5),
})

/** The signature header of each scheme, in the order looked up: the fallback key of a delivery that carries no id. */
const SIGNATURE_HEADERS = ['webhook-signature', 'stripe-signature', 'x-hub-signature-256', 'x-slack-signature', 'x-shopify-hmac-sha256']

/**
 * Builds the receiver that users otherwise hand-write around a verifier: verify → begin (a lease on the
 * delivery id) → `handler` → complete, or release when it throws → the HTTP answer (see
 * {@link IntakeOutcome}). The delivery id is the scheme's (Standard Webhooks `webhook-id`, Stripe's
 * event `id`, GitHub's `x-github-delivery`, Slack's `event_id`, Shopify's `x-shopify-webhook-id`); a
 * delivery with none (Slack slash commands and interactivity) is keyed by its signature header, which
 * is unique per signed delivery. Give the verifier no `replay` option: the intake's store does that job.
 *
 * @example
 * const intake = webhookIntake(standardWebhooks({ secret }), {
 *   store: new RedisReplayStore(redis),
 *   handler: async (event) => { await fulfil(event.payload) },
 * })
 * export const POST = (request: Request) => intake.fetch(request)
 */
export function webhookIntake<Events extends object, Event = WebhookEventOf<Events>>(
  verifier: WebhookVerifier<Events>,
  options: IntakeOptions<Event>,
): WebhookIntake<Event> {
  if (typeof (verifier as Partial<WebhookVerifier<Events>> | null)?.verify !== 'function') throw new ConfigError('verifier', 'must be a webhook verifier (standardWebhooks, stripeWebhooks, …)')
  const settings = INTAKE_OPTIONS(options ?? null, '')
  const { store, handler, failOpen, retryAfter } = settings
  const leaseMs = settings.lease * 1000
  const doneMs = settings.ttl * 1000
  const ordering = settings.ordering
  if ((ordering.key === undefined) !== (ordering.version === undefined)) {
    throw new ConfigError(ordering.key === undefined ? 'ordering.key' : 'ordering.version', 'is required when ordering is set')
  }
  const orderTtlMs = ordering.ttl * 1000
  // Lease tokens: this intake's random prefix (`crypto.randomUUID` is global in Node 20+, Deno, Bun,
  // Workers and browsers) and a counter. perf: docs/performance.md#webhooks-lease-tokens
  const tokens = `${globalThis.crypto.randomUUID()}:`
  let issued = 0

  async function run(verified: Promise<unknown>, headers: HeadersInput): Promise<IntakeResult<Event>> {
    let event: Event
    try {
      event = (await verified) as Event
    } catch (error) {
      if (error instanceof WebhookVerificationError) return { outcome: 'refused', status: 400, error }
      throw error
    }
    const id = (event as { id?: unknown }).id
    const key = typeof id === 'string' && id !== '' ? id : fallbackKey(headers)
    let order: { resource: string; version: number; ttlMs: number } | undefined
    if (ordering.key) {
      const resource = ordering.key(event)
      if (resource !== undefined) {
        const version = ordering.version!(event)
        if (typeof version !== 'number' || !Number.isFinite(version)) throw new ConfigError('ordering.version', `must return a finite number, got ${typeof version}`)
        order = { resource, version, ttlMs: orderTtlMs }
      }
    }
    const lease = tokens + ++issued
    let outcome: BeginOutcome
    try {
      outcome = await store.begin(key, { token: lease, leaseMs, order })
    } catch (error) {
      if (!failOpen) return { outcome: 'unavailable', status: 503, key, event, error }
      await handler(event)
      return { outcome: 'handled', status: 200, key, event, recorded: false }
    }
    if (outcome === 'done') return { outcome: 'duplicate', status: 200, key, event }
    if (outcome === 'stale') return { outcome: 'stale', status: 200, key, event }
    if (outcome === 'processing') return { outcome: 'in_progress', status: 409, key, event }
    try {
      await handler(event)
    } catch (error) {
      // The lease goes back so the sender's retry runs the handler; if the store is gone, the lease expires instead.
      await Promise.resolve(store.release(key, lease)).catch(() => undefined)
      return { outcome: 'failed', status: 500, key, event, error }
    }
    try {
      await store.complete(key, lease, doneMs)
    } catch {
      // The handler ran under the lease; answering 200 stops the sender from retrying work already done.
      return { outcome: 'handled', status: 200, key, event, recorded: false }
    }
    return { outcome: 'handled', status: 200, key, event, recorded: true }
  }

  const answerHeaders = (result: IntakeResult<Event>): Record<string, string> => {
    const headers: Record<string, string> = { 'content-type': 'application/json' }
    if (result.status === 409 || result.status === 503) headers['retry-after'] = String(Math.ceil(retryAfter))
    return headers
  }
  // The body says how it ended, never why in detail: messages stay in logs, not in the sender's dashboard.
  const answerBody = (result: IntakeResult<Event>): string => JSON.stringify({ outcome: result.outcome })

  return Object.freeze({
    handle: (body: RawPayload, headers: HeadersInput) => run(verifier.verify(body, headers), headers),
    async fetch(request: RequestLike) {
      const result = await run(verifier.verifyRequest(request), request.headers as HeadersInput)
      return new Response(answerBody(result), { status: result.status, headers: answerHeaders(result) })
    },
    async node(request: NodeRequestLike, response: NodeResponseLike) {
      const result = await run(verifier.verifyNodeRequest(request), request.headers as HeadersInput)
      response.statusCode = result.status
      for (const [name, value] of Object.entries(answerHeaders(result))) response.setHeader(name, value)
      response.end(answerBody(result))
      return result
    },
  })
}

/** The key of a delivery without an id: its signature header, unique per signed delivery. */
function fallbackKey(headers: HeadersInput): string {
  for (const name of SIGNATURE_HEADERS) {
    const value = readHeader(headers, name)
    if (value !== undefined) return `sig:${value}`
  }
  // Verification passed, so the scheme read a signature header; reaching here means a scheme this list lacks.
  throw new ConfigError('verifier', 'the delivery has no id and no known signature header to key it by')
}
