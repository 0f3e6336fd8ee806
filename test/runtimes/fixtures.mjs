// The local servers the smoke suite talks to, started by Node on 127.0.0.1 with free ports: the
// example platform (notes REST API, wirekit.v1 realtime server, webhook secret) and a small control
// endpoint, so a runtime without access to the server object can still ask for a drop.
import { createServer } from 'node:http'
import { DEMO_CLIENT, startPlatform } from '../../examples/platform/index.ts'

/** Starts the fixtures; resolves to the env the smoke suite takes, the platform and a stop function. */
export async function startFixtures() {
  const platform = await startPlatform({ heartbeatMs: 5_000 })
  const control = createServer((req, res) => {
    res.setHeader('access-control-allow-origin', '*')
    const url = new URL(req.url ?? '/', 'http://control.local')
    if (req.method === 'OPTIONS') return void res.writeHead(204).end()
    if (url.pathname === '/drop-and-publish') {
      // Drop every realtime connection, then publish in the same tick: no client can have come back
      // yet, so these events can only arrive through resume.
      const channel = url.searchParams.get('channel') ?? 'smoke'
      const count = Number(url.searchParams.get('count') ?? 3)
      platform.realtime.drop()
      for (let i = 0; i < count; i++) platform.realtime.publish(channel, 'missed', { i })
      return void res.writeHead(204).end()
    }
    if (url.pathname === '/publish') {
      platform.realtime.publish(url.searchParams.get('channel') ?? 'smoke', 'live', { at: Date.now() })
      return void res.writeHead(204).end()
    }
    res.writeHead(404).end()
  })
  await new Promise((resolve) => control.listen(0, '127.0.0.1', resolve))
  const env = {
    restUrl: platform.restUrl,
    realtimeUrl: platform.realtimeUrl,
    controlUrl: `http://127.0.0.1:${control.address().port}`,
    clientId: DEMO_CLIENT.id,
    clientSecret: DEMO_CLIENT.secret,
    webhookSecret: platform.webhookSecret,
  }
  const stop = async () => {
    control.closeAllConnections()
    await new Promise((resolve) => control.close(() => resolve()))
    await platform.close()
  }
  return { env, stop, platform }
}
