/**
 * Type tests, checked by `npm run typecheck` (tsc covers test/); vitest does not run this file
 * (`*.test-d.ts`), since there is nothing to execute: an `expectTypeOf` that does not hold or a
 * `@ts-expect-error` line that compiles fails the typecheck. Endpoint mode, and OpenAPI mode against
 * GitHub's published spec types.
 */
import type { components, paths } from '@octokit/openapi-types'
import { expectTypeOf } from 'vitest'
import { z } from 'zod'
import { type Client, createClient } from '../../src/index.js'
import { type Page, type RestClient, createRestClient, defineEndpoints, typed } from '../../src/rest/index.js'

export async function openApiMode() {
  const gh = createClient<paths>({ baseUrl: 'https://api.github.com', auth: 'ghp_x' })

  const repo = await gh.rest.GET('/repos/{owner}/{repo}', { params: { path: { owner: 'octocat', repo: 'hello' } } })
  expectTypeOf(repo).toEqualTypeOf<components['schemas']['full-repository']>()

  const issues = await gh.rest.GET('/repos/{owner}/{repo}/issues', {
    params: { path: { owner: 'o', repo: 'r' }, query: { state: 'open', per_page: 50 } },
  })
  expectTypeOf(issues).toEqualTypeOf<components['schemas']['issue'][]>()

  const created = await gh.rest.POST('/repos/{owner}/{repo}/issues', {
    params: { path: { owner: 'o', repo: 'r' } },
    body: { title: 'Bug', labels: ['bug'] },
    idempotencyKey: 'issue-1',
  })
  expectTypeOf(created).toEqualTypeOf<components['schemas']['issue']>()

  const zen = await gh.rest.GET('/zen')
  expectTypeOf(zen).toEqualTypeOf<string>()

  const removed = await gh.rest.DELETE('/repos/{owner}/{repo}', { params: { path: { owner: 'o', repo: 'r' } } })
  expectTypeOf(removed).toEqualTypeOf<undefined>()

  // @ts-expect-error: no such path in GitHub's API
  await gh.rest.GET('/repos/{owner}/{repo}/nonexistent', { params: { path: { owner: 'o', repo: 'r' } } })
  // @ts-expect-error: /zen has no POST
  await gh.rest.POST('/zen')
  // @ts-expect-error: the repo path parameter is missing
  await gh.rest.GET('/repos/{owner}/{repo}', { params: { path: { owner: 'o' } } })
  // @ts-expect-error: params are required when the path has parameters
  await gh.rest.GET('/repos/{owner}/{repo}')
  // @ts-expect-error: a query value of the wrong type
  await gh.rest.GET('/repos/{owner}/{repo}/issues', { params: { path: { owner: 'o', repo: 'r' }, query: { per_page: 'fifty' } } })
  // @ts-expect-error: the body lacks the required title
  await gh.rest.POST('/repos/{owner}/{repo}/issues', { params: { path: { owner: 'o', repo: 'r' } }, body: { body: 'no title' } })
  // @ts-expect-error: a body field of the wrong type
  await gh.rest.POST('/repos/{owner}/{repo}/issues', { params: { path: { owner: 'o', repo: 'r' } }, body: { title: 'x', assignees: 'me' } })
  // @ts-expect-error: the request body is required
  await gh.rest.POST('/repos/{owner}/{repo}/issues', { params: { path: { owner: 'o', repo: 'r' } } })

  // paginate() is typed by the spec too: GitHub's list bodies are the arrays themselves.
  for await (const issue of gh.rest.paginate('/repos/{owner}/{repo}/issues', {
    pagination: { style: 'link' },
    params: { path: { owner: 'o', repo: 'r' }, query: { per_page: 100 } },
    maxItems: 10,
  })) {
    expectTypeOf(issue).toEqualTypeOf<components['schemas']['issue']>()
  }
  // …and items at a path of the body: /installation/repositories answers { total_count, repositories }.
  for await (const repository of gh.rest.paginate('/installation/repositories', { pagination: { style: 'page', items: 'repositories' } })) {
    expectTypeOf(repository).toExtend<components['schemas']['repository']>()
    expectTypeOf(repository.full_name).toEqualTypeOf<string>()
  }
  // @ts-expect-error: a path not in the spec
  gh.rest.paginate('/repos/{owner}/{repo}/nope', { pagination: { style: 'link' }, params: { path: { owner: 'o', repo: 'r' } } })
  // @ts-expect-error: a missing path parameter
  gh.rest.paginate('/repos/{owner}/{repo}/issues', { pagination: { style: 'link' }, params: { path: { owner: 'o' } } })
  // A path outside the spec goes through page() (or request()), typed by the caller.
  expectTypeOf(await gh.rest.page<{ id: number }>('/anything', { pagination: { style: 'link' } })).toEqualTypeOf<Page<{ id: number }>>()

  const alone = createRestClient<paths>({ baseUrl: 'https://api.github.com' })
  expectTypeOf(await alone.GET('/zen')).toEqualTypeOf<string>()
  // @ts-expect-error: the standalone client is typed by the same spec
  await alone.GET('/nope')

  // OpenAPI mode keeps the rest of the surface, and adds endpoints on top.
  const withHealth = gh.rest.withEndpoints({ health: { method: 'GET', path: '/health', response: typed<{ ok: boolean }>() } })
  expectTypeOf(await withHealth.health()).toEqualTypeOf<{ ok: boolean }>()
  expectTypeOf(await withHealth.GET('/zen')).toEqualTypeOf<string>()
  expectTypeOf(gh.rest.withOptions({ retry: 5 })).toEqualTypeOf(gh.rest)
}

