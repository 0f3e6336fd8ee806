/**
 * The lean Standard Webhooks verifier: v1 (HMAC-SHA256) only, one `verify`, nothing else, for a small
 * browser or edge bundle (bench/size-targets.ts holds its guard). It shares the pure parts with
 * `standardWebhooks`: the body text, the pollution-safe JSON parse and both HMAC backends. It keeps
 * its own compact option checks, header reading, backend pick and refusal messages, and none of the
 * multi-scheme pipeline, Ed25519, signing, Request and stream readers or schemas, which a user of
 * this verifier never calls.
 *
 * The rules are those of `standardWebhooks` (test/webhooks/lean-differential.test.ts checks both
 * refuse each bad delivery with the same reason); the messages are shorter.
 */
import { ConfigError, WebhookVerificationError, type WebhookFailureReason } from '../core/errors.js'
import { fastDecodeBase64, loadNodeCrypto } from '#node-crypto'
import type { CryptoPreference, HmacKey, WebhookCryptoBackend } from './crypto/backend.js'
import { webHmac } from './crypto/web.js'
import type { EventMap, WebhookEventOf } from './events.js'
import type { HeadersInput } from './headers.js'
import type { ReplayOptions, Tolerance } from './options.js'
import { type RawPayload, bodyText, parseJson } from './payload.js'
import type { ReplayStore } from './replay.js'
import { MIN_STANDARD_SECRET_BYTES } from './signing-keys.js'
import type { WebhookSecret } from './verifier.js'

/** Options of {@link standardWebhooksV1Lite}: the v1 subset of `standardWebhooks`' options, with the same defaults. */
export interface StandardWebhooksV1LiteOptions {
  /** A `whsec_…` secret (or raw key bytes), or several during a rotation. Ed25519 (`whpk_`/`whsk_`) keys need `standardWebhooks`. */
  secret: WebhookSecret | readonly WebhookSecret[]
  /**
   * Allowed distance between the signed timestamp and now, in seconds; a number sets both directions.
   * @default { past: 300, future: 300 }
   */
  tolerance?: number | Tolerance
  /**
   * The clock, in milliseconds since the epoch. Inject one in tests.
   * @default Date.now
   */
  now?: () => number
  /**
   * Rejects a second delivery of one `webhook-id` as `replayed`. A store, or `{ store, ttl }`.
   * @default undefined (no replay check)
   */
  replay?: ReplayStore | ReplayOptions
  /**
   * `'auto'` uses node:crypto where the runtime has it and Web Crypto elsewhere; `'web'` forces Web Crypto.
   * @default 'auto'
   */
  crypto?: CryptoPreference
}

/** What {@link standardWebhooksV1Lite} returns. */
export interface StandardWebhooksV1Lite<Events extends object = EventMap> {
  /**
   * Checks the headers, the timestamp, the v1 signature and the replay store (in that order, as
   * `standardWebhooks` does), then parses the JSON body. Refusals are `WebhookVerificationError`s with
   * the same reasons. `payload` is the raw body: a string, bytes or an ArrayBuffer.
   *
   * @example
   * const event = await webhooks.verify(await request.text(), request.headers)
   */
  verify(payload: RawPayload, headers: HeadersInput): Promise<WebhookEventOf<Events>>
  /**
   * The crypto this verifier runs on, `'node'` or `'web'`; resolved at first use (the first verify or
   * the first read of this property). Reading it makes no key.
   */
  readonly backend: WebhookCryptoBackend
}

/**
 * Every refusal: the reason, and a message naming what failed (`webhook-id: malformed header`). The
 * messages are terse to keep this bundle small; `standardWebhooks` explains more.
 */
const fail = (reason: WebhookFailureReason, subject: string): never => {
  throw new WebhookVerificationError(reason, `${subject}: ${reason.replaceAll('_', ' ')}`)
}

/** A bad option, or a `crypto` preference this runtime cannot meet (`'node'` in a browser). */
const invalid = (field: string, problem: string): never => {
  throw new ConfigError(field, problem)
}

const seconds = (value: unknown, field: string): number =>
  typeof value === 'number' && value >= 0 && value < Infinity ? value : invalid(field, 'must be a number of seconds, 0 or more')

/** `given`, once every key is one of `known`: a misspelt option is an error, not an option ignored. */
function only<T extends object>(given: T, known: string[]): T {
  for (const key in given) if (!known.includes(key)) invalid(key, 'is not an option')
  return given
}

/**
 * Canonical padded base64 → bytes, or undefined. The round trip is the strictness: `btoa` spells each
 * byte string one way only, so whitespace, missing padding and non-zero trailing bits all fail it (a
 * lenient decoder is how truncated signatures got through elsewhere, CVE-2024-21491). Where
 * `#node-crypto` lends the table decoder, that is used instead: as strict, and faster there.
 */
