/** Runs examples/rest-limits.ts against the example platform's notes API on a real loopback server. */
import { describe, expect, it } from 'vitest'
import { createNotesApi } from '../../examples/platform/notes-api.js'
import { main } from '../../examples/rest-limits.js'
import { listen } from './support.js'

describe('examples/rest-limits.js', () => {
  it('reads a note 40 times with one download, and a tight limit is never overrun', { timeout: 30_000 }, async () => {
    // 15 requests per 1 s window: the tour's 42 requests span three windows, all without a 429.
    const api = createNotesApi({ rateLimit: { limit: 15, window: 1 } })
    const { url } = await listen(api.handle)
    const lines: string[] = []
    const token = api.issueToken().access_token
    await main(`${url}/v1`, async () => token, (line) => lines.push(line))
    expect(lines[0]).toMatch(/^40 reads: \d+ requests, \d+ answered 304, \d+ shared, \d+ bytes not downloaded$/)
    const [, requests, notModified, shared] = /(\d+) requests, (\d+) answered 304, (\d+) shared/.exec(lines[0]!)!.map(Number)
    expect(requests! + shared!).toBe(40)
    expect(notModified).toBe(requests! - 1)
    expect(api.stats.notModified).toBe(notModified)
    expect(lines[1]).toMatch(/^budget for notes: \d+ of 15 left/)
    expect(api.stats.rateLimited).toBe(0)
    expect(api.notes.size).toBe(0)
  })
})