export async function endpointMode() {
  const Note = z.object({ id: z.string(), text: z.string() })
  const endpoints = defineEndpoints({
    getNote: { method: 'GET', path: '/notes/{id}', response: Note },
    tagNote: { method: 'PUT', path: '/notes/{id}/tags/{tag}', response: typed<{ tags: string[] }>() },
    createNote: { method: 'POST', path: '/notes', body: typed<{ text: string }>(), response: Note },
    search: { method: 'GET', path: '/search', query: typed<{ q: string; limit?: number }>(), response: typed<string[]>() },
    ping: { method: 'GET', path: '/ping' },
  })
  const client = createClient({ baseUrl: 'https://api.example.com', rest: { endpoints } })
  expectTypeOf(client).toExtend<Client<RestClient>>()

  expectTypeOf(await client.rest.getNote({ id: '1' })).toEqualTypeOf<{ id: string; text: string }>()
  expectTypeOf(await client.rest.tagNote({ id: 1, tag: 'x' })).toEqualTypeOf<{ tags: string[] }>()
  expectTypeOf(await client.rest.createNote({ body: { text: 'hi' } })).toEqualTypeOf<{ id: string; text: string }>()
  expectTypeOf(await client.rest.search({ query: { q: 'a' } })).toEqualTypeOf<string[]>()
  expectTypeOf(await client.rest.ping()).toEqualTypeOf<unknown>()
  await client.rest.getNote({ id: '1' }, { signal: AbortSignal.timeout(1000), timeout: 5000 })

  // @ts-expect-error: no such endpoint
  await client.rest.getNotes({ id: '1' })
  // @ts-expect-error: the path parameter is missing
  await client.rest.getNote({})
  // @ts-expect-error: the input is required when the path has parameters
  await client.rest.getNote()
  // @ts-expect-error: one of two path parameters is missing
  await client.rest.tagNote({ id: 1 })
  // @ts-expect-error: a body of the wrong shape
  await client.rest.createNote({ body: { txt: 'hi' } })
  // @ts-expect-error: the body is required
  await client.rest.createNote({})
  // @ts-expect-error: the query's required q is missing
  await client.rest.search({ query: { limit: 3 } })
  // @ts-expect-error: an unknown call option
  await client.rest.ping({}, { retries: 3 })

  const alone = createRestClient({ baseUrl: 'https://api.example.com', rest: { endpoints } })
  expectTypeOf(await alone.getNote({ id: 'x' })).toEqualTypeOf<{ id: string; text: string }>()

  // Without endpoints or paths: the untyped escape hatch, typed by the caller.
  const plain = createClient({ baseUrl: 'https://api.example.com' })
  expectTypeOf(await plain.rest.request<{ n: number }>('GET', '/n')).toEqualTypeOf<{ n: number }>()
  // @ts-expect-error: endpoints do not exist on a client that defined none
  await plain.rest.getNote({ id: '1' })
  const bare = createClient()
  // @ts-expect-error: nor on one made without options
  await bare.rest.getNote({ id: '1' })
  const options: Parameters<typeof createClient>[0] = { baseUrl: 'https://api.example.com' }
  // @ts-expect-error: nor on one made from options typed only as ClientOptions
  await createClient(options).rest.anything()
  expectTypeOf(plain.rest.paginate<{ id: number }>('/anything', { pagination: { style: 'link' } })).toEqualTypeOf<AsyncGenerator<{ id: number }, void, undefined>>()
}
