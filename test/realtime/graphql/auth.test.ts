import { describe, expect, it } from 'vitest'
import { RealtimeError } from '../../../src/realtime/index.js'
import { until } from '../support.js'
import { COUNT, connectGraphQL } from './client.js'
import { type ServerKind, startGraphQLServer } from './servers.js'

/** Accepts `Bearer good`; closes `Bearer expired` with 4401; refuses anything else (4403). */
const authorize = (params: unknown) => {
  const header = (params as { authorization?: string } | undefined)?.authorization
  return header === 'Bearer good' ? true : header === 'Bearer expired' ? 4401 : false
}

describe.each<ServerKind>(['graphql-ws', 'graphql-yoga'])('auth against %s', (kind) => {
  it('a refused connection_init (4403) is fatal, with a typed error', async () => {
    const server = await startGraphQLServer(kind, authorize)
    const client = connectGraphQL(server, { auth: 'wrong' })
    const errors: unknown[] = []
    const sub = client.subscribe(COUNT, {}, { onError: (error) => errors.push(error) })
    await expect(sub.ready).rejects.toMatchObject({ name: 'RealtimeError', code: 'forbidden', closeCode: 4403 })
    expect(client.realtime.state).toBe('closed')
    expect(errors[0]).toBeInstanceOf(RealtimeError)
    expect(server.connections()).toBe(1)
    expect(server.inits).toEqual([{ authorization: 'Bearer wrong' }])
    console.log(`[acceptance] ${kind}: refused connection_init → ${server.connections()} connection, client closed with ${(errors[0] as RealtimeError).code} (${(errors[0] as RealtimeError).closeCode})`)
  })

  it('an expired token (4401) is refreshed through the shared Auth once, and the client reconnects', async () => {
    const server = await startGraphQLServer(kind, authorize)
    const tokens = ['expired', 'good']
    let calls = 0
    const client = connectGraphQL(server, { auth: () => tokens[calls++]! })
    const results: number[] = []
    const sub = client.subscribe(COUNT, { every: 5 }, { onNext: ({ data }) => results.push((data as { count: number }).count) })
    await sub.ready
    await until(() => results.length >= 3)
    console.log(`[acceptance] ${kind}: expired token → provider called ${calls} times, ${server.connections()} connections, results flowing (${results.length})`)
    expect(calls).toBe(2)
    expect(server.connections()).toBe(2)
    expect(server.inits).toEqual([{ authorization: 'Bearer expired' }, { authorization: 'Bearer good' }])
    expect(client.realtime.state).toBe('open')
  })

  it('the connection_init payload shape is configurable', async () => {
    const server = await startGraphQLServer(kind, (params) => (params as { headers?: { Authorization?: string } }).headers?.Authorization === 'Bearer good')
    const client = connectGraphQL(server, { auth: 'good', graphql: { connectionParams: (token) => ({ headers: { Authorization: `Bearer ${token}` } }) } })
    await client.subscribe(COUNT, { every: 5 }).ready
    expect(server.inits).toEqual([{ headers: { Authorization: 'Bearer good' } }])
  })
})
