/**
 * Walking a list across pages: cursor-in-body (Stripe/Slack style), RFC 8288 `Link` headers (GitHub
 * style) and page numbers. As an async iterator over items with a `maxItems` limit and the call's
 * AbortSignal, or one page at a time for a UI. A cursor or link the walk has already seen ends it
 * with a PaginationError instead of looping forever.
 */
import type { CallOptions, RestEngine } from './engine.js'
import { InvalidRequestError, PaginationError } from './errors.js'
import { type QueryValue, isUnderBase } from './url.js'

/**
 * The next cursor is a field of the body (`nextCursor: 'next_cursor'`, dotted paths allowed), or
 * computed from the body and the page's items (Stripe: `has_more` plus the last item's id).
 */
export interface CursorPagination {
  /** Selects cursor-in-body paging. */
  style: 'cursor'
  /** Where the items are in the body, e.g. `data`; omit when the body is the array. */
  items?: string
  /** The body field holding the next cursor, or a function returning it; empty or absent ends the walk. */
  nextCursor: string | ((body: unknown, items: readonly unknown[]) => string | number | null | undefined)
  /** The query parameter the cursor is sent back in, e.g. `cursor` or `starting_after`. */
  cursorParam: string
}

/** The next page is the `rel="next"` URL of the `Link` header (RFC 8288), as GitHub does it. */
export interface LinkPagination {
  /** Selects `Link`-header paging. */
  style: 'link'
  /** Where the items are in the body; omit when the body is the array. */
  items?: string
}

/** Page numbers in a query parameter; an empty page ends the walk. */
export interface PagePagination {
  /** Selects page-number paging. */
  style: 'page'
  /** Where the items are in the body; omit when the body is the array. */
  items?: string
  /**
   * The query parameter the page number is sent in.
   * @default 'page'
   */
  pageParam?: string
  /**
   * The page number asked for when neither `cursor` nor `params.query` gives one.
   * @default 1
   */
  firstPage?: number
}

/** How a list endpoint pages. */
export type Pagination = CursorPagination | LinkPagination | PagePagination

/** Options of {@link RestClient.page}. */
export interface PageOptions extends CallOptions {
  /** How the endpoint pages. */
  pagination: Pagination
  /** Path parameters and the query of the first page. */
  params?: {
    /** Values for the path's `{name}` placeholders. */
    path?: Record<string, string | number>
    /** Query values of the first page; the paging parameter is added to them. */
    query?: Record<string, QueryValue>
  }
  /** The `next` of the previous page; omit for the first page. */
  cursor?: string
}

/** Options of {@link RestClient.paginate}. */
export interface PaginateOptions extends Omit<PageOptions, 'cursor'> {
  /**
   * Stop after this many items.
   * @default Infinity
   */
  maxItems?: number
}

/** One page of a list. */
export interface Page<Item> {
  /** The items of this page, from the body or from `pagination.items` in it. */
  items: Item[]
  /** Pass as `cursor` to get the next page; `undefined` on the last page. */
  next: string | undefined
  /** The page's HTTP response, e.g. for its headers. */
  response: Response
}

/** Fetches one page. */
export async function fetchPage<Item>(engine: RestEngine, path: string, options: PageOptions): Promise<Page<Item>> {
  const { pagination, params, cursor, ...call } = options
  checkPagination(pagination)
  const query: Record<string, QueryValue> = { ...params?.query }
  let url: string | undefined
  if (pagination.style === 'link') {
    if (cursor !== undefined) url = checkLink(engine, cursor)
  } else if (pagination.style === 'cursor') {
    if (cursor !== undefined) query[pagination.cursorParam] = cursor
  } else {
    const param = pagination.pageParam ?? 'page'
    query[param] = cursor ?? query[param] ?? pagination.firstPage ?? 1
  }
  const { data, response } = await engine.send<unknown>({
    method: 'GET',
    path,
    pathParams: params?.path,
    query,
    url,
    options: call,
  })
  const items = itemsOf(data, pagination.items, path)
  return { items: items as Item[], next: nextOf(pagination, data, items, response, query), response }
}

