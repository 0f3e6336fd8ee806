/**
 * Internal: reading the Standard Webhooks headers — `webhook-id`, `webhook-timestamp` and
 * `webhook-signature` (or their `svix-` twins) — strictly, into the parts the verifier checks. Shared
 * by `standardWebhooks` and the lean `createStandardVerifier`.
 */
import { decodeBase64 } from './encoding.js'
import { refuse } from './errors.js'
import { deliveryId, unixSeconds } from './fields.js'
import { type HeadersInput, readHeader, readRecord, requireHeader, required } from './headers.js'
import type { SignedParts } from './scheme.js'

/** More entries than any rotation needs; the bound keeps hostile headers cheap. */
const MAX_SIGNATURES = 20

/**
 * One header family's names, spelled out once: a name built per call (`${prefix}id`) is a new string
 * that every header lookup would first have to flatten and intern.
 */
const WEBHOOK = { id: 'webhook-id', timestamp: 'webhook-timestamp', signature: 'webhook-signature' } as const
const SVIX = { id: 'svix-id', timestamp: 'svix-timestamp', signature: 'svix-signature' } as const

/** `v1,` and the base64 of 32 bytes. */
const V1_ENTRY = 47
const V1_MESSAGE = 'a v1 signature must be the base64 of exactly 32 bytes'

const NONE: readonly Uint8Array<ArrayBuffer>[] = /* @__PURE__ */ Object.freeze([])

/** Reads and strictly parses the signature headers; throws `missing_header` / `malformed_header`. */
export function readStandardHeaders(headers: HeadersInput): SignedParts {
  const record = headers as Readonly<Record<string, unknown>>
  // A plain object (Node's IncomingHttpHeaders) is read by named loads where the name is known; see readRecord.
  const plain = typeof record.get !== 'function'
  // svix sends the same scheme under its own header names; one set is read, never a mix of both.
  const own = plain ? readRecord(record, WEBHOOK.signature, record['webhook-signature']) : readHeader(headers, WEBHOOK.signature)
  const names = own !== undefined ? WEBHOOK : SVIX
  const signatureHeader = own || requireHeader(headers, names.signature)
  const fast = plain && names === WEBHOOK
  const id = deliveryId(fast ? required(readRecord(record, WEBHOOK.id, record['webhook-id']), WEBHOOK.id) : requireHeader(headers, names.id), names.id)
  const timestampText = fast ? required(readRecord(record, WEBHOOK.timestamp, record['webhook-timestamp']), WEBHOOK.timestamp) : requireHeader(headers, names.timestamp)
  const timestamp = unixSeconds(timestampText, names.timestamp)
  // Nearly every delivery carries one v1 entry and nothing else: `v1,` and the 44 characters of 32
  // bytes in base64. It is decoded without searching the header; the general walk below would refuse
  // exactly what this refuses (a space or comma inside fails the decode either way), with the same message.
  if (signatureHeader.length === V1_ENTRY && signatureHeader.charCodeAt(0) === 0x76 && signatureHeader.charCodeAt(1) === 0x31 && signatureHeader.charCodeAt(2) === 0x2c) {
    const bytes = decodeBase64(signatureHeader, 32, 3, V1_ENTRY)
    if (!bytes) throw refuse('malformed_header', V1_MESSAGE)
    return { id, timestamp, prefix: `${id}.${timestampText}.`, hmac: [bytes], ed25519: NONE, fallbackId: id }
  }
  const hmac: Uint8Array<ArrayBuffer>[] = []
  // Made only when a v1a entry turns up: most deliveries carry none, and this runs on every call.
  let ed25519: Uint8Array<ArrayBuffer>[] | undefined
  // Walks the space-separated list by index, reading the version by character code and decoding each
  // signature in place: no substring or intermediate array per entry (the list is usually one entry).
  // Each signature is decoded to bytes before the comparison. Comparing the received base64 text
  // against the digest's encoding instead would be as safe (strict decoding makes text and bytes
  // one-to-one), but it needs two byte copies where decoding needs one, and the decode measured under
  // 1 % of a 1 KB verify.
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
