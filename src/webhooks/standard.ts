/**
 * Standard Webhooks (standardwebhooks.com): `webhook-id`, `webhook-timestamp` and `webhook-signature`
 * headers (or their `svix-` twins), signed content `{id}.{timestamp}.{body}`, a space-separated list of
 * `v1,<base64 HMAC-SHA256>` and `v1a,<base64 Ed25519>` signatures.
 */
import { ConfigError } from '../core/errors.js'
import { encodeBase64 } from './encoding.js'
import type { EventMap } from './events.js'
import { deliveryId } from './fields.js'
import type { Scheme } from './scheme.js'
import { standardSecret } from './secrets.js'
import { readStandardHeaders } from './standard-headers.js'
import { type VerifierOptions, type WebhookVerifier, createVerifier } from './verifier.js'

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
