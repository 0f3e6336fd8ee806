/**
 * An Express route. The one thing to get right: the webhook route must see the raw bytes, so mount
 * `express.raw()` on it (before, or instead of, `express.json()`), and hand `req.body` (a Buffer) over.
 *
 *   import express from 'express'
 *   const app = express()
 *   app.post('/webhooks', express.raw({ type: '*\/*' }), webhookRoute)
 *   app.use(express.json()) // for every other route, after the webhook route
 *
 * If `express.json()` ran first, `req.body` is a parsed object and wirekit answers `payload_not_raw`
 * with this fix in the message. The types below are the slice of Express this file uses, so it
 * typechecks without installing express (in your app: `import type { Request, Response } from 'express'`,
 * and import from '@wirekit/sdk/webhooks').
 */
import { MemoryReplayStore, WebhookVerificationError, standardWebhooks } from '@wirekit/sdk/webhooks'

interface ExpressRequest {
  body: unknown
  headers: Record<string, string | string[] | undefined>
}
interface ExpressResponse {
  status(code: number): { send(body?: string): unknown }
}

const webhooks = standardWebhooks({
  secret: process.env.WEBHOOK_SECRET ?? 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  replay: new MemoryReplayStore(),
})

/** Your handler; runs at most once per delivery id. */
export const processed: Array<{ type: string; id: string | undefined }> = []

/** The route handler: verify, de-duplicate, process, answer. */
export async function webhookRoute(req: ExpressRequest, res: ExpressResponse): Promise<void> {
  let event
  try {
    // verifySync would do too: it is synchronous on Node when the replay store is (MemoryReplayStore).
    event = await webhooks.verify(req.body as Buffer, req.headers)
  } catch (error) {
    if (error instanceof WebhookVerificationError) {
      res.status(error.reason === 'replayed' ? 200 : 400).send(error.reason)
      return
    }
    throw error
  }
  try {
    processed.push({ type: event.type, id: event.id })
    res.status(204).send()
  } catch (error) {
    await webhooks.release(event.id)
    throw error
  }
}
