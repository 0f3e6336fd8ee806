/**
 * A client that respects the server's rate limit before it is told off and never downloads the same
 * note twice: `rateLimits()` learns the notes API's `RateLimit` fields and holds calls back until the
 * window resets; `revalidationCache()` sends each GET with the note's ETag, so an unchanged note
 * comes back as a 304 without its body, and identical GETs in flight share one request. It speaks
 * the notes API of the example platform (examples/platform), which announces its limits and ETags;
 * test/examples/rest-limits.test.ts runs it there.
 *
 * To run it yourself: `npm run platform` in one terminal, then, with the REST API it printed,
 *   npm run build && NOTES_API=http://127.0.0.1:<port>/v1 node examples/rest-limits.ts
 */
import { RateLimitError, createClient } from '@wirekit/sdk'
import { rateLimits, revalidationCache } from '@wirekit/sdk/rest'

interface Note {
  id: string
  title: string
}

/** Runs the tour against `baseUrl`, writing what happens to `print`. */
export async function main(baseUrl: string, token: () => Promise<string>, print: (line: string) => void = console.log): Promise<void> {
  const cache = revalidationCache({ maxEntries: 1000 })
  const client = createClient({
    baseUrl,
    auth: async () => ({ token: await token(), expiresIn: 3600 }),
    // A call that would have to wait more than 30 s for the window rejects at once instead.
    rest: { limits: rateLimits({ maxWait: 30_000, maxConcurrency: 8 }), cache },
  })

  const note = await client.rest.request<Note>('POST', '/notes', { body: { title: 'read me often' } })

  // 40 reads of one note from 10 concurrent callers: one full download, then 304s or shared requests.
  let next = 0
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      while (next++ < 40) await client.rest.request<Note>('GET', '/notes/{id}', { params: { path: { id: note.id } } })
    }),
  )
  const stats = cache.stats()
  print(`40 reads: ${stats.requests} requests, ${stats.notModified} answered 304, ${stats.shared} shared, ${stats.bytesSaved} bytes not downloaded`)

  const [limit] = client.rest.limits()
  print(`budget for ${limit?.policy}: ${limit?.remaining} of ${limit?.limit} left, resets ${limit?.resetAt === undefined ? 'unknown' : 'within the window'}`)

  try {
    await client.rest.request('DELETE', '/notes/{id}', { params: { path: { id: note.id } } })
  } catch (error) {
    // Only when the window is spent and its reset is more than maxWait away: nothing was sent.
    if (error instanceof RateLimitError) print(`not sent: retry in ${error.retryAfter} ms`)
    else throw error
  }
}

/** The example platform's token endpoint: client credentials in, an access token out. */
async function platformToken(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_id: 'demo', client_secret: 'demo-client-secret' }),
  })
  if (!response.ok) throw new Error(`${baseUrl}/oauth/token answered ${response.status}`)
  return ((await response.json()) as { access_token: string }).access_token
}

if (import.meta.main) {
  const baseUrl = process.env.NOTES_API
  if (!baseUrl) throw new Error('set NOTES_API to the REST API that `npm run platform` printed')
  await main(baseUrl, () => platformToken(baseUrl))
}
