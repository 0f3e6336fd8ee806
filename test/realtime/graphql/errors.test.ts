import { describe, expect, it } from 'vitest'
import { GraphQLSubscriptionError } from '../../../src/realtime/graphql/index.js'
import { until } from '../support.js'
import { COUNT, connectGraphQL } from './client.js'
import { type ServerKind, startGraphQLServer } from './servers.js'

describe.each<ServerKind>(['graphql-ws', 'graphql-yoga'])('subscription errors against %s', (kind) => {
  it('reach onError with the GraphQL errors; the other subscriptions go on', async () => {
    const server = await startGraphQLServer(kind)
    const client = connectGraphQL(server)
    const good: number[] = []
    const errors: unknown[] = []
    client.subscribe(COUNT, { every: 5 }, { onNext: ({ data }) => good.push((data as { count: number }).count) })
    const bad = client.subscribe(COUNT, { fail: true }, { onError: (error) => errors.push(error) })
    await expect(bad.ready).rejects.toBeInstanceOf(GraphQLSubscriptionError)
    const before = good.length
    await until(() => good.length >= before + 5)
    const error = errors[0] as GraphQLSubscriptionError
    console.log(`[acceptance] ${kind}: refused subscription → onError ${error.name} "${error.errors[0]?.message}"; the other went on (${good.length} results)`)
    expect(errors).toHaveLength(1)
    expect(error).toMatchObject({ code: 'graphql_errors' })
    expect(error.errors[0]?.message).toContain('boom')
    expect(client.realtime.state).toBe('open')
    expect(good).toEqual(good.map((_, i) => i + 1))
  })
})
