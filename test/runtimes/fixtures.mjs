// The local servers the smoke suite talks to, started by Node on 127.0.0.1 with free ports.
import { createServer } from 'node:http'
import { createNotesApi } from '../../examples/platform/notes-api.ts'

export const CLIENT_ID = 'smoke'
export const CLIENT_SECRET = 'smoke-client-secret'

/** Starts the fixtures; resolves to the env the smoke suite takes and a stop function. */
export async function startFixtures() {
  const api = createNotesApi({ clients: { [CLIENT_ID]: CLIENT_SECRET } })
  const server = createServer((req, res) => {
    // Browsers and workers call from another origin.
    res.setHeader('access-control-allow-origin', '*')
    res.setHeader('access-control-allow-headers', '*')
    res.setHeader('access-control-allow-methods', 'GET, POST, PATCH, DELETE')
    res.setHeader('access-control-expose-headers', '*')
    if (req.method === 'OPTIONS') return void res.writeHead(204).end()
    api.handle(req, res)
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const env = { restUrl: `http://127.0.0.1:${server.address().port}`, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }
  const stop = () => new Promise((resolve) => server.close(() => resolve()))
  return { env, stop }
}
