/**
 * The example platform: a small service with all three faces wirekit talks to — the notes REST API,
 * a webhook sender that signs Standard Webhooks deliveries, and the wirekit.v1 realtime server
 * (`@wirekit/sdk/server` on its memory engine, through `@wirekit/sdk/testing` for the demo's fault
 * controls) publishing every change at `<baseUrl>/realtime` on the API's own port, so a client given
 * only `baseUrl` finds it. Everything listens on 127.0.0.1, on a free port unless told otherwise.
 */
import { randomBytes } from 'node:crypto'
import { type Server, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createTestRealtimeServer } from '@wirekit/sdk/testing'
import { createNotesApi } from './notes-api.ts'
import { createWebhookSender } from './webhook-sender.ts'

export interface PlatformOptions {
  /** The REST port. @default 0 (a free one) */
  port?: number
  /** The `whsec_…` secret webhooks are signed with. @default a fresh random one */
  webhookSecret?: string
  /** The ping interval the realtime server announces, in ms. @default 25000 */
  heartbeatMs?: number
  /** Fault injection, passed to the notes API: reset the connection after the nth note is stored. */
  resetAfterCreate?: (sequence: number) => boolean
}

/** The client id and secret the platform accepts at POST /v1/oauth/token. */
export const DEMO_CLIENT = { id: 'demo', secret: 'demo-client-secret' } as const

export async function startPlatform(options: PlatformOptions = {}) {
  const webhookSecret = options.webhookSecret ?? `whsec_${randomBytes(32).toString('base64')}`
  const webhooks = createWebhookSender({ secret: webhookSecret })
  // The realtime server accepts exactly the access tokens the REST API issued.
  let realtime: Awaited<ReturnType<typeof createTestRealtimeServer>> | undefined
  const api = createNotesApi({
    clients: { [DEMO_CLIENT.id]: DEMO_CLIENT.secret },
    ...(options.resetAfterCreate === undefined ? {} : { resetAfterCreate: options.resetAfterCreate }),
    onChange: (change) => {
      realtime?.publish('notes', change.type, change.note)
      void webhooks.send(change.type, change.note)
    },
  })
  const rest = api
  const server: Server = createServer((req, res) => {
    // Browser apps on other origins call the API too (the realtime example page, the Chromium tests).
    res.setHeader('access-control-allow-origin', '*')
    res.setHeader('access-control-allow-headers', 'authorization, content-type, idempotency-key')
    res.setHeader('access-control-allow-methods', 'GET, POST, PATCH, DELETE')
    res.setHeader('access-control-expose-headers', 'x-request-id, link, retry-after, idempotent-replayed')
    if (req.method === 'OPTIONS') return void res.writeHead(204).end()
    // Receivers register here: POST /v1/webhook-endpoints {"url": "http://127.0.0.1:…/webhooks"}.
    if (req.method === 'POST' && req.url === '/v1/webhook-endpoints') return void registerEndpoint(req, res)
    rest.handle(req, res)
  })
  async function registerEndpoint(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) {
    let text = ''
    for await (const chunk of req) text += chunk
    try {
      const url = new URL((JSON.parse(text) as { url: string }).url)
      if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') throw new Error('loopback only')
      webhooks.register(url.href)
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ url: url.href }))
    } catch {
      res.writeHead(422, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'invalid_url', message: 'give {"url": "http://127.0.0.1:<port>/…"}' } }))
    }
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new Error(`port ${options.port} is in use: pick another with --port, or 0 for a free one`) : error)
    })
    server.listen(options.port ?? 0, '127.0.0.1', resolve)
  })
  const { port } = server.address() as AddressInfo
  // Realtime on the API's own port, where `baseUrl` + `/realtime` points (the client's default).
  const live = await createTestRealtimeServer({
    server,
    path: '/v1/realtime',
    authenticate: (token) => api.isValidToken(token),
    ...(options.heartbeatMs === undefined ? {} : { heartbeatMs: options.heartbeatMs }),
  })
  realtime = live
  return {
    /** The REST API root, for `baseUrl`. */
    restUrl: `http://127.0.0.1:${port}/v1`,
    /** The realtime endpoint, for `realtimeUrl`. */
    realtimeUrl: live.url,
    webhookSecret,
    api: rest,
    realtime: live,
    webhooks,
    async close(): Promise<void> {
      webhooks.close()
      server.closeAllConnections()
      await live.close()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

export type Platform = Awaited<ReturnType<typeof startPlatform>>