/** Walks every item across pages. */
export async function* paginate<Item>(engine: RestEngine, path: string, options: PaginateOptions): AsyncGenerator<Item, void, undefined> {
  const { maxItems = Number.POSITIVE_INFINITY, ...pageOptions } = options
  if (typeof maxItems !== 'number' || Number.isNaN(maxItems) || maxItems < 0) {
    throw new InvalidRequestError('maxItems', 'must be a number, 0 or more')
  }
  if (maxItems === 0) return
  const seen = new Set<string>()
  let cursor: string | undefined
  let count = 0
  for (;;) {
    pageOptions.signal?.throwIfAborted()
    const page: Page<Item> = await fetchPage<Item>(engine, path, cursor === undefined ? pageOptions : { ...pageOptions, cursor })
    for (const item of page.items) {
      // The caller may abort while holding an item; the rest of this page is not handed out.
      pageOptions.signal?.throwIfAborted()
      yield item
      if (++count >= maxItems) return
    }
    if (page.next === undefined) return
    if (seen.has(page.next)) {
      throw new PaginationError(`GET ${path}: the server repeated a ${pageOptions.pagination.style === 'link' ? 'next link' : pageOptions.pagination.style} it already gave; stopping instead of looping`, {
        code: 'pagination_cycle',
      })
    }
    seen.add(page.next)
    cursor = page.next
  }
}

/** Refuses a `pagination` option that cannot work, before anything is sent. */
function checkPagination(value: unknown): asserts value is Pagination {
  const record = value as { style?: unknown; cursorParam?: unknown; nextCursor?: unknown } | null | undefined
  if (typeof record !== 'object' || record === null) {
    throw new InvalidRequestError('pagination', "must be { style: 'cursor' | 'link' | 'page', … }")
  }
  if (record.style === 'cursor') {
    if (typeof record.cursorParam !== 'string' || record.cursorParam === '') {
      throw new InvalidRequestError('pagination.cursorParam', 'must name the query parameter the cursor goes in')
    }
    if (typeof record.nextCursor !== 'string' && typeof record.nextCursor !== 'function') {
      throw new InvalidRequestError('pagination.nextCursor', 'must be a body field path or a function')
    }
  } else if (record.style !== 'link' && record.style !== 'page') {
    throw new InvalidRequestError('pagination.style', "must be 'cursor', 'link' or 'page'")
  }
}

/** A link the server (or a caller holding a stale cursor) gave: only ever followed under baseUrl. */
function checkLink(engine: RestEngine, link: string): string {
  const base = engine.context.config.baseUrl
  let url: URL
  try {
    url = new URL(link)
  } catch {
    throw new PaginationError('the next-page link is not an absolute URL', { code: 'pagination_bad_link' })
  }
  if (!base || !isUnderBase(url, base) || url.username || url.password) {
    // Following it would send the credential to someone else.
    throw new PaginationError(`the next-page link leaves the API (${url.origin}); not following it`, { code: 'pagination_bad_link' })
  }
  return url.href
}

function itemsOf(body: unknown, where: string | undefined, path: string): unknown[] {
  const value = where === undefined ? body : dig(body, where)
  if (!Array.isArray(value)) {
    throw new PaginationError(`GET ${path}: expected an array of items at ${where ?? 'the body root'}, got ${value === null ? 'null' : typeof value}`, {
      code: 'pagination_bad_page',
    })
  }
  return value
}

function nextOf(pagination: Pagination, body: unknown, items: unknown[], response: Response, query: Record<string, QueryValue>): string | undefined {
  if (pagination.style === 'link') {
    const link = nextLink(response.headers.get('link'))
    if (link === undefined) return undefined
    // A relative target resolves against the page it came from; checkLink vets it before use.
    try {
      return new URL(link, response.url || undefined).href
    } catch {
      return link
    }
  }
  if (pagination.style === 'cursor') {
    const raw = typeof pagination.nextCursor === 'function' ? pagination.nextCursor(body, items) : dig(body, pagination.nextCursor)
    if (raw === undefined || raw === null || raw === '' || raw === false) return undefined
    if (typeof raw !== 'string' && typeof raw !== 'number') {
      throw new PaginationError('the next cursor is neither a string nor a number', { code: 'pagination_bad_page' })
    }
    return String(raw)
  }
  if (items.length === 0) return undefined
  const current = Number(query[pagination.pageParam ?? 'page'])
  return Number.isFinite(current) ? String(current + 1) : undefined
}

function dig(body: unknown, path: string): unknown {
  let value = body
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined
    value = (value as Record<string, unknown>)[key]
  }
  return value
}

/**
 * The `rel="next"` target of an RFC 8288 Link header. Handles several links, quoted or bare rel
 * values, several relation types in one rel, and commas inside `<…>`.
 */
export function nextLink(header: string | null): string | undefined {
  if (!header) return undefined
  const pattern = /<([^>]*)>((?:\s*;\s*[^;,=\s]+(?:\s*=\s*(?:"[^"]*"|[^;,\s]*))?)*)/g
  for (const match of header.matchAll(pattern)) {
    const params = match[2] ?? ''
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^;,\s]+))/i.exec(params)
    const relations = (rel?.[1] ?? rel?.[2] ?? '').toLowerCase().split(/\s+/)
    if (relations.includes('next')) return match[1]
  }
  return undefined
}
