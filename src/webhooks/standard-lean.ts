/**
 * The lean Standard Webhooks verifier: v1 (HMAC-SHA256) only, one `verify`, nothing else. It is built
 * from free functions — strict header parsing, the timestamp window, HMAC on node:crypto or Web Crypto,
 * pollution-safe JSON — so a browser or edge bundle that imports it leaves out everything it does not
 * call: signing, Ed25519, Request and Node-stream readers, schemas and the full verifier.
 */
import { ConfigError } from '../core/errors.js'
import type { HmacKey } from './crypto.js'
import { refuse } from './errors.js'
import type { EventMap, WebhookEventOf } from './events.js'
import { type HeadersInput, checkHeaders } from './headers.js'
import { nodeHmac } from './hmac-node.js'
import { webHmac } from './hmac-web.js'
import { type ReplayOptions, type Tolerance, checkCommonOptions, replayOptions } from './options.js'
import { type RawPayload, bodyText, parseJson, rawBody } from './payload.js'
import type { ReplayStore } from './replay.js'
import { type CryptoPreference, type WebhookCryptoBackend, findNodeCrypto, findSubtle, resolveBackend } from './runtime-crypto.js'
import type { SignedParts } from './scheme.js'
import { revealSecrets, standardHmacSecret } from './secrets.js'
import { readStandardHeaders } from './standard-headers.js'
import { checkTimestamp, toleranceWindow } from './timestamp.js'
import type { WebhookSecret } from './verifier.js'

const OPTION_NAMES = ['secret', 'tolerance', 'now', 'replay', 'crypto']

/** Options of {@link createStandardVerifier}: the v1 subset of `standardWebhooks`' options, with the same defaults. */
export interface StandardVerifierOptions {
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

/** What {@link createStandardVerifier} returns. */
export interface StandardVerifier<Events extends object = EventMap> {
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
 * A Standard Webhooks v1 verifier for browsers and edge runtimes where bundle size matters: the same
 * checks as `standardWebhooks(…).verify` for HMAC (`whsec_`) secrets, at a fraction of the bundle. Use
 * `standardWebhooks` for Ed25519, signing, schemas, `verifySync`, `verifyRaw` or reading a Request.
 * Secrets are checked now (`invalid_secret`); keys are made at first use and kept.
 *
 * @example
 * const webhooks = createStandardVerifier({ secret: env.WEBHOOK_SECRET })
 * export default { fetch: async (req: Request) => Response.json(await webhooks.verify(await req.text(), req.headers)) }
 */
export function createStandardVerifier<Events extends object = EventMap>(options: StandardVerifierOptions): StandardVerifier<Events> {
  if (typeof options !== 'object' || options === null) throw new ConfigError('options', 'must be an object with at least a secret')
  checkCommonOptions(options as unknown as Record<string, unknown>, OPTION_NAMES, '')
  const secrets = revealSecrets(options.secret, (value, label) => {
    if (typeof value === 'string' && (value.startsWith('whpk_') || value.startsWith('whsk_'))) {
      throw refuse('invalid_secret', `${label} is an Ed25519 key; createStandardVerifier checks v1 (HMAC) only, use standardWebhooks`)
    }
    return standardHmacSecret(value, label)
  })
  const { past, future } = toleranceWindow(options.tolerance)
  const now = options.now ?? Date.now
  const replay = replayOptions(options.replay)
  const replayTtl = replay?.ttl ?? Math.max(past + future, 1)
  const preference = options.crypto ?? 'auto'

  let backend: WebhookCryptoBackend | undefined
  let keys: HmacKey[] | undefined
  const resolve = (): WebhookCryptoBackend => (backend ??= resolveBackend(preference))
  const prepared = (): HmacKey[] =>
    (keys ??= secrets.map((secret) => (resolve() === 'node' ? nodeHmac(findNodeCrypto()!, secret) : webHmac(findSubtle(), secret))))

  /** Tries the keys from `i` on; synchronous while node:crypto answers, on the promise once Web Crypto does. */
  function match(parts: SignedParts, body: string | Uint8Array<ArrayBuffer>, i: number): WebhookEventOf<Events> | Promise<WebhookEventOf<Events>> {
    const list = prepared()
    // A header with only v1a entries has nothing for an HMAC key to check.
    for (; parts.hmac.length > 0 && i < list.length; i++) {
      const result = list[i]!.verify(parts.prefix, body, parts.hmac)
      if (result === true) return accept(parts, body)
      if (result !== false) {
        const next = i + 1
        return result.then((ok) => (ok ? accept(parts, body) : match(parts, body, next)))
      }
    }
    throw refuse('no_matching_signature', 'no Standard Webhooks signature matches the body under the configured secret(s)')
  }

  function accept(parts: SignedParts, body: string | Uint8Array<ArrayBuffer>): WebhookEventOf<Events> | Promise<WebhookEventOf<Events>> {
    const text = bodyText(body)
    let data: unknown
    if (text !== '') {
      try {
        data = parseJson(text)
      } catch {
        throw refuse('invalid_payload', 'the signature is valid but the body is not JSON')
      }
    }
    const type = typeof data === 'object' && data !== null && Object.hasOwn(data, 'type') ? (data as { type: unknown }).type : undefined
    const event = Object.freeze({ type: typeof type === 'string' ? type : '', id: parts.id, timestamp: parts.timestamp, data }) as WebhookEventOf<Events>
    if (!replay) return event
    const claimed = replay.store.claim(parts.id!, replayTtl)
    const settle = (ok: boolean): WebhookEventOf<Events> => {
      if (!ok) throw refuse('replayed', 'this delivery id was already accepted')
      return event
    }
    return typeof claimed === 'boolean' ? settle(claimed) : Promise.resolve(claimed).then(settle)
  }

  return Object.freeze({
    get backend() {
      return resolve()
    },
    verify(payload: RawPayload, headers: HeadersInput): Promise<WebhookEventOf<Events>> {
      try {
        const body = rawBody(payload)
        const parts = readStandardHeaders(checkHeaders(headers))
        checkTimestamp(parts.timestamp!, now(), past, future)
        return Promise.resolve(match(parts, body, 0))
      } catch (error) {
        return Promise.reject(error)
      }
    },
  })
}
