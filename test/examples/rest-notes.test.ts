/** Runs examples/rest-notes.ts against the example platform's notes API on a real loopback server. */
import { describe, expect, it } from 'vitest'
import { createNotesApi } from '../../examples/platform/notes-api.js'
import { main } from '../../examples/rest-notes.js'
import { listen } from './support.js'

describe('examples/rest-notes.js', () => {
  it('runs its whole tour against the platform notes API', async () => {
    const api = createNotesApi({ now: () => Date.parse('2026-01-01T00:00:00Z') })
    const { url } = await listen(api.handle)
    const headers = { authorization: `Bearer ${api.issueToken().access_token}`, 'content-type': 'application/json' }
    for (const title of ['first', 'second']) await fetch(`${url}/v1/notes`, { method: 'POST', headers, body: JSON.stringify({ title }) })

    const lines: string[] = []
    await main(`${url}/v1`, async () => api.issueToken().access_token, (line) => lines.push(line))
    const output = lines.filter((line) => !line.startsWith('  '))
    expect(output).toEqual([
      'created note_000003: buy milk',
      'fetched note_000003 from 2026-01-01T00:00:00.000Z',
      'listed 3 notes: first, second, buy milk',
      expect.stringMatching(/^gone: note_not_found \(request req_[0-9a-f-]{36}\)$/),
    ])
    expect(api.notes.size).toBe(2)
    // Pages of two: the list took two GETs.
    expect(lines.filter((line) => line.startsWith('  GET /v1/notes →'))).toHaveLength(2)
  })
})
