/**
 * A Next.js App Router route handler: app/api/webhooks/route.ts. Route handlers get a Fetch Request
 * whose body is untouched, so pass the Request itself (never `await req.json()` first: that parses the
 * body and the signature can no longer be checked). Replay protection here uses a memory store, which
 * is per server instance; on serverless, back the ReplayStore with Redis (see the README).
 *
 * In your app, import from '@wirekit/sdk/webhooks'.
 */
import { MemoryReplayStore, WebhookVerificationError, standardWebhooks } from '@wirekit/sdk/webhooks'

interface Events {
  'invoice.paid': { type: 'invoice.paid'; data: { invoiceId: string; amount: number } }
}

const webhooks = standardWebhooks<Events>({
  secret: process.env.WEBHOOK_SECRET ?? 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  replay: new MemoryReplayStore(),
})

/** Invoices this instance has marked paid (stands in for your database). */
export const paidInvoices: string[] = []

export async function POST(req: Request): Promise<Response> {
  try {
    const event = await webhooks.verifyRequest(req)
    if (event.type === 'invoice.paid') paidInvoices.push(event.payload.data.invoiceId)
    return new Response(null, { status: 204 })
  } catch (error) {
    if (error instanceof WebhookVerificationError) {
      return new Response(error.reason, { status: error.reason === 'replayed' ? 200 : 400 })
    }
    throw error
  }
}
