import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { createClient } from '../../src/index.js'
import { InvalidRequestError, PaginationError } from '../../src/rest/index.js'
import { nextLink } from '../../src/rest/pagination.js'
import { BASE, useMsw } from './support.js'

const server = useMsw()
const ITEMS = Array.from({ length: 23 }, (_, index) => ({ id: `n${index}` }))

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const item of iterable) out.push(item)
  return out
}

function cursorApi() {
  const seen: URL[] = []
  server.use(
    http.get(`${BASE}/notes`, ({ request }) => {
      const url = new URL(request.url)
      seen.push(url)
      const start = Number(url.searchParams.get('cursor') ?? 0)
      const end = start + 5
      return HttpResponse.json({ data: ITEMS.slice(start, end), meta: { next: end < ITEMS.length ? String(end) : null } })
    }),
  )
  return seen
}

describe('pagination', () => {
  it('walks a cursor-in-body list and keeps the first-page query', async () => {
    const seen = cursorApi()
    const client = createClient({ baseUrl: BASE })
    const items = await collect(
      client.rest.paginate<{ id: string }>('/notes', {
        pagination: { style: 'cursor', items: 'data', nextCursor: 'meta.next', cursorParam: 'cursor' },
        params: { query: { tag: 'x' } },
      }),
    )
    expect(items).toEqual(ITEMS)
    expect(seen.map((url) => url.search)).toEqual(['?tag=x', '?tag=x&cursor=5', '?tag=x&cursor=10', '?tag=x&cursor=15', '?tag=x&cursor=20'])
  })

  it('computes a Stripe-style cursor from has_more and the last item', async () => {
    server.use(
      http.get(`${BASE}/charges`, ({ request }) => {
        const after = new URL(request.url).searchParams.get('starting_after')
        const start = after === null ? 0 : ITEMS.findIndex((item) => item.id === after) + 1
        return HttpResponse.json({ data: ITEMS.slice(start, start + 10), has_more: start + 10 < ITEMS.length })
      }),
    )
    const client = createClient({ baseUrl: BASE })
    const items = await collect(
      client.rest.paginate<{ id: string }>('/charges', {
        pagination: {
          style: 'cursor',
          items: 'data',
          cursorParam: 'starting_after',
          nextCursor: (body, page) => ((body as { has_more: boolean }).has_more ? (page.at(-1) as { id: string }).id : undefined),
        },
      }),
    )
    expect(items).toHaveLength(23)
  })

  it('follows RFC 8288 Link headers (GitHub style) and stops at maxItems without fetching further', async () => {
    const pages: string[] = []
    server.use(
      http.get(`${BASE}/repos/:owner/:repo/issues`, ({ request }) => {
        const url = new URL(request.url)
        pages.push(url.search)
        const page = Number(url.searchParams.get('page') ?? 1)
        const link = page < 5 ? `<${BASE}/repos/o/r/issues?per_page=5&page=${page + 1}>; rel="next", <${BASE}/repos/o/r/issues?page=5>; rel="last"` : ''
        return HttpResponse.json(ITEMS.slice((page - 1) * 5, page * 5), { headers: link ? { link } : {} })
      }),
    )
    const client = createClient({ baseUrl: BASE })
    const all = await collect(client.rest.paginate('/repos/{owner}/{repo}/issues', { pagination: { style: 'link' }, params: { path: { owner: 'o', repo: 'r' } } }))
    expect(all).toEqual(ITEMS)
    pages.length = 0
    const some = await collect(client.rest.paginate('/repos/{owner}/{repo}/issues', { pagination: { style: 'link' }, params: { path: { owner: 'o', repo: 'r' } }, maxItems: 7 }))
    expect(some).toEqual(ITEMS.slice(0, 7))
    expect(pages).toHaveLength(2)
  })

  it('walks page numbers until an empty page', async () => {
    server.use(
      http.get(`${BASE}/list`, ({ request }) => {
        const page = Number(new URL(request.url).searchParams.get('p'))
        return HttpResponse.json({ results: ITEMS.slice(page * 10, page * 10 + 10) })
      }),
    )
    const client = createClient({ baseUrl: BASE })
    const items = await collect(client.rest.paginate('/list', { pagination: { style: 'page', pageParam: 'p', firstPage: 0, items: 'results' } }))
    expect(items).toEqual(ITEMS)
  })

  it('gives one page at a time for a UI, with next to pass back', async () => {
    cursorApi()
    const client = createClient({ baseUrl: BASE })
    const pagination = { style: 'cursor', items: 'data', nextCursor: 'meta.next', cursorParam: 'cursor' } as const
    const first = await client.rest.page<{ id: string }>('/notes', { pagination })
    expect(first.items.map((item) => item.id)).toEqual(['n0', 'n1', 'n2', 'n3', 'n4'])
    expect(first.next).toBe('5')
    const second = await client.rest.page<{ id: string }>('/notes', { pagination, cursor: first.next })
    expect(second.items[0]?.id).toBe('n5')
    expect(second.response.status).toBe(200)
  })

  it('stops with a PaginationError when the server repeats a cursor', async () => {
    let hits = 0
    server.use(http.get(`${BASE}/stuck`, () => (hits++, HttpResponse.json({ data: [1], next: 'same' }))))
    const client = createClient({ baseUrl: BASE })
    const walk = collect(client.rest.paginate('/stuck', { pagination: { style: 'cursor', items: 'data', nextCursor: 'next', cursorParam: 'c' } }))
    await expect(walk).rejects.toMatchObject({ name: 'PaginationError', code: 'pagination_cycle' })
    expect(hits).toBe(2)
  })

  it('stops with a PaginationError when Link points back to a page already walked', async () => {
    server.use(
      http.get(`${BASE}/loop`, ({ request }) => {
        const page = new URL(request.url).searchParams.get('page') ?? '1'
        return HttpResponse.json([page], { headers: { link: `<${BASE}/loop?page=${page === '1' ? '2' : '1'}>; rel="next"` } })
      }),
    )
    const walk = collect(createClient({ baseUrl: BASE }).rest.paginate('/loop', { pagination: { style: 'link' } }))
    await expect(walk).rejects.toBeInstanceOf(PaginationError)
  })

  it('refuses to follow a Link off the API origin (the credential would go with it)', async () => {
    server.use(http.get(`${BASE}/leak`, () => HttpResponse.json([1], { headers: { link: '<https://evil.example/v1/leak?page=2>; rel="next"' } })))
    const client = createClient({ baseUrl: BASE, auth: 'tok_pagination' })
    await expect(collect(client.rest.paginate('/leak', { pagination: { style: 'link' } }))).rejects.toMatchObject({ code: 'pagination_bad_link' })
    await expect(client.rest.page('/leak', { pagination: { style: 'link' }, cursor: 'https://api.test/v2/other' })).rejects.toMatchObject({
      code: 'pagination_bad_link',
    })
  })

  it('stops when the signal aborts between pages', async () => {
    const seen = cursorApi()
    const controller = new AbortController()
    const client = createClient({ baseUrl: BASE })
    const out: unknown[] = []
    const walk = (async () => {
      for await (const item of client.rest.paginate('/notes', {
        pagination: { style: 'cursor', items: 'data', nextCursor: 'meta.next', cursorParam: 'cursor' },
        signal: controller.signal,
      })) {
        out.push(item)
        if (out.length === 6) controller.abort()
      }
    })()
    await expect(walk).rejects.toMatchObject({ name: 'AbortError' })
    expect(out).toHaveLength(6)
    expect(seen).toHaveLength(2)
  })

  it('says where the items were expected when a page has none', async () => {
    server.use(http.get(`${BASE}/odd`, () => HttpResponse.json({ data: 'nope' })))
    const client = createClient({ baseUrl: BASE })
    await expect(client.rest.page('/odd', { pagination: { style: 'link', items: 'data' } })).rejects.toThrow(/expected an array of items at data/)
  })
})

