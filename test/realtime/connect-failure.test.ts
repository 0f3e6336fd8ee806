import { type Server, createServer } from 'node:http'
import { type AddressInfo, createServer as createTcpServer } from 'node:net'
import WebSocket from 'ws'
import { describe, expect, it } from 'vitest'
import type { Logger, WebSocketConstructor } from '../../src/core/index.js'
import type { StateChange } from '../../src/realtime/index.js'
import { FakeClock, connectClient, onCleanup, startServer, until } from './support.js'
import { createRealtimeClient } from '../../src/realtime/index.js'

/** An HTTP server on 127.0.0.1 that answers every request, WebSocket upgrades included, with 404. */
async function notFoundServer(): Promise<{ url: string; requests: () => number }> {
  let requests = 0
  const server: Server = createServer((_, response) => {
    requests += 1
    response.writeHead(404).end('no such route')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  onCleanup(() => new Promise((resolve) => server.close(resolve)))
  return { url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/wrong`, requests: () => requests }
}

/** A port nothing listens on: bound, then closed, so it is free and refuses connections. */
async function refusedPort(): Promise<number> {
  const server = createTcpServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** A TCP server that accepts connections and never answers: a host that swallows the upgrade. */
async function silentServer(): Promise<string> {
  const sockets = new Set<import('node:net').Socket>()
  const server = createTcpServer((socket) => void sockets.add(socket))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  onCleanup(() => {
    for (const socket of sockets) socket.destroy()
    return new Promise((resolve) => server.close(resolve))
  })
  return `ws://127.0.0.1:${(server.address() as AddressInfo).port}/`
}

/** Records what a client reports: state changes, `error` events, debug log lines. */
function watch(client: ReturnType<typeof createRealtimeClient>) {
  const states: StateChange[] = []
  const errors: Array<{ code?: string; cause?: unknown; message: string }> = []
  client.on('state', (change) => states.push(change))
  client.on('error', (error) => errors.push(error as never))
  return { states, errors }
}

function logger(lines: string[]): Logger {
  const write = (message: string, fields?: unknown) => void lines.push(`${message} ${JSON.stringify(fields)}`)
  return { debug: write, info: write, warn: write, error: write }
}

describe('connect failures a user can see', () => {
  it('a refused upgrade (HTTP 404): the status in every state event and the log, one connect_failed error, ready rejected; retrying goes on', async () => {
    const { url, requests } = await notFoundServer()
    const lines: string[] = []
    const client = createRealtimeClient({ realtimeUrl: url, logger: logger(lines), logLevel: 'debug', realtime: { backoff: { base: 0, cap: 0 }, failedOpensBeforeError: 3 } })
    onCleanup(() => client.close())
    const { states, errors } = watch(client)
    const sub = client.subscribe('x', () => {})
    await expect(sub.ready).rejects.toMatchObject({ name: 'RealtimeError', code: 'connect_failed', closeCode: 1006 })
    expect(errors).toHaveLength(1)
    expect(errors[0]!.message).toContain('Unexpected server response: 404')
    expect(errors[0]!.cause).toBeInstanceOf(Error)
    expect(requests()).toBe(3)
    const reconnecting = states.filter((change) => change.state === 'reconnecting')
    expect(reconnecting[0]).toMatchObject({ closeCode: 1006, cause: 'Unexpected server response: 404', status: 404 })
    expect(lines.some((line) => line.startsWith('[wirekit] realtime: connection lost') && line.includes('"status":404'))).toBe(true)
    // It keeps trying, and reports once per run of failures, not per attempt.
    await until(() => requests() >= 6)
    expect(client.state).not.toBe('closed')
    expect(errors).toHaveLength(1)
    // A subscription made while it keeps failing is told at the next failure.
    await expect(client.subscribe('y', () => {}).ready).rejects.toMatchObject({ code: 'connect_failed' })
  })

  it('a refused port: the connect error (ECONNREFUSED) is the cause; maxRetries still ends it', async () => {
    const port = await refusedPort()
    const client = createRealtimeClient({ realtimeUrl: `ws://127.0.0.1:${port}`, realtime: { backoff: { base: 0, cap: 0 }, maxRetries: 6 } })
    onCleanup(() => client.close())
    const { states, errors } = watch(client)
    const sub = client.subscribe('x', () => {})
    await expect(sub.ready).rejects.toMatchObject({ code: 'connect_failed' })
    await until(() => client.state === 'closed')
    expect(errors.map((error) => error.code)).toEqual(['connect_failed', 'retries_exhausted'])
    expect((errors[0]!.cause as NodeJS.ErrnoException).code).toBe('ECONNREFUSED')
    expect(states.find((change) => change.state === 'reconnecting')?.cause).toMatch(/ECONNREFUSED/)
    expect(states.find((change) => change.state === 'reconnecting')).not.toHaveProperty('status')
    // The default: five failed opens before the error.
    expect(states.filter((change) => change.state === 'reconnecting')).toHaveLength(6)
  })

  it('a host that never answers: each connect times out on our own clock, and the fifth is reported', async () => {
    const url = await silentServer()
    const clock = new FakeClock()
    const client = createRealtimeClient({ realtimeUrl: url, timeout: 5_000, realtime: { clock, backoff: { base: 0, cap: 0 } } })
    onCleanup(() => client.close())
    const { states, errors } = watch(client)
    const sub = client.subscribe('x', () => {})
    let rejected: unknown
    sub.ready.catch((error) => (rejected = error))
    for (let attempt = 1; attempt <= 5; attempt++) {
      await until(() => client.inspect().socket)
      expect(errors).toHaveLength(0)
      clock.advance(5_000)
      clock.advance(0)
    }
    await until(() => rejected !== undefined)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatchObject({ code: 'connect_failed' })
    expect(errors[0]!.message).toContain('connect timed out')
    expect(states.at(-1)).toMatchObject({ state: 'reconnecting', closeReason: 'connect timed out' })
  })

  it('an error listener that closes the client on connect_failed leaves no timer or socket behind', async () => {
    const port = await refusedPort()
    const client = createRealtimeClient({ realtimeUrl: `ws://127.0.0.1:${port}`, realtime: { backoff: { base: 0, cap: 0 }, failedOpensBeforeError: 2 } })
    client.on('error', () => client.close())
    await expect(client.subscribe('x', () => {}).ready).rejects.toMatchObject({ code: 'connect_failed' })
    expect(client.state).toBe('closed')
    expect(client.inspect()).toMatchObject({ timers: [], socket: false, channels: 0 })
  })

  it('a connection that opens starts the count again: failures split by a good connection are never reported', async () => {
    const server = await startServer()
    const refused = `ws://127.0.0.1:${await refusedPort()}`
    // Each connect takes the next step of the plan: `bad` dials the refused port, `good` the server.
    const plan = ['bad', 'bad', 'good', 'bad', 'bad', 'good']
    class Flaky extends WebSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(plan.shift() === 'bad' ? refused : url, protocols)
      }
    }
    const client = connectClient(server, { WebSocket: Flaky as unknown as WebSocketConstructor, realtime: { failedOpensBeforeError: 3 } })
    const { states, errors } = watch(client)
    const opens = () => states.filter((change) => change.state === 'open').length
    await client.subscribe('x', () => {}).ready
    server.closeWith(4000, 'again')
    await until(() => opens() === 2)
    expect(plan).toEqual([])
    expect(errors).toHaveLength(0)

    // Three in a row are reported, once.
    plan.push('bad', 'bad', 'bad', 'bad', 'good')
    server.closeWith(4000, 'again')
    await until(() => opens() === 3)
    expect(errors).toEqual([expect.objectContaining({ code: 'connect_failed' })])
  })

  it('4001 answered again and again to a static token: after one refresh gives the same token, fatal as 4401', async () => {
    const server = await startServer({ authenticate: () => true })
    const client = connectClient(server, { auth: 'static-token' })
    const { states, errors } = watch(client)
    const sub = client.subscribe('x', () => {})
    await sub.ready
    server.expireTokens()
    await until(() => client.state === 'closed')
    expect(errors).toEqual([expect.objectContaining({ name: 'RealtimeError', code: 'unauthorized', closeCode: 4001 })])
    expect(server.counters.connections).toBe(1)
    expect(states.map((change) => change.state)).toEqual(['connecting', 'open', 'closed'])
  })

  it('4001 with a provider that keeps returning the same token is fatal after exactly one refresh', async () => {
    const server = await startServer({ authenticate: () => true })
    let calls = 0
    const stuck = connectClient(server, { auth: () => (calls++, 'same') })
    const { errors } = watch(stuck)
    await stuck.subscribe('x', () => {}).ready
    server.expireTokens()
    await until(() => stuck.state === 'closed')
    expect(calls).toBe(2)
    expect(errors).toEqual([expect.objectContaining({ code: 'unauthorized', closeCode: 4001 })])
  })
})
