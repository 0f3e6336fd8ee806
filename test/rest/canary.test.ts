/**
 * A planted secret must not appear in any error (message, stack, JSON, util.inspect, cause chain) or
 * log line that REST produces, whatever the failure.
 */
import { inspect } from 'node:util'
import { delay, http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { createClient } from '../../src/index.js'
import { BASE, useMsw } from './support.js'

const server = useMsw()
const TOKEN = 'tok_CANARY_9f8e7d6c5b4a'
const API_KEY = 'sk_live_CANARY_0a1b2c3d4e'

function expectClean(text: string) {
  expect(text).not.toContain(TOKEN)
  expect(text).not.toContain(API_KEY)
}

/** Every way an error is usually turned into text. */
function renderings(error: unknown): string[] {
  const out = [String(error), inspect(error, { depth: 10, showHidden: true }), JSON.stringify(error)]
  let current: unknown = error
  while (current instanceof Error) {
    out.push(current.message, current.stack ?? '')
    current = current.cause
  }
  return out
}

describe('no secret in any error or log line', () => {
  const cases: Array<[string, Parameters<typeof server.use>[0]]> = [
    ['401 that echoes the token', http.get(`${BASE}/x`, ({ request }) => HttpResponse.json({ error: { message: `token ${request.headers.get('authorization')} is revoked` } }, { status: 401 }))],
    ['500 with an HTML body', http.get(`${BASE}/x`, () => HttpResponse.text('<h1>oops</h1>', { status: 500 }))],
    ['network failure', http.get(`${BASE}/x`, () => HttpResponse.error())],
    ['timeout', http.get(`${BASE}/x`, async () => (await delay('infinite'), HttpResponse.json({})))],
    ['schema failure quoting a token-bearing value', http.get(`${BASE}/x`, ({ request }) => HttpResponse.json({ n: request.headers.get('authorization') ?? request.headers.get('x-api-key') }))],
  ]

  it.each(cases)('%s', async (_name, handler) => {
    server.use(handler)
    const lines: string[] = []
    const logger = {
      debug: (...args: unknown[]) => void lines.push(inspect(args, { depth: 10 })),
      info: (...args: unknown[]) => void lines.push(inspect(args, { depth: 10 })),
      warn: (...args: unknown[]) => void lines.push(inspect(args, { depth: 10 })),
      error: (...args: unknown[]) => void lines.push(inspect(args, { depth: 10 })),
    }
    const schema = { '~standard': { version: 1 as const, vendor: 'test', validate: (value: unknown) => ({ issues: [{ message: `bad ${JSON.stringify(value)}`, path: ['n'] }] }) } }
    for (const auth of [TOKEN, { apiKey: API_KEY }, { apiKey: API_KEY, header: 'x-api-key' }, () => TOKEN]) {
      const client = createClient({ baseUrl: BASE, auth, timeout: 50, retry: { limit: 1, backoff: { base: 0, cap: 0 } }, logger, logLevel: 'debug' })
      const api = client.rest.withEndpoints({ x: { method: 'GET', path: '/x', response: schema } })
      const error = await api.x().catch((e: unknown) => e)
      expect(error).toBeInstanceOf(Error)
      for (const text of renderings(error)) expectClean(text)
    }
    expect(lines.length).toBeGreaterThan(0)
    for (const line of lines) expectClean(line)
  })
})
