/**
 * A notes app talking to its API through `@wirekit/sdk`: typed endpoints with a zod response schema,
 * a refreshing token, an idempotent create, cursor pagination and typed errors. It speaks the notes
 * API of the example platform (examples/platform); test/examples/rest-notes.test.ts runs it there.
 *
 * To run it yourself: `npm run platform` in one terminal, then, with the REST API it printed,
 *   npm run build && NOTES_API=http://127.0.0.1:<port>/v1 node examples/rest-notes.ts
 */
import { z } from 'zod'
import { NotFoundError, createClient, defineEndpoints, isWirekitError, typed } from '@wirekit/sdk'

const Note = z.object({ id: z.string(), title: z.string(), body: z.string(), createdAt: z.string(), updatedAt: z.string() })
type Note = z.infer<typeof Note>

export const endpoints = defineEndpoints({
  createNote: { method: 'POST', path: '/notes', body: typed<{ title: string; body?: string }>(), response: Note },
  getNote: { method: 'GET', path: '/notes/{id}', response: Note },
  deleteNote: { method: 'DELETE', path: '/notes/{id}' },
})

/** Runs the tour against `baseUrl`, writing what happens to `print`. */
export async function main(baseUrl: string, token: () => Promise<string>, print: (line: string) => void = console.log): Promise<void> {
  const client = createClient({
    baseUrl,
    auth: async () => ({ token: await token(), expiresIn: 3600 }),
    retry: { limit: 3 },
    rest: {
      endpoints,
      hooks: { afterResponse: [({ request, response }) => print(`  ${request.method} ${new URL(request.url).pathname} → ${response.status}`)] },
    },
  })

  // Every POST carries an Idempotency-Key, reused on retries: a flaky network never makes two notes.
  const note = await client.rest.createNote({ body: { title: 'buy milk', body: 'and coffee' } })
  print(`created ${note.id}: ${note.title}`)

  const again = await client.rest.getNote({ id: note.id })
  print(`fetched ${again.id} from ${again.createdAt}`)

  const titles: string[] = []
  for await (const item of client.rest.paginate<Note>('/notes', {
    pagination: { style: 'cursor', items: 'data', nextCursor: 'next_cursor', cursorParam: 'cursor' },
    params: { query: { limit: 2 } },
    maxItems: 10,
  })) {
    titles.push(item.title)
  }
  print(`listed ${titles.length} notes: ${titles.join(', ')}`)

  await client.rest.deleteNote({ id: note.id })
  try {
    await client.rest.getNote({ id: note.id })
  } catch (error) {
    if (error instanceof NotFoundError) print(`gone: ${error.code} (request ${error.requestId ?? 'n/a'})`)
    else if (isWirekitError(error)) print(`failed: ${error.code}`)
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
