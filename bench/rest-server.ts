/**
 * The REST bench's server, run in its own process (child_process.fork) so its work never lands on the
 * client's CPU figures: every request is answered with the same ~200-byte JSON note, keep-alive on.
 * It tells its parent the port over IPC and exits when the parent goes away.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { NOTE_JSON } from './rest-note.ts'

const length = String(Buffer.byteLength(NOTE_JSON))
const server = createServer((req, res) => {
  req.resume()
  req.on('end', () => {
    // /v2: the same note with an ETag and RateLimit fields (issue 17's contenders); 304 when the client
    // has it. /v2-plain: the same without the ETag, a response the cache cannot store.
    if (req.url?.startsWith('/v2/') || req.url?.startsWith('/v2-plain/')) {
      const limits = { 'ratelimit-policy': '"default";q=1000000;w=60', ratelimit: '"default";r=999999;t=60' }
      if (req.url.startsWith('/v2-plain/')) return res.writeHead(200, { 'content-type': 'application/json', 'content-length': length, ...limits }).end(NOTE_JSON)
      const headers = { etag: '"note-v1"', ...limits }
      if (req.headers['if-none-match'] === headers.etag) return res.writeHead(304, headers).end()
      return res.writeHead(200, { 'content-type': 'application/json', 'content-length': length, ...headers }).end(NOTE_JSON)
    }
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': length }).end(NOTE_JSON)
  })
})
// Longer than any pause in the bench, so no contender pays for a fresh connection mid-run.
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }))
process.on('disconnect', () => process.exit(0))
