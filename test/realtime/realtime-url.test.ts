// realtimeUrl as a list tried in turn, or a function called before every connection attempt (issue 13,
// item 4): clients spread over several server processes and move on when one dies.
import { type Server, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { ConfigError, type Logger } from '../../src/core/index.js'
import { type RealtimeClient, type RealtimeClientOptions, type StateChange, createRealtimeClient } from '../../src/realtime/index.js'
import { createRealtimeServer } from '../../src/server/index.js'
import { onCleanup, startServer, until } from './support.js'

/** A client with no backoff, closed after the test, with what it reports. */
function watched(options: RealtimeClientOptions) {
  const lines: string[] = []
  const write = (message: string, fields?: unknown) => void lines.push(`${message} ${JSON.stringify(fields)}`)
  const logger: Logger = { debug: write, info: write, warn: write, error: write }
  const client: RealtimeClient = createRealtimeClient({ logger, logLevel: 'debug', ...options, realtime: { backoff: { base: 0, cap: 0 }, ...options.realtime } })
  onCleanup(() => client.close())
  const states: StateChange[] = []
  const errors: unknown[] = []
  client.on('state', (change) => states.push(change))
  client.on('error', (error) => errors.push(error))
  return { client, states, errors, lines }
}

/** A real HTTP server on 127.0.0.1 answering every request, WebSocket upgrades included, with 404: an open that fails. */
async function notFoundServer(): Promise<string> {
  const server: Server = createServer((_, response) => response.writeHead(404).end())
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  onCleanup(() => new Promise((resolve) => server.close(resolve)))
  return `ws://127.0.0.1:${(server.address() as AddressInfo).port}/`
}

describe('realtimeUrl as a list', () => {
  it('starts at the entry the random source picks and takes the next after a failed open', async () => {
    const refused = await notFoundServer()
    const server = await startServer()
    // random() · 2 entries = 0: the first entry, which refuses the upgrade.
    const { client, states } = watched({ realtimeUrl: [refused, server.url], realtime: { random: () => 0 } })
    await client.subscribe('news', () => {}).ready
    expect(states.map(({ state, status }) => `${state}${status ? ` ${status}` : ''}`)).toEqual(['connecting', 'reconnecting 404', 'open 404'])
    expect(server.counters.connections).toBe(1)
  })

  it('takes the next entry at every reconnect, wrapping round, so a client whose server drops it moves on', async () => {
    const [a, b] = [await startServer(), await startServer()]
    // random() · 2 entries = 1.98: the second entry first.
    const { client } = watched({ realtimeUrl: [a.url, b.url], realtime: { random: () => 0.99 } })
    await client.subscribe('news', () => {}).ready
    const connections = () => [a.counters.connections, b.counters.connections]
    expect(connections()).toEqual([0, 1])
    b.drop()
    await until(() => a.counters.open === 1 && client.state === 'open', 5_000, 'the move to a')
    expect(connections()).toEqual([1, 1])
    a.drop()
    await until(() => b.counters.open === 1 && client.state === 'open', 5_000, 'the move back to b')
    expect(connections()).toEqual([1, 2])
  })

  it('spreads clients over the servers: each starts where its random source points', async () => {
    const servers = [await startServer(), await startServer(), await startServer()]
    const urls = servers.map((server) => server.url)
    const clients = [0, 0.4, 0.7, 0.2, 0.9, 0.5].map((draw) => watched({ realtimeUrl: urls, realtime: { random: () => draw } }).client)
    await Promise.all(clients.map((client) => client.subscribe('news', () => {}).ready))
    expect(servers.map((server) => server.counters.connections)).toEqual([2, 2, 2])
  })
})

describe('realtimeUrl as a function', () => {
  it('is called before every connection attempt with { attempt }, may be async, and its URL is the one connected to', async () => {
    const [a, b] = [await startServer(), await startServer()]
    const calls: number[] = []
    const { client } = watched({
      realtimeUrl: async ({ attempt }) => {
        calls.push(attempt)
        await new Promise((resolve) => setTimeout(resolve, 1))
        return attempt === 0 ? a.url : new URL(b.url)
      },
    })
    await client.subscribe('news', () => {}).ready
    expect(calls).toEqual([0])
    expect(a.counters.connections).toBe(1)
    a.drop()
    await until(() => b.counters.open === 1 && client.state === 'open', 5_000, 'the connection to b')
    expect(calls).toEqual([0, 1])
  })

  it('a plain function works too, and an http(s) URL it returns is turned into ws(s)', async () => {
    const server = await startServer()
    const { client } = watched({ realtimeUrl: () => server.url.replace('ws:', 'http:') })
    await client.subscribe('news', () => {}).ready
    expect(server.counters.connections).toBe(1)
  })

  it('refuses what it returns that realtimeUrl would refuse, with a ConfigError naming realtimeUrl(); a throw passes through; both are retried', async () => {
    const server = await startServer()
    // A credential a careless function puts in the URL: refused, and never printed anywhere.
    const secret = 'sk_live_never_in_a_url'
    const thrown = new Error('service discovery is down')
    const answers: Array<() => string> = [
      () => 'ftp://rt.example/live',
      () => {
        throw thrown
      },
      () => `${server.url}?token=${secret}`,
      () => server.url.replace('ws://', `ws://user:${secret}@`),
      () => server.url,
    ]
    let calls = 0
    const { client, errors, states, lines } = watched({ realtimeUrl: () => answers[calls++]!() })
    await client.subscribe('news', () => {}).ready
    expect(calls).toBe(5)
    expect(errors[1]).toBe(thrown)
    for (const index of [0, 2, 3]) expect(errors[index]).toMatchObject({ name: 'ConfigError', field: 'realtimeUrl()' })
    expect(errors[0]).toBeInstanceOf(ConfigError)
    expect((errors[0] as Error).message).toBe('realtimeUrl(): must use ws: or wss: or http: or https:, got ftp:')
    expect((errors[2] as Error).message).toContain('must not have a query')
    expect((errors[3] as Error).message).toContain('must not carry credentials')
    expect(errors).toHaveLength(4)
    expect(states.filter((change) => change.state === 'reconnecting').map((change) => change.closeReason)).toEqual(Array(4).fill('realtimeUrl failed'))
    const printed = [...lines, ...errors.map(String), JSON.stringify(states)]
    expect(printed.filter((text) => text.includes(secret))).toEqual([])
  })
})

describe('realtimeUrl across real servers', () => {
  it('a client moves to the second of two createRealtimeServer instances when the first is closed', async () => {
    const [first, second] = [await createRealtimeServer({ port: 0 }), await createRealtimeServer({ port: 0 })]
    onCleanup(() => first.close({ drainMs: 0 }))
    onCleanup(() => second.close({ drainMs: 0 }))
    const { client } = watched({ realtimeUrl: [first.url, second.url], realtime: { random: () => 0 } })
    const seen: string[] = []
    const gaps: string[] = []
    const sub = client.subscribe('news', { onEvent: (event) => seen.push(event.data as string), onGap: (gap) => gaps.push(gap.reason) })
    await sub.ready
    await first.publish('news', 'posted', 'from the first')
    await until(() => seen.length === 1, 5_000, 'the first event')
    await first.close({ drainMs: 0 })
    // The second server has its own history (a memory engine each), so the resumed subscription reports a gap there.
    await until(() => gaps.length === 1 && client.state === 'open', 5_000, 'the subscription on the second server')
    await second.publish('news', 'posted', 'from the second')
    await until(() => seen.length === 2, 5_000, 'the second event')
    expect(seen).toEqual(['from the first', 'from the second'])
    expect(gaps).toEqual(['history_lost'])
  })
})