describe('bad pagination options', () => {
  const client = createClient({ baseUrl: BASE })

  it('are an InvalidRequestError naming the option, before anything is sent', async () => {
    const cases: [() => Promise<unknown>, string][] = [
      [() => collect(client.rest.paginate('/notes', { pagination: { style: 'link' }, maxItems: -1 })), 'maxItems'],
      [() => collect(client.rest.paginate('/notes', { pagination: undefined as never })), 'pagination'],
      [() => client.rest.page('/notes', { pagination: { style: 'offset' } as never }), 'pagination.style'],
      [() => client.rest.page('/notes', { pagination: { style: 'cursor', nextCursor: 'next' } as never }), 'pagination.cursorParam'],
      [() => client.rest.page('/notes', { pagination: { style: 'cursor', cursorParam: 'cursor', nextCursor: 3 } as never }), 'pagination.nextCursor'],
    ]
    // No handler is installed: a request would fail the test (onUnhandledFrame: 'error').
    for (const [run, field] of cases) {
      const error = await run().catch((e: unknown) => e)
      expect(error, field).toBeInstanceOf(InvalidRequestError)
      expect(error, field).not.toBeInstanceOf(PaginationError)
      expect(error, field).toMatchObject({ field, code: 'invalid_request' })
    }
  })
})

describe('nextLink (RFC 8288)', () => {
  it('finds rel=next among several links, bare or quoted, with several relation types', () => {
    expect(nextLink('<https://a/x?page=2>; rel="next", <https://a/x?page=9>; rel="last"')).toBe('https://a/x?page=2')
    expect(nextLink('<https://a/1>; rel=prev, <https://a/3>; rel=next')).toBe('https://a/3')
    expect(nextLink('<https://a/p,2>; title="a, b"; rel="next prefetch"')).toBe('https://a/p,2')
    expect(nextLink('<https://a/1>; rel="prev"')).toBeUndefined()
    expect(nextLink(null)).toBeUndefined()
  })
})
