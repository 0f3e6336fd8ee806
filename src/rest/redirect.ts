/**
 * Following redirects without leaking credentials. Requests go out with `redirect: 'manual'` and this
 * wrapper follows them: same-origin hops keep every header, a hop to another origin drops the
 * credential header. The Fetch standard strips only `Authorization` on such a hop; an API key sent
 * as `x-api-key` would go along, and an injected `fetch` may not strip anything.
 */
import { ConnectionError } from '../core/index.js'

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])
const MAX_REDIRECTS = 20

/**
 * Wraps `fetchImpl` so redirects are followed here. `credentialHeaders` are the lower-case header
 * names that carry the credential.
 */
export function redirectSafeFetch(fetchImpl: typeof fetch, credentialHeaders: readonly string[]): typeof fetch {
  return (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init)
    // Keep a copy of the body for 307/308, which must resend it; only writes have one.
    const replay = request.body === null ? undefined : request.clone()
    // perf: docs/performance.md#rest-redirect-guard
    return fetchImpl(request, init).then((response) =>
      REDIRECT_STATUSES.has(response.status) || response.type === 'opaqueredirect' ? follow(fetchImpl, credentialHeaders, request, replay, response, init) : response,
    )
  }
}

async function follow(
  fetchImpl: typeof fetch,
  credentialHeaders: readonly string[],
  request: Request,
  replay: Request | undefined,
  response: Response,
  init: RequestInit | undefined,
): Promise<Response> {
  for (let hop = 0; REDIRECT_STATUSES.has(response.status); hop++) {
    const location = response.headers.get('location')
    if (location === null) return response
    if (hop >= MAX_REDIRECTS) {
      await response.body?.cancel().catch(() => undefined)
      throw new ConnectionError(`more than ${MAX_REDIRECTS} redirects`, { code: 'too_many_redirects' })
    }
    const next = new URL(location, request.url)
    const headers = new Headers(request.headers)
    if (next.origin !== new URL(request.url).origin) {
      for (const name of credentialHeaders) headers.delete(name)
    }
    // 303, and 301/302 after a POST, become a GET without a body (Fetch standard, HTTP-redirect fetch).
    const toGet = response.status === 303 ? request.method !== 'HEAD' : (response.status === 301 || response.status === 302) && request.method === 'POST'
    let method = request.method
    let body: BodyInit | null = null
    if (toGet) {
      method = 'GET'
      for (const name of ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location']) headers.delete(name)
    } else if (replay) {
      body = await replay.arrayBuffer()
    }
    await response.body?.cancel().catch(() => undefined)
    request = new Request(next, { method, headers, body, signal: request.signal, redirect: 'manual' })
    replay = body === null ? undefined : request.clone()
    response = await fetchImpl(request, init)
  }
  // A browser hides a manual redirect (`opaqueredirect`, status 0). Let the browser follow it: its
  // Fetch implementation strips Authorization on a cross-origin hop itself.
  if (response.type === 'opaqueredirect') {
    const headers = new Headers(request.headers)
    for (const name of credentialHeaders) if (name !== 'authorization') headers.delete(name)
    return fetchImpl(new Request(request, { headers, redirect: 'follow' }))
  }
  return response
}
