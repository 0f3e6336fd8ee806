/**
 * GitHub: `X-Hub-Signature-256: sha256=<hex>` over the body alone. Nothing time-bound is signed, so
 * replay protection rests on the `X-GitHub-Delivery` id — which is not signed either: it stops
 * redeliveries and double processing, not a determined attacker replaying a captured request.
 */
import { decodeHex, encodeHex } from './encoding.js'
import { refuse } from './errors.js'
import type { EventMap } from './events.js'
import { deliveryId } from './fields.js'
import { readHeader } from './headers.js'
import type { Scheme } from './scheme.js'
import { presetSecret } from './signing-keys.js'
import { type VerifierOptions, type WebhookVerifier, createVerifier } from './verifier.js'

const github: Scheme = {
  name: 'GitHub',
  timestamped: false,
  secret: presetSecret,
  read(headers) {
    const header = readHeader(headers, 'x-hub-signature-256')
    if (header === undefined || header === '') {
      throw refuse('missing_header', 'the x-hub-signature-256 header is missing (the SHA-1 x-hub-signature is not accepted)')
    }
    if (!header.startsWith('sha256=')) throw refuse('malformed_header', 'the x-hub-signature-256 header must start with sha256=')
    const mac = decodeHex(header.slice(7), 32)
    if (!mac) throw refuse('malformed_header', 'the x-hub-signature-256 signature must be 64 lowercase hex digits')
    const delivery = readHeader(headers, 'x-github-delivery')
    return {
      id: delivery ? deliveryId(delivery, 'x-github-delivery') : undefined,
      prefix: '',
      hmac: [mac],
      ed25519: [],
      type: readHeader(headers, 'x-github-event'),
      fallbackId: header,
    }
  },
  async sign(body, options, tools) {
    const [mac] = await tools.hmac('', body)
    const headers: Record<string, string> = { 'x-hub-signature-256': `sha256=${encodeHex(mac!)}` }
    if (options.id !== undefined) headers['x-github-delivery'] = options.id
    if (options.type !== undefined) headers['x-github-event'] = options.type
    return headers
  },
}

/**
 * A verifier for GitHub webhooks (`X-Hub-Signature-256`). The event type comes from `X-GitHub-Event`.
 * With several secrets, `sign` uses the first, as GitHub sends one signature.
 *
 * @example
 * const webhooks = githubWebhooks<{ push: PushEvent; issues: IssuesEvent }>({ secret: process.env.GITHUB_WEBHOOK_SECRET! })
 * const event = await webhooks.verifyNodeRequest(req)
 */
export function githubWebhooks<Events extends object = EventMap>(options: VerifierOptions<Events>): WebhookVerifier<Events> {
  return createVerifier(github, options)
}
