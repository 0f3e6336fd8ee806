/**
 * Standard Webhooks (standardwebhooks.com), all of it but the lean verifier: the `webhook-id`,
 * `webhook-timestamp` and `webhook-signature` headers (or their `svix-` twins), read strictly; signed
 * content `{id}.{timestamp}.{body}`; a space-separated list of `v1,<base64 HMAC-SHA256>` and
 * `v1a,<base64 Ed25519>` signatures; and `standardWebhooks`, the verifier and signer.
 */
import { ConfigError } from '../core/errors.js'
import { decodeBase64, encodeBase64 } from './encoding.js'
import { refuse } from './errors.js'
import type { EventMap } from './events.js'
import { deliveryId, unixSeconds } from './fields.js'
import { type HeadersInput, readHeader, readRecord, requireHeader, required } from './headers.js'
import type { Scheme, SignedParts } from './scheme.js'
import { standardSecret } from './signing-keys.js'
import { type VerifierOptions, type WebhookVerifier, createVerifier } from './verifier.js'

/** More entries than any rotation needs; the bound keeps hostile headers cheap. */
const MAX_SIGNATURES = 20

/**
 * The standard's header names, and the `svix-` twins svix sends; a delivery is read under one set,
 * never a mix. Spelled out once: a name built per call (`${prefix}id`) is a new string that every
 * header lookup would first have to flatten and intern.
 */
export const WEBHOOK = { id: 'webhook-id', timestamp: 'webhook-timestamp', signature: 'webhook-signature' } as const
export const SVIX = { id: 'svix-id', timestamp: 'svix-timestamp', signature: 'svix-signature' } as const

/** `v1,` and the base64 of 32 bytes. */
const V1_ENTRY = 47
const V1_MESSAGE = 'a v1 signature must be the base64 of exactly 32 bytes'

const NONE: readonly Uint8Array<ArrayBuffer>[] = /* @__PURE__ */ Object.freeze([])

/** Reads and strictly parses the signature headers; throws `missing_header` / `malformed_header`. */
function readStandardHeaders(headers: HeadersInput): SignedParts {
  const record = headers as Readonly<Record<string, unknown>>
  // A plain object (Node's IncomingHttpHeaders) is read by named loads. perf: docs/performance.md#webhooks-named-header-loads
  const plain = typeof record.get !== 'function'
  const own = plain ? readRecord(record, WEBHOOK.signature, record['webhook-signature']) : readHeader(headers, WEBHOOK.signature)
  const names = own !== undefined ? WEBHOOK : SVIX
  const signatureHeader = own ?? readHeader(headers, SVIX.signature)
  // Neither came: the refusal names the standard's header.
  if (!signatureHeader) throw refuse('missing_header', signatureHeader === undefined ? `the ${WEBHOOK.signature} header is missing (${SVIX.signature} is accepted too)` : `the ${names.signature} header is missing`)
  const fast = plain && names === WEBHOOK
  const id = deliveryId(fast ? required(readRecord(record, WEBHOOK.id, record['webhook-id']), WEBHOOK.id) : requireHeader(headers, names.id), names.id)
  const timestampText = fast ? required(readRecord(record, WEBHOOK.timestamp, record['webhook-timestamp']), WEBHOOK.timestamp) : requireHeader(headers, names.timestamp)
  const timestamp = unixSeconds(timestampText, names.timestamp)
  // One v1 entry and nothing else, decoded without searching the header; the walk below would refuse
  // exactly what this refuses, with the same message. perf: docs/performance.md#webhooks-single-v1-entry
  if (signatureHeader.length === V1_ENTRY && signatureHeader.charCodeAt(0) === 0x76 && signatureHeader.charCodeAt(1) === 0x31 && signatureHeader.charCodeAt(2) === 0x2c) {
    const bytes = decodeBase64(signatureHeader, 32, 3, V1_ENTRY)
    if (!bytes) throw refuse('malformed_header', V1_MESSAGE)
    return { id, timestamp, prefix: `${id}.${timestampText}.`, hmac: [bytes], ed25519: NONE, fallbackId: id }
  }
  const hmac: Uint8Array<ArrayBuffer>[] = []
  // Made only when a v1a entry turns up: most deliveries carry none, and this runs on every call.
  let ed25519: Uint8Array<ArrayBuffer>[] | undefined
  // Walks the space-separated list by index and decodes each signature in place, to bytes.
  // perf: docs/performance.md#webhooks-decoded-signatures
  let count = 0
  for (let start = 0; start <= signatureHeader.length; count++) {
    if (count === MAX_SIGNATURES) throw refuse('malformed_header', `the ${names.signature} header lists more than ${MAX_SIGNATURES} signatures`)
    const space = signatureHeader.indexOf(' ', start)
    const end = space < 0 ? signatureHeader.length : space
    const comma = signatureHeader.indexOf(',', start)
    if (comma <= start || comma >= end) throw refuse('malformed_header', `each ${names.signature} entry must be <version>,<signature>`)
    const version = versionAt(signatureHeader, start, comma)
    if (version === 1) {
      const bytes = decodeBase64(signatureHeader, 32, comma + 1, end)
      if (!bytes) throw refuse('malformed_header', V1_MESSAGE)
      hmac.push(bytes)
    } else if (version === 2) {
      const bytes = decodeBase64(signatureHeader, 64, comma + 1, end)
      if (!bytes) throw refuse('malformed_header', 'a v1a signature must be the base64 of exactly 64 bytes')
      ed25519 ??= []
      ed25519.push(bytes)
    }
    // Other versions are skipped: the spec lets senders add schemes a receiver does not know yet.
    start = end + 1
  }
  if (hmac.length === 0 && ed25519 === undefined) throw refuse('malformed_header', `the ${names.signature} header holds no v1 or v1a signature`)
  return { id, timestamp, prefix: `${id}.${timestampText}.`, hmac, ed25519: ed25519 ?? NONE, fallbackId: id }
}

