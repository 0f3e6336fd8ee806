/**
 * An edge function (Vercel Edge, Netlify Edge, Deno Deploy, a Worker) receiving Standard Webhooks with
 * the lean verifier: `standardWebhooksV1Lite` checks v1 (`whsec_`) deliveries with the same rules and
 * refusal reasons as `standardWebhooks`, in a fraction of the bundle. It takes the body as text or
 * bytes, so read the Request once with `request.text()`.
 *
 * In your function, import from '@wirekit/sdk/webhooks'.
 */
import { MemoryReplayStore, WebhookVerificationError, standardWebhooksV1Lite } from '@wirekit/sdk/webhooks'

interface Events {
  'order.shipped': { type: 'order.shipped'; data: { orderId: string } }
}

/** Orders seen, for the example's test. */
export const shippedOrders: string[] = []

/**
 * Builds the handler once per isolate, so the key is imported once, not per request. A
 * MemoryReplayStore only sees one isolate's deliveries; use a shared store (KV, Redis) in production.
 */
export function edgeHandler(secret: string): (request: Request) => Promise<Response> {
  const webhooks = standardWebhooksV1Lite<Events>({ secret, replay: new MemoryReplayStore() })
  return async (request) => {
    try {
      const event = await webhooks.verify(await request.text(), request.headers)
      if (event.type === 'order.shipped') shippedOrders.push(event.payload.data.orderId)
      return new Response(null, { status: 204, headers: { 'x-webhook-crypto': webhooks.backend } })
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error
      return new Response(error.reason, { status: error.reason === 'replayed' ? 200 : 400 })
    }
  }
}
