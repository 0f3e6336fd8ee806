/**
 * Stripe: `Stripe-Signature: t=<seconds>,v1=<hex>[,v1=<hex>…]`, HMAC-SHA256 over `{t}.{body}` keyed with
 * the whole `whsec_…` string. Unlike stripe-node, the timestamp is checked in both directions.
 */
import { ConfigError } from '../core/errors.js'
import { decodeHex, encodeHex } from './encoding.js'
import { refuse } from './errors.js'
import type { EventMap } from './events.js'
import { unixSeconds } from './fields.js'
import { requireHeader } from './headers.js'
import { type Scheme, stringField } from './scheme.js'
import { presetSecret } from './signing-keys.js'
import { type VerifierOptions, type WebhookVerifier, createVerifier } from './verifier.js'

const MAX_ITEMS = 32

const stripe: Scheme = {
  name: 'Stripe',
  timestamped: true,
  secret: presetSecret,
  read(headers) {
    const header = requireHeader(headers, 'stripe-signature')
    const items = header.split(',')
    if (items.length > MAX_ITEMS) throw refuse('malformed_header', `the stripe-signature header has more than ${MAX_ITEMS} items`)
    let timestampText: string | undefined
    const hmac: Uint8Array<ArrayBuffer>[] = []
    for (const item of items) {
      const equals = item.indexOf('=')
      if (equals <= 0) throw refuse('malformed_header', 'each stripe-signature item must be <key>=<value>')
      const key = item.slice(0, equals)
      const value = item.slice(equals + 1)
      if (key === 't') {
        if (timestampText !== undefined) throw refuse('malformed_header', 'the stripe-signature header has more than one t=')
        timestampText = value
      } else if (key === 'v1') {
        const bytes = decodeHex(value, 32)
        if (!bytes) throw refuse('malformed_header', 'a v1 signature must be 64 lowercase hex digits')
        hmac.push(bytes)
      }
      // v0 (test-mode legacy) and unknown keys are skipped, as Stripe documents.
    }
    if (timestampText === undefined) throw refuse('malformed_header', 'the stripe-signature header has no t=')
    const timestamp = unixSeconds(timestampText, 'stripe-signature t')
    if (hmac.length === 0) throw refuse('malformed_header', 'the stripe-signature header has no v1 signature')
    return { timestamp, prefix: `${timestampText}.`, hmac, ed25519: [], fallbackId: header }
  },
  idFromPayload: (payload) => stringField(payload, 'id'),
  async sign(body, options, tools) {
    const timestamp = options.timestamp ?? tools.now()
    if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new ConfigError('timestamp', 'must be whole seconds since the epoch')
    const macs = await tools.hmac(`${timestamp}.`, body)
    return { 'stripe-signature': [`t=${timestamp}`, ...macs.map((mac) => `v1=${encodeHex(mac)}`)].join(',') }
  },
}

/**
 * A verifier for Stripe webhooks; the secret is the endpoint's `whsec_…` signing secret. The event id
 * (`evt_…`) is the replay key, so a retried event is caught even with a new signature.
 *
 * @example
 * const webhooks = stripeWebhooks({ secret: process.env.STRIPE_WEBHOOK_SECRET! })
 * const event = await webhooks.verifyRequest(request)
 */
export function stripeWebhooks<Events extends object = EventMap>(options: VerifierOptions<Events>): WebhookVerifier<Events> {
  return createVerifier(stripe, options)
}