function decode(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (fastDecodeBase64) return fastDecodeBase64(text)
  try {
    const binary = atob(text)
    if (btoa(binary) !== text) return
    const bytes = new Uint8Array(binary.length)
    for (let i = 0; i < bytes.length; i++) bytes[i] = binary.charCodeAt(i)
    return bytes
  } catch {
    // atob refuses characters outside the alphabet.
  }
}

/**
 * One header's value, or undefined, from a Headers, anything with `get`, or a plain object with names
 * in any case. Refuses one sent twice (an array, or two spellings of the name), one that is not text,
 * and one over 8 KB, so hostile headers stay cheap.
 */
function header(headers: HeadersInput, name: string): string | undefined {
  const record = headers as Record<string, unknown>
  let value: unknown
  if (typeof record.get === 'function') value = (headers as Headers).get(name)
  else {
    // Our names are lowercase and none is on Object.prototype, so the direct lookup is safe (and, on
    // Node's lowercase headers, the only one). Two other spellings count as a header sent twice.
    value = record[name]
    if (value === undefined) {
      const keys = Object.keys(record).filter((key) => key.toLowerCase() === name)
      value = keys[1] ? keys : record[keys[0]!]
    }
  }
  if (Array.isArray(value)) value = value.length > 1 ? fail('malformed_header', name) : value[0]
  if (value != null) return typeof value === 'string' && value.length < 8193 ? value : fail('malformed_header', name)
}

/**
 * A header that must be there and not be empty; with `limit`, of at most that many characters, each
 * with a code from `low` to `high`.
 */
function required(headers: HeadersInput, name: string, limit = 0, low = 0, high = 0): string {
  const value = header(headers, name) || fail('missing_header', name)
  for (let i = 0; high && i < value.length; i++) {
    const code = value.charCodeAt(i)
    if (i === limit || code < low || code > high) fail('malformed_header', name)
  }
  return value
}

/**
 * A Standard Webhooks v1 verifier for browsers and edge runtimes where bundle size matters: the same
 * checks as `standardWebhooks(…).verify` for HMAC (`whsec_`) secrets, at a fraction of the bundle. Use
 * `standardWebhooks` for Ed25519, signing, schemas, `verifySync`, `verifyRaw` or reading a Request.
 * Secrets are checked now (`invalid_secret`); keys are made at first use and kept. A bad option is a
 * ConfigError naming it.
 *
 * @example
 * const webhooks = standardWebhooksV1Lite({ secret: env.WEBHOOK_SECRET })
 * export default { fetch: async (req: Request) => Response.json(await webhooks.verify(await req.text(), req.headers)) }
 */
