/**
 * Standard Webhooks (standardwebhooks.com): `webhook-id`, `webhook-timestamp` and `webhook-signature`
 * headers (or their `svix-` twins), signed content `{id}.{timestamp}.{body}`, a space-separated list of
 * `v1,<base64 HMAC-SHA256>` and `v1a,<base64 Ed25519>` signatures.
 */
import { ConfigError } from '../core/errors.js'
import { decodeBase64, encodeBase64 } from './encoding.js'
import { refuse } from './errors.js'
import type { EventMap } from './events.js'
import { deliveryId, unixSeconds } from './fields.js'
import { readHeader, requireHeader } from './headers.js'
import type { Scheme } from './scheme.js'
import { standardSecret } from './secrets.js'
import { type VerifierOptions, type WebhookVerifier, createVerifier } from './verifier.js'

/** More entries than any rotation needs; the bound keeps hostile headers cheap. */
const MAX_SIGNATURES = 20

const standard: Scheme = {
  name: 'Standard Webhooks',
  timestamped: true,
  secret: standardSecret,
  read(headers) {
    // svix sends the same scheme under its own header names; one set is read, never a mix of both.
    const own = readHeader(headers, 'webhook-signature')
    const prefix = own !== undefined ? 'webhook-' : 'svix-'
    const signatureHeader = own || requireHeader(headers, `${prefix}signature`)
    const id = deliveryId(requireHeader(headers, `${prefix}id`), `${prefix}id`)
    const timestampText = requireHeader(headers, `${prefix}timestamp`)
    const timestamp = unixSeconds(timestampText, `${prefix}timestamp`)
    const hmac: Uint8Array<ArrayBuffer>[] = []
    const ed25519: Uint8Array<ArrayBuffer>[] = []
    // Walks the space-separated list by index (no intermediate array): the list is usually one entry.
    let count = 0
    for (let start = 0; start <= signatureHeader.length; count++) {
      if (count === MAX_SIGNATURES) throw refuse('malformed_header', `the ${prefix}signature header lists more than ${MAX_SIGNATURES} signatures`)
      const space = signatureHeader.indexOf(' ', start)
      const end = space < 0 ? signatureHeader.length : space
      const comma = signatureHeader.indexOf(',', start)
      if (comma <= start || comma >= end) throw refuse('malformed_header', `each ${prefix}signature entry must be <version>,<signature>`)
      const version = signatureHeader.slice(start, comma)
      if (version === 'v1') {
        const bytes = decodeBase64(signatureHeader.slice(comma + 1, end), 32)
        if (!bytes) throw refuse('malformed_header', 'a v1 signature must be the base64 of exactly 32 bytes')
        hmac.push(bytes)
      } else if (version === 'v1a') {
        const bytes = decodeBase64(signatureHeader.slice(comma + 1, end), 64)
        if (!bytes) throw refuse('malformed_header', 'a v1a signature must be the base64 of exactly 64 bytes')
        ed25519.push(bytes)
      }
      // Other versions are skipped: the spec lets senders add schemes a receiver does not know yet.
      start = end + 1
    }
    if (hmac.length === 0 && ed25519.length === 0) throw refuse('malformed_header', `the ${prefix}signature header holds no v1 or v1a signature`)
    return { id, timestamp, prefix: `${id}.${timestampText}.`, hmac, ed25519, fallbackId: id }
  },
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
