/**
 * `npm run platform`: the example platform on its own, for pointing your own code at it.
 * `--port N` picks the REST port (default: a free one). Ctrl-C stops it.
 */
import { DEMO_CLIENT, startPlatform } from './index.ts'

const portFlag = process.argv.indexOf('--port')
const port = portFlag >= 0 ? Number(process.argv[portFlag + 1]) : 0
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error('--port takes a port number from 0 to 65535')
  process.exit(1)
}

try {
  const platform = await startPlatform({ port })
  console.log(`wirekit example platform

  REST API        ${platform.restUrl}   (notes: POST/GET /notes, GET/PATCH/DELETE /notes/{id})
  token endpoint  POST ${platform.restUrl}/oauth/token  {"client_id":"${DEMO_CLIENT.id}","client_secret":"${DEMO_CLIENT.secret}"}
  realtime        ${platform.realtimeUrl}   (wirekit.v1, channel "notes")
  webhooks        POST ${platform.restUrl}/webhook-endpoints {"url":"http://127.0.0.1:<port>/…"} to receive signed deliveries
  webhook secret  ${platform.webhookSecret}

Ctrl-C to stop.`)
  const stop = () => void platform.close().then(() => process.exit(0))
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
} catch (error) {
  console.error(`the platform could not start: ${(error as Error).message}`)
  process.exit(1)
}
