/**
 * A Cloudflare Worker receiving Stripe webhooks. Workers hand over a Fetch Request with the raw body;
 * wirekit uses Web Crypto there (node:crypto with nodejs_compat), importing the key once per isolate.
 *
 * Replay protection across isolates needs shared state: this store keeps accepted event ids in a KV
 * namespace. KV is eventually consistent, so two deliveries of one event landing in different
 * locations within about a minute can both pass; where that matters, back the store with a Durable
 * Object (its storage is strongly consistent) instead.
 *
 * In your worker, import from '@wirekit/sdk/webhooks'. `KVNamespace` below is the slice of the Workers type used.
 */
import { type ReplayStore, WebhookVerificationError, type WebhookVerifier, stripeWebhooks } from '@wirekit/sdk/webhooks'

interface KVNamespace {
  get(key: string): Promise<string | null>
  put(key: string, value: string, options?: { expirationTtl?: number }): Promise<void>
  delete(key: string): Promise<void>
}

export interface Env {
  STRIPE_WEBHOOK_SECRET: string
  WEBHOOK_IDS: KVNamespace
}

/** A ReplayStore on KV. KV's minimum TTL is 60 s. */
export function kvReplayStore(kv: KVNamespace): ReplayStore {
  return {
    async claim(id, ttlSeconds) {
      if ((await kv.get(`webhook:${id}`)) !== null) return false
      await kv.put(`webhook:${id}`, '1', { expirationTtl: Math.max(60, Math.ceil(ttlSeconds)) })
      return true
    },
    release: (id) => kv.delete(`webhook:${id}`),
  }
}

let verifier: { env: Env; webhooks: WebhookVerifier } | undefined

/** One verifier per isolate (env is fixed for its life), so the CryptoKey is imported once, not per request. */
function webhooksFor(env: Env): WebhookVerifier {
  if (verifier?.env !== env) verifier = { env, webhooks: stripeWebhooks({ secret: env.STRIPE_WEBHOOK_SECRET, replay: kvReplayStore(env.WEBHOOK_IDS) }) }
  return verifier.webhooks
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    if (request.method !== 'POST') return new Response('method not allowed', { status: 405 })
    const webhooks = webhooksFor(env)
    try {
      const event = await webhooks.verifyRequest(request)
      return Response.json({ received: event.type, id: event.id })
    } catch (error) {
      if (error instanceof WebhookVerificationError) return new Response(error.reason, { status: error.reason === 'replayed' ? 200 : 400 })
      throw error
    }
  },
}