/** 1 for `v1`, 2 for `v1a`, 0 for any other version text in `text[start, end)`. */
function versionAt(text: string, start: number, end: number): number {
  if (text.charCodeAt(start) !== 0x76 || text.charCodeAt(start + 1) !== 0x31) return 0 // 'v', '1'
  if (end - start === 2) return 1
  return end - start === 3 && text.charCodeAt(start + 2) === 0x61 ? 2 : 0 // 'a'
}

const standard: Scheme = {
  name: 'Standard Webhooks',
  timestamped: true,
  secret: standardSecret,
  read: readStandardHeaders,
  async sign(body, options, tools) {
    const id = options.id ?? `msg_${globalThis.crypto.randomUUID().replaceAll('-', '')}`
    deliveryId(id, 'id')
    const timestamp = options.timestamp ?? tools.now()
    if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new ConfigError('timestamp', 'must be whole seconds since the epoch')
    const prefix = `${id}.${timestamp}.`
    const signatures = [
      ...(await tools.hmac(prefix, body)).map((mac) => `v1,${encodeBase64(mac)}`),
      ...(await tools.ed25519(prefix, body)).map((signature) => `v1a,${encodeBase64(signature)}`),
    ]
    if (signatures.length === 0) throw new ConfigError('secret', 'no configured key can sign: whpk_ public keys only verify')
    return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signatures.join(' ') }
  },
}

/**
 * A verifier (and signer) for Standard Webhooks, the scheme svix and many services send.
 * Secrets: `whsec_…` (HMAC, v1), `whpk_…` (Ed25519 public key, v1a) or `whsk_…` (Ed25519 private key,
 * signs v1a and verifies it). Several secrets verify during a rotation; all of them sign.
 *
 * @example
 * const webhooks = standardWebhooks<{ 'invoice.paid': { type: 'invoice.paid'; data: { id: string } } }>({
 *   secret: process.env.WEBHOOK_SECRET!,
 *   replay: new MemoryReplayStore(),
 * })
 * const event = await webhooks.verify(rawBody, headers)
 */
export function standardWebhooks<Events extends object = EventMap>(options: VerifierOptions<Events>): WebhookVerifier<Events> {
  return createVerifier(standard, options)
}