export function standardWebhooksV1Lite<Events extends object = EventMap>(options: StandardWebhooksV1LiteOptions): StandardWebhooksV1Lite<Events> {
  // Compact checks, not the kit's records (src/core/checks.ts), which would cost this bundle more
  // than its size guard allows. perf: docs/performance.md#webhooks-lean-option-checks
  if (typeof options !== 'object' || !options) invalid('options', 'must be an object with a secret')
  const { secret, tolerance = 300, now = Date.now, replay, crypto: preference = 'auto' } = only(options, ['secret', 'tolerance', 'now', 'replay', 'crypto'])
  const window = typeof tolerance === 'object' && tolerance ? tolerance : { past: tolerance, future: tolerance }
  const past = seconds(window.past ?? 300, 'tolerance')
  const future = seconds(window.future ?? 300, 'tolerance')
  const store = (replay as ReplayOptions | undefined)?.store ?? (replay as ReplayStore | undefined)
  const ttl = (replay as ReplayOptions | undefined)?.ttl ?? Math.max(past + future, 1)
  if (typeof now !== 'function') invalid('now', 'must be a function returning epoch milliseconds')
  if (replay !== undefined && !(typeof store?.claim === 'function' && seconds(ttl, 'replay.ttl') > 0)) {
    invalid('replay', 'must be a ReplayStore or { store, ttl }')
  }
  if (!['auto', 'node', 'web'].includes(preference)) invalid('crypto', "must be 'auto', 'node' or 'web'")

  const secrets = ([] as unknown[]).concat(secret).map((value) => {
    const revealed: unknown = typeof (value as { reveal?: unknown })?.reveal === 'function' ? (value as { reveal(): unknown }).reveal() : value
    // Ed25519 keys (whpk_, whsk_) are for standardWebhooks.
    const bytes =
      revealed instanceof Uint8Array
        ? new Uint8Array(revealed)
        : typeof revealed === 'string' && !['whpk_', 'whsk_'].includes(revealed.slice(0, 5))
          ? decode(revealed.startsWith('whsec_') ? revealed.slice(6) : revealed)
          : undefined
    return bytes && bytes.length >= MIN_STANDARD_SECRET_BYTES ? bytes : fail('invalid_secret', 'secret')
  })
  if (!secrets[0]) fail('invalid_secret', 'secret')

  let backend: WebhookCryptoBackend | undefined
  let keys: HmacKey[] | undefined
  // The choice resolveBackend makes (crypto/backend.ts), written small for this bundle.
  const resolve = (): WebhookCryptoBackend =>
    (backend ??=
      preference !== 'web' && loadNodeCrypto()
        ? 'node'
        : preference !== 'node' && globalThis.crypto?.subtle
          ? 'web'
          : invalid('crypto', `no ${preference === 'node' ? 'node:crypto' : 'Web Crypto'} in this runtime`))

  async function verify(payload: RawPayload, headers: HeadersInput): Promise<WebhookEventOf<Events>> {
    const view = payload as Partial<ArrayBufferView>
    const body: string | Uint8Array<ArrayBuffer> =
      typeof payload === 'string'
        ? payload
        : payload instanceof ArrayBuffer || ArrayBuffer.isView(payload)
          ? new Uint8Array((view.buffer ?? payload) as ArrayBuffer, view.byteOffset, view.byteLength)
          : fail('payload_not_raw', 'payload (not the raw body)')
    if (typeof headers !== 'object' || !headers) fail('missing_header', 'headers')
    // svix sends the same scheme under its own names; one set is read, never a mix of both. The names
    // are written out: a name built per call would be a new string to hash on every lookup.
    const own = header(headers, 'webhook-signature')
    const svix = own === undefined
    const signatureName = svix ? 'svix-signature' : 'webhook-signature'
    const signatures = own ?? header(headers, 'svix-signature')
    // Neither header: the refusal names the standard's.
    const list = (signatures || fail('missing_header', signatures === undefined ? 'webhook-signature' : signatureName)).split(' ')
    const id = required(headers, svix ? 'svix-id' : 'webhook-id', 256, 33, 126)
    const time = required(headers, svix ? 'svix-timestamp' : 'webhook-timestamp', 12, 48, 57)
    // At most 20 entries, more than any rotation needs: the bound keeps a hostile header cheap.
    if (list.length > 20 || list.includes('')) fail('malformed_header', signatureName)
    const hmac: Uint8Array<ArrayBuffer>[] = []
    let known = 0
    for (const entry of list) {
      const comma = entry.indexOf(',')
      const version = entry.slice(0, comma)
      // Other versions are skipped: the spec lets senders add schemes a receiver does not know yet.
      const size = comma < 1 ? fail('malformed_header', signatureName) : version === 'v1' ? 32 : version === 'v1a' ? 64 : 0
      if (size) {
        const bytes = decode(entry.slice(comma + 1))
        if (bytes?.length !== size) fail('malformed_header', signatureName)
        if (size < 64) hmac.push(bytes!)
        known++
      }
    }
    if (!known) fail('malformed_header', signatureName)
    const timestamp = Number(time)
    const current = Math.floor(now() / 1000)
    if (current - timestamp > past) fail('timestamp_too_old', 'timestamp')
    if (timestamp - current > future) fail('timestamp_in_future', 'timestamp')

    keys ??= secrets.map((key) => (resolve() === 'node' ? loadNodeCrypto()!.hmac(key) : webHmac(globalThis.crypto.subtle, key)))
    let valid: boolean | undefined
    // A header with only v1a entries has nothing for an HMAC key to check.
    for (const key of hmac[0] ? keys : []) {
      // node:crypto answers at once; only Web Crypto's promise is awaited.
      const result = valid || key.verify(`${id}.${time}.`, body, hmac)
      valid = result === true || (result !== false && (await result))
    }
    if (!valid) fail('no_matching_signature', signatureName)

    const text = bodyText(body)
    let parsed: unknown
    try {
      parsed = text ? parseJson(text) : undefined
    } catch {
      fail('invalid_payload', 'body')
    }
    if (store && !(await store.claim(id, ttl))) fail('replayed', 'id')
    const type = Object.hasOwn(Object(parsed), 'type') && (parsed as { type: unknown }).type
    return Object.freeze({ type: typeof type === 'string' ? type : '', id, timestamp, payload: parsed }) as WebhookEventOf<Events>
  }

  return Object.freeze({
    get backend() {
      return resolve()
    },
    verify,
  })
}
