/**
 * A complete realtime backend in one file: Node's http server with a small REST handler, and the
 * wirekit.v1 server mounted on the same port at `/realtime`. `POST /orders` stores an order and
 * publishes it; clients subscribed to `orders:<user>` see it live and resume after any disconnect.
 *
 * Run it: `node examples/server/index.ts` (after `npm run build`), then point a client at
 * `baseUrl: 'http://127.0.0.1:<port>'` with the token `alice-token` or `bob-token`.
 * Several processes behind a load balancer: pass `engine: createRedisEngine({ client: new Redis(url) })`.
 */
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createRealtimeServer, refuse } from '@wirekit/sdk/server'

/** Tokens this example accepts, and whose they are. A real app checks its session store or a JWT. */
const USERS: Record<string, { id: string }> = { 'alice-token': { id: 'alice' }, 'bob-token': { id: 'bob' } }

/** Starts the example on 127.0.0.1 (`port` 0: a free one) and returns its URLs and a `close()`. */
export async function startExampleServer(port = 0) {
  const http = createServer((req, res) => void handle(req, res))
  await new Promise<void>((resolve) => http.listen(port, '127.0.0.1', resolve))

  const realtime = await createRealtimeServer<{ id: string }>({
    server: http,
    authenticate: (token) => USERS[token] ?? refuse('unauthorized'),
    // Each user reads and writes only their own channel.
    authorize: (user, _action, channel) => user !== undefined && channel === `orders:${user.id}`,
  })

  let nextOrder = 0
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const user = USERS[(req.headers.authorization ?? '').replace(/^Bearer /, '')]
    if (!user) return void res.writeHead(401).end()
    if (req.method === 'POST' && req.url === '/orders') {
      let body = ''
      for await (const chunk of req) body += chunk
      const order = { id: ++nextOrder, ...(JSON.parse(body || '{}') as object) }
      // The REST handler publishes: every subscriber of this user's channel gets it, in order.
      const position = await realtime.publish(`orders:${user.id}`, 'order.created', order)
      return void res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ order, position }))
    }
    res.writeHead(404).end()
  }

  const { port: bound } = http.address() as AddressInfo
  return {
    baseUrl: `http://127.0.0.1:${bound}`,
    realtimeUrl: realtime.url,
    async close() {
      // Clients are told to come back in a second (to another process, behind a load balancer).
      await realtime.close({ drainMs: 2_000, reconnectAfterMs: 1_000 })
      http.closeAllConnections()
      await new Promise<void>((resolve) => http.close(() => resolve()))
    },
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const server = await startExampleServer(Number(process.env.PORT ?? 0))
  console.log(`REST on ${server.baseUrl}, realtime on ${server.realtimeUrl}`)
  process.once('SIGINT', () => void server.close().then(() => process.exit(0)))
}
