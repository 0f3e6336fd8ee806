import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createClient } from '../../src/index.js'
import { InvalidRequestError } from '../../src/rest/index.js'

const BASE = 'https://api.example.com/v1'
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** A client whose fetch records the URL and answers 200 at once: no network at all. */
function recordingClient() {
  const urls: string[] = []
  const client = createClient({
    baseUrl: BASE,
    auth: 'tok_url_test',
    retry: false,
    fetch: async (input) => {
      urls.push(input instanceof Request ? input.url : String(input))
      return new Response('{}', { headers: { 'content-type': 'application/json' } })
    },
  })
  return { client, urls }
}

const hostile = [
  '..',
  '.',
  '../admin',
  '..%2F..%2Fadmin',
  '%2e%2e',
  '%2E%2E%2F',
  '//evil.example',
  '\\\\evil.example\\x',
  'http://evil.example/',
  'https:evil.example',
  'a/b',
  '%2F',
  '?admin=1',
  '#frag',
  '@evil.example',
  ':80',
  'a\r\nX-Injected: 1',
  '\u0000',
  '\u202e',
  'ａ／ｂ',
]

describe('path parameters cannot leave the API', () => {
  it('encodes each hostile value into one segment under the base path, or refuses a dot-segment', async () => {
    const { client, urls } = recordingClient()
    for (const value of hostile) {
      const call = client.rest.request('GET', '/files/{name}/meta', { params: { path: { name: value } } })
      if (value === '.' || value === '..') {
        await expect(call).rejects.toBeInstanceOf(InvalidRequestError)
        continue
      }
      await call
      const url = new URL(urls.at(-1)!)
      expect(url.origin).toBe('https://api.example.com')
      expect(url.pathname).toMatch(/^\/v1\/files\/[^/]+\/meta$/)
      expect(url.search).toBe('')
      expect(url.hash).toBe('')
      expect(decodeURIComponent(url.pathname.split('/')[3]!)).toBe(value)
    }
  })

  it('refuses a value that forms a dot-segment with the template around it', async () => {
    const { client } = recordingClient()
    await expect(client.rest.request('GET', '/f/{a}.', { params: { path: { a: '.' } } })).rejects.toMatchObject({ field: 'params.path.a' })
    await expect(client.rest.request('GET', '/f/{a}{b}', { params: { path: { a: '.', b: '.' } } })).rejects.toBeInstanceOf(InvalidRequestError)
  })

  it('over 100,000 generated params: 100 % of requests stay on the origin and under /v1/, one segment each', async () => {
    const { client, urls } = recordingClient()
    const pieces = fc.constantFrom('..', '.', '/', '\\', '%', '%2e', '%2F', '%5C', '?', '#', '@', ':', '//', 'http://evil.example', 'evil.example', ' ', '\t', '\n', '\u0000', '~', '..%2F')
    const value = fc.oneof(
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 24 }),
      fc.array(fc.oneof(pieces, fc.string({ maxLength: 4 })), { minLength: 1, maxLength: 8 }).map((parts) => parts.join('')),
      fc.string({ unit: fc.constantFrom('.', '/', '\\', '%', '2', 'e', 'E', 'f', 'F'), minLength: 1, maxLength: 12 }),
    )
    let sent = 0
    let refused = 0
    let escaped = 0
    await fc.assert(
      fc.asyncProperty(value, value, async (owner, repo) => {
        try {
          await client.rest.request('GET', '/repos/{owner}/{repo}/issues', { params: { path: { owner, repo } } })
        } catch (error) {
          if (!(error instanceof InvalidRequestError)) throw error
          refused++
          // Only values that cannot be sent safely are refused: empty, dot-segments, lone surrogates.
          const unsafe = (v: string) => v === '' || v === '.' || v === '..' || LONE_SURROGATE.test(v)
          return unsafe(owner) || unsafe(repo)
        }
        sent++
        const url = new URL(urls.at(-1)!)
        const segments = url.pathname.split('/')
        const ok =
          url.origin === 'https://api.example.com' &&
          url.pathname.startsWith('/v1/repos/') &&
          segments.length === 6 &&
          segments[5] === 'issues' &&
          decodeURIComponent(segments[3]!) === owner &&
          decodeURIComponent(segments[4]!) === repo &&
          url.search === '' &&
          url.hash === ''
        if (!ok) escaped++
        return ok
      }),
      { numRuns: 100_000 },
    )
    console.log(`url safety: ${sent + refused} generated param pairs, ${sent} sent, ${refused} refused as unsafe, ${escaped} escaped the base path`)
    expect(sent + refused).toBe(100_000)
    expect(escaped).toBe(0)
  }, 180_000)

  it('encodes query keys and values so they cannot add parameters', async () => {
    const { client, urls } = recordingClient()
    await client.rest.request('GET', '/search', { params: { query: { 'q&admin': 'a=1&b=2#x', n: 3, flag: true, skip: undefined } } })
    const url = new URL(urls.at(-1)!)
    expect([...url.searchParams]).toEqual([
      ['q&admin', 'a=1&b=2#x'],
      ['n', '3'],
      ['flag', 'true'],
    ])
  })
})
