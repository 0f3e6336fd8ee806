import { type Server, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type NoteChange, createNotesApi } from '../../examples/platform/notes-api.js'

describe('the example platform notes API', () => {
  let server: Server
  let base: string
  let token: string
  let changes: NoteChange[]
  let now: number

  beforeEach(async () => {
    changes = []
    now = Date.parse('2026-11-24T00:00:00Z')
    const api = createNotesApi({ onChange: (change) => changes.push(change), now: () => now, tokenLifetime: 60 })
    server = createServer(api.handle)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    const issued = await post('/v1/oauth/token', { client_id: 'demo', client_secret: 'demo-client-secret' }, {})
    token = ((await issued.json()) as { access_token: string }).access_token
  })
  afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())))

  const auth = () => ({ authorization: `Bearer ${token}` })
  const post = (path: string, body: unknown, headers: Record<string, string> = auth()) =>
    fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })

  it('exchanges client credentials for an expiring token, and refuses a wrong secret', async () => {
    const wrong = await post('/v1/oauth/token', { client_id: 'demo', client_secret: 'nope' }, {})
    expect(wrong.status).toBe(401)
    expect(await wrong.json()).toMatchObject({ error: { code: 'invalid_client' } })
    expect((await fetch(`${base}/v1/notes`, { headers: auth() })).status).toBe(200)
    now += 61_000
    const expired = await fetch(`${base}/v1/notes`, { headers: auth() })
    expect(expired.status).toBe(401)
    expect(expired.headers.get('x-request-id')).toMatch(/^req_/)
    expect(await expired.json()).toMatchObject({ error: { code: 'invalid_token' } })
  })

  it('creates, gets, updates and deletes a note, reporting each change', async () => {
    const created = await post('/v1/notes', { title: 'first', body: 'hello' })
    expect(created.status).toBe(201)
    const note = (await created.json()) as { id: string }
    expect((await (await fetch(`${base}/v1/notes/${note.id}`, { headers: auth() })).json())).toMatchObject({ title: 'first', body: 'hello' })
    const patched = await fetch(`${base}/v1/notes/${note.id}`, { method: 'PATCH', headers: auth(), body: JSON.stringify({ body: 'edited' }) })
    expect(await patched.json()).toMatchObject({ title: 'first', body: 'edited' })
    expect((await fetch(`${base}/v1/notes/${note.id}`, { method: 'DELETE', headers: auth() })).status).toBe(204)
    expect((await fetch(`${base}/v1/notes/${note.id}`, { headers: auth() })).status).toBe(404)
    expect(changes.map((change) => change.type)).toEqual(['note.created', 'note.updated', 'note.deleted'])
  })

  it('pages with a cursor until next_cursor is null, each note once', async () => {
    for (let i = 0; i < 7; i++) await post('/v1/notes', { title: `n${i}` })
    const seen: string[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const query: string = cursor ? `&cursor=${cursor}` : ''
      const page = (await (await fetch(`${base}/v1/notes?limit=3${query}`, { headers: auth() })).json()) as { data: { title: string }[]; next_cursor: string | null }
      seen.push(...page.data.map((note) => note.title))
      cursor = page.next_cursor
      pages++
    } while (cursor)
    expect(seen).toEqual(['n0', 'n1', 'n2', 'n3', 'n4', 'n5', 'n6'])
    expect(pages).toBe(3)
    expect((await fetch(`${base}/v1/notes?limit=0`, { headers: auth() })).status).toBe(400)
  })

  it('answers a repeated Idempotency-Key from its store instead of creating twice', async () => {
    const headers = { ...auth(), 'idempotency-key': 'key-1' }
    const first = (await (await post('/v1/notes', { title: 'once' }, headers)).json()) as { id: string }
    const again = await post('/v1/notes', { title: 'once' }, headers)
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    expect(((await again.json()) as { id: string }).id).toBe(first.id)
    expect(changes).toHaveLength(1)
    const reused = await post('/v1/notes', { title: 'different' }, headers)
    expect(reused.status).toBe(422)
    expect(await reused.json()).toMatchObject({ error: { code: 'idempotency_key_reused' } })
  })

  it('can reset the connection after storing a note, and the retry with the same key creates nothing new', async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()))
    const api = createNotesApi({ onChange: (change) => changes.push(change), resetAfterCreate: (n) => n === 1 })
    server = createServer(api.handle)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    token = api.issueToken().access_token
    const headers = { ...auth(), 'idempotency-key': 'key-reset' }
    await expect(post('/v1/notes', { title: 'stored, reply lost' }, headers)).rejects.toThrow()
    const retried = await post('/v1/notes', { title: 'stored, reply lost' }, headers)
    expect(retried.status).toBe(201)
    expect(retried.headers.get('idempotent-replayed')).toBe('true')
    expect(api.notes.size).toBe(1)
    expect(api.stats.resets).toBe(1)
  })

  it('answers bad input with JSON errors, never a crash', async () => {
    expect((await post('/v1/notes', { body: 'no title' })).status).toBe(422)
    expect((await post('/v1/notes', { title: 7 })).status).toBe(422)
    expect((await fetch(`${base}/v1/notes`, { method: 'POST', headers: auth(), body: '{not json' })).status).toBe(422)
    const huge = await fetch(`${base}/v1/notes`, { method: 'POST', headers: auth(), body: 'x'.repeat(70_000) }).catch(() => undefined)
    // The server answers 413 mid-upload; depending on timing the client sees that or a reset.
    expect(huge === undefined || huge.status === 413).toBe(true)
    expect((await fetch(`${base}/v1/nothing`, { headers: auth() })).status).toBe(404)
    expect((await fetch(`${base}/v1/notes`, { method: 'PUT', headers: auth() })).status).toBe(405)
    // The server is still up.
    expect((await fetch(`${base}/v1/notes`, { headers: auth() })).status).toBe(200)
  })
})
