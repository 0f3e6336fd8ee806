/**
 * Slack: `X-Slack-Signature: v0=<hex>` over `v0:{X-Slack-Request-Timestamp}:{body}`. Event callbacks are
 * JSON; slash commands and interactivity are form-encoded, so both are parsed.
 */
import { ConfigError } from '../core/errors.js'
import { decodeHex, encodeHex } from './encoding.js'
import { refuse } from './errors.js'
import type { EventMap } from './events.js'
import { unixSeconds } from './fields.js'
import { requireHeader } from './headers.js'
import { parseJson } from './payload.js'
import { type Scheme, stringField } from './scheme.js'
import { presetSecret } from './signing-keys.js'
import { type VerifierOptions, type WebhookVerifier, createVerifier } from './verifier.js'

const slack: Scheme = {
  name: 'Slack',
  timestamped: true,
  secret: presetSecret,
  read(headers) {
    const header = requireHeader(headers, 'x-slack-signature')
    const timestampText = requireHeader(headers, 'x-slack-request-timestamp')
    const timestamp = unixSeconds(timestampText, 'x-slack-request-timestamp')
    if (!header.startsWith('v0=')) throw refuse('malformed_header', 'the x-slack-signature header must start with v0=')
    const mac = decodeHex(header.slice(3), 32)
    if (!mac) throw refuse('malformed_header', 'the x-slack-signature signature must be 64 lowercase hex digits')
    return { timestamp, prefix: `v0:${timestampText}:`, hmac: [mac], ed25519: [], fallbackId: header }
  },
  idFromPayload: (payload) => stringField(payload, 'event_id'),
  parseBody(text) {
    if (text.trimStart().startsWith('{')) return parseJson(text)
    // A form body: fields as strings, with the same keys dropped as in JSON.
    const fields: Record<string, string> = {}
    for (const [key, value] of new URLSearchParams(text)) {
      if (key !== '__proto__' && key !== 'constructor' && key !== 'prototype') fields[key] = value
    }
    return fields
  },
  async sign(body, options, tools) {
    const timestamp = options.timestamp ?? tools.now()
    if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new ConfigError('timestamp', 'must be whole seconds since the epoch')
    const [mac] = await tools.hmac(`v0:${timestamp}:`, body)
    return { 'x-slack-signature': `v0=${encodeHex(mac!)}`, 'x-slack-request-timestamp': String(timestamp) }
  },
}

/**
 * A verifier for Slack requests (Events API, slash commands, interactivity); the secret is the app's
 * Signing Secret. The Events API `event_id` is the replay key, so Slack's retries are caught.
 *
 * @example
 * const webhooks = slackWebhooks({ secret: process.env.SLACK_SIGNING_SECRET! })
 * const event = await webhooks.verifyRequest(request)
 */
export function slackWebhooks<Events extends object = EventMap>(options: VerifierOptions<Events>): WebhookVerifier<Events> {
  return createVerifier(slack, options)
}
