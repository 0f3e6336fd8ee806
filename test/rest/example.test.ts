/** Runs examples/rest-notes.ts against a small notes API on a real loopback server. */
import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { main } from '../../examples/rest-notes.js'
import { listen, readBody } from './support.js'

let close: (() => Promise<void>) | undefined
afterEach(async () => {
  await close?.()
  close = undefined
})

describe('examples/rest-notes.ts', () => {
  it('runs its whole tour against a local notes API', async () => {
    const notes = new Map<string, { id: string; text: string; createdAt: string }>([
      ['seed-1', { id: 'seed-1', text: 'first', createdAt: '2026-01-01T00:00:00Z' }],
      ['seed-2', { id: 'seed-2', text: 'second', createdAt: '2026-01-02T00:00:00Z' }],
    ])
    const byKey = new Map<string, string>()
    const server = await listen(async (req, res) => {
      const url = new URL(req.url ?? '/', 'http://x')
      const send = (status: number, body?: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': 'req-1' }).end(body === undefined ? undefined : JSON.stringify(body))
      if (req.headers.authorization !== 'Bearer example-token') return send(401, { error: { code: 'unauthenticated', message: 'who?' } })
      const match = /^\/v1\/notes(?:\/([^/]+))?$/.exec(url.pathname)
      if (!match) return send(404, { error: { code: 'no_route', message: 'no route' } })
      const id = match[1] && decodeURIComponent(match[1])
      if (req.method === 'POST' && !id) {
        const key = String(req.headers['idempotency-key'])
        const existing = byKey.get(key)
        if (existing) return send(201, notes.get(existing))
        const note = { id: randomUUID(), text: (JSON.parse(await readBody(req)) as { text: string }).text, createdAt: new Date(0).toISOString() }
        notes.set(note.id, note)
        byKey.set(key, note.id)
        return send(201, note)
      }
      if (req.method === 'GET' && !id) {
        const all = [...notes.values()]
        const start = Number(url.searchParams.get('cursor') ?? 0)
        const limit = Number(url.searchParams.get('limit') ?? 10)
        return send(200, { data: all.slice(start, start + limit), next_cursor: start + limit < all.length ? String(start + limit) : null })
      }
      const note = id ? notes.get(id) : undefined
      if (!note) return send(404, { error: { code: 'note_not_found', message: 'no such note' } })
      if (req.method === 'DELETE') {
        notes.delete(note.id)
        return send(204)
      }
      return send(200, note)
    })
    close = server.close

    const lines: string[] = []
    await main(`${server.url}/v1`, async () => 'example-token', (line) => lines.push(line))
    const output = lines.filter((line) => !line.startsWith('  '))
    expect(output[0]).toMatch(/^created [0-9a-f-]{36}: buy milk$/)
    expect(output[1]).toMatch(/^fetched [0-9a-f-]{36} from 1970-01-01T00:00:00.000Z$/)
    expect(output[2]).toBe('listed 3 notes: first, second, buy milk')
    expect(output[3]).toBe('gone: note_not_found (request req-1)')
    expect(lines.filter((line) => line.startsWith('  GET /v1/notes →'))).toHaveLength(2)
  })
})
