/**
 * A webhook receiver that runs on several processes (or machines) and handles each delivery once:
 * `webhookIntake` over `RedisReplayStore`. Start it twice on two ports against one Redis; whichever
 * process a delivery (or its duplicate, or the sender's retry) reaches, the handler runs once.
 *
 * Answers: 200 handled / duplicate, 409 + Retry-After while the other process is handling it, 400 for
 * a bad signature, 503 when Redis is unreachable (nothing runs unprotected; the sender retries), 500
 * when the handler throws (the lease is released, so the retry runs it).
 *
 * Run: npx esbuild examples/webhooks/redis-two-process.ts --bundle --platform=node --format=esm --packages=external --outfile=receiver.mjs
 *      WEBHOOK_SECRET=whsec_… REDIS_URL=redis://localhost:6379 PORT=3001 npx node receiver.mjs
 *      WEBHOOK_SECRET=whsec_… REDIS_URL=redis://localhost:6379 PORT=3002 npx node receiver.mjs
 * (REDIS_PATH=<unix socket> instead of REDIS_URL works too.) Needs Redis 7.0 or newer: the lease is taken with `SET … NX GET`.
 */
import { type Server, createServer } from 'node:http'
import { Redis } from 'ioredis'
import { standardWebhooks } from '@wirekit/sdk/webhooks'
import { RedisReplayStore, webhookIntake } from '@wirekit/sdk/webhooks/intake'

/** Builds one receiver process's server; `handle` is your code. */
export function createReceiver(secret: string, redis: Redis, handle: (event: { type: string; id: string | undefined; payload: unknown }) => Promise<void>): Server {
  const intake = webhookIntake(standardWebhooks({ secret }), {
    // One key prefix per app; leases outlive the slowest handler, done ids outlive the sender's retries.
    store: new RedisReplayStore(redis, { prefix: 'example:webhooks:' }),
    lease: 60,
    ttl: 3 * 24 * 3600,
    handler: handle,
  })
  return createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/webhooks') return void res.writeHead(404).end()
    intake.node(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500)
      res.end()
    })
  })
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // enableOfflineQueue off: while Redis is away, a call fails at once (503) instead of queueing.
  const redis = process.env.REDIS_PATH
    ? new Redis({ path: process.env.REDIS_PATH, enableOfflineQueue: false, maxRetriesPerRequest: 0 })
    : new Redis(process.env.REDIS_URL ?? 'redis://localhost:6379', { enableOfflineQueue: false, maxRetriesPerRequest: 0 })
  redis.on('error', () => undefined)
  await new Promise<void>((resolve) => redis.once('ready', () => resolve()))
  const server = createReceiver(process.env.WEBHOOK_SECRET ?? '', redis, async (event) => {
    console.log(`handled ${event.id} in ${process.pid}`)
  })
  server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => console.log('listening', (server.address() as { port: number }).port))
}
