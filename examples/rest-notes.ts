/**
 * A notes app talking to its API through `@wirekit/sdk/rest`: typed endpoints with a zod response schema,
 * a refreshing token, an idempotent create, cursor pagination and typed errors.
 *
 * test/rest/example.test.ts runs it against a local notes API. To run it against your own server:
 *   npx esbuild examples/rest-notes.ts --bundle --platform=node --format=esm --packages=external --outfile=/tmp/rest-notes.mjs
 *   NOTES_API=http://127.0.0.1:8080/v1 NOTES_TOKEN=dev node /tmp/rest-notes.mjs
 * (in your app, import from '@wirekit/sdk' instead of '../src/index.js').
 */
import { z } from 'zod'
import { NotFoundError, createClient, defineEndpoints, isWirekitError, typed } from '../src/index.js'

const Note = z.object({ id: z.string(), text: z.string(), createdAt: z.string() })
type Note = z.infer<typeof Note>

export const endpoints = defineEndpoints({
  createNote: { method: 'POST', path: '/notes', body: typed<{ text: string }>(), response: Note },
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
  const note = await client.rest.createNote({ body: { text: 'buy milk' } })
  print(`created ${note.id}: ${note.text}`)

  const again = await client.rest.getNote({ id: note.id })
  print(`fetched ${again.id} from ${again.createdAt}`)

  const texts: string[] = []
  for await (const item of client.rest.paginate<Note>('/notes', {
    pagination: { style: 'cursor', items: 'data', nextCursor: 'next_cursor', cursorParam: 'cursor' },
    params: { query: { limit: 2 } },
    maxItems: 10,
  })) {
    texts.push(item.text)
  }
  print(`listed ${texts.length} notes: ${texts.join(', ')}`)

  await client.rest.deleteNote({ id: note.id })
  try {
    await client.rest.getNote({ id: note.id })
  } catch (error) {
    if (error instanceof NotFoundError) print(`gone: ${error.code} (request ${error.requestId ?? 'n/a'})`)
    else if (isWirekitError(error)) print(`failed: ${error.code}`)
    else throw error
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const baseUrl = process.env.NOTES_API ?? 'http://127.0.0.1:8080/v1'
  await main(baseUrl, async () => process.env.NOTES_TOKEN ?? 'dev-token')
}
