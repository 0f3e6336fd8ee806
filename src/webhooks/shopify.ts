/**
 * Shopify: `X-Shopify-Hmac-Sha256: <base64>` of the body alone, keyed with the app's client secret.
 * No timestamp is signed; `X-Shopify-Webhook-Id` is the replay key.
 */
import { decodeBase64, encodeBase64 } from './encoding.js'
import { refuse } from './errors.js'
import type { EventMap } from './events.js'
import { deliveryId } from './fields.js'
import { readHeader, requireHeader } from './headers.js'
import type { Scheme } from './scheme.js'
import { presetSecret } from './signing-keys.js'
import { type VerifierOptions, type WebhookVerifier, createVerifier } from './verifier.js'

const shopify: Scheme = {
  name: 'Shopify',
  timestamped: false,
  secret: presetSecret,
  read(headers) {
    const header = requireHeader(headers, 'x-shopify-hmac-sha256')
    const mac = decodeBase64(header, 32)
    if (!mac) throw refuse('malformed_header', 'the x-shopify-hmac-sha256 header must be the base64 of exactly 32 bytes')
    const id = readHeader(headers, 'x-shopify-webhook-id')
    return {
      id: id ? deliveryId(id, 'x-shopify-webhook-id') : undefined,
      prefix: '',
      hmac: [mac],
      ed25519: [],
      type: readHeader(headers, 'x-shopify-topic'),
      fallbackId: header,
    }
  },
  async sign(body, options, tools) {
    const [mac] = await tools.hmac('', body)
    const headers: Record<string, string> = { 'x-shopify-hmac-sha256': encodeBase64(mac!) }
    if (options.id !== undefined) headers['x-shopify-webhook-id'] = options.id
    if (options.type !== undefined) headers['x-shopify-topic'] = options.type
    return headers
  },
}

/**
 * A verifier for Shopify webhooks; the event type comes from `X-Shopify-Topic`.
 *
 * @example
 * const webhooks = shopifyWebhooks({ secret: process.env.SHOPIFY_CLIENT_SECRET!, replay: new MemoryReplayStore() })
 * const event = await webhooks.verifyRequest(request)
 */
export function shopifyWebhooks<Events extends object = EventMap>(options: VerifierOptions<Events>): WebhookVerifier<Events> {
  return createVerifier(shopify, options)
}
