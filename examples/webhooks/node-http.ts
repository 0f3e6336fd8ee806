/**
 * A webhook receiver on plain node:http (Express, Fastify and Koa sit on the same IncomingMessage).
 *
 * Raw body: `verifyNodeRequest(req)` reads the request stream itself, so no body parser may run
 * first. Replay: a MemoryReplayStore turns a second delivery of one message id into `replayed`,
 * which is answered 200 so the sender stops retrying, without running the handler again.
 *
 * Run: npx esbuild examples/webhooks/node-http.ts --bundle --platform=node --format=esm --outfile=/tmp/receiver.mjs
 *      WEBHOOK_SECRET=whsec_… npx node /tmp/receiver.mjs
 * (in your app, import from '@wirekit/sdk/webhooks').
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http'
import { MemoryReplayStore, WebhookVerificationError, standardWebhooks } from '@wirekit/sdk/webhooks'

/** What this app receives. */
export interface AppEvents {
  'note.created': { type: 'note.created'; data: { id: string; text: string } }
  'note.deleted': { type: 'note.deleted'; data: { id: string } }
}

/** Builds the receiver; `handle` is your code, run at most once per delivery. */
export function createWebhookServer(secret: string, handle: (event: { type: string; id: string | undefined; payload: unknown }) => Promise<void>): Server {
  const webhooks = standardWebhooks<AppEvents>({ secret, replay: new MemoryReplayStore() })

  return createServer(async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST' || req.url !== '/webhooks') return void res.writeHead(404).end()
    let event
    try {
      event = await webhooks.verifyNodeRequest(req)
    } catch (error) {
      if (error instanceof WebhookVerificationError && error.reason === 'replayed') return void res.writeHead(200).end('already processed')
      if (error instanceof WebhookVerificationError) return void res.writeHead(400).end(error.reason)
      throw error
    }
    try {
      await handle(event)
      res.writeHead(204).end()
    } catch {
      // Let the sender's retry through: forget the id, answer 5xx.
      await webhooks.release(event.id)
      res.writeHead(500).end()
    }
  })
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const server = createWebhookServer(process.env.WEBHOOK_SECRET ?? '', async (event) => {
    console.log('received', event.type, event.id)
  })
  server.listen(Number(process.env.PORT ?? 3000), () => console.log('listening on', server.address()))
}
