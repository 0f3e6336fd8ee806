import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { createRealtimeServer } from '../../src/server/index.js'
import { onCleanup, raw, startServer, until, welcomed } from './support.js'

describe('createRealtimeServer: mounting', () => {
  it('mounts on an existing http.Server at /realtime and leaves other paths and plain requests to it', async () => {
    const http = createServer((_, response) => response.end('rest'))
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
    onCleanup(() => new Promise((resolve) => http.close(resolve)))
    onCleanup(() => http.closeAllConnections())
    const realtime = await createRealtimeServer({ server: http, heartbeatMs: 1234 })
    onCleanup(() => realtime.close({ drainMs: 0 }))
    const { port } = http.address() as AddressInfo
    expect(realtime.url).toBe(`ws://127.0.0.1:${port}/realtime`)
    expect(await (await fetch(`http://127.0.0.1:${port}/notes`)).text()).toBe('rest')
    const client = await raw(realtime.url)
    expect(client.socket.protocol).toBe('wirekit.v1')
    expect(await client.next((f) => f.type === 'welcome')).toEqual({ type: 'welcome', heartbeatMs: 1234 })
    // Another path is not ours: it is left to the http server's other upgrade listeners.
    const others: string[] = []
    http.on('upgrade', (request, socket) => {
      if (request.url !== '/realtime') {
        others.push(request.url!)
        socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\n\r\n')
      }
    })
    await expect(raw(`ws://127.0.0.1:${port}/elsewhere`)).rejects.toThrow('HTTP 404')
    expect(others).toEqual(['/elsewhere'])
    expect(realtime.connections).toBe(1)
  })

  it('listens on its own port on loopback and refuses a subprotocol it does not speak', async () => {
    const server = await startServer()
    expect(server.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/realtime$/)
    await expect(raw(server.url, 'graphql-ws')).rejects.toThrow()
  })
})

describe('frames', () => {
  it('answers ping with pong, subscribe with the head, and replays after `from` or says recovered:false', async () => {
    const server = await startServer()
    const first = await server.publish('ch', 'e', 1)
    await server.publish('ch', 'e', 2)
    await server.publish('ch', 'e', 3)
    expect(first.offset).toBe('1')
    const client = await welcomed(server.url)
    client.send({ type: 'ping', t: 42 })
    expect(await client.next((f) => f.type === 'pong')).toEqual({ type: 'pong', t: 42 })
    client.send({ type: 'subscribe', id: 's1', channel: 'ch', from: { offset: '1', epoch: first.epoch } })
    expect(await client.next((f) => f.type === 'subscribed')).toEqual({ type: 'subscribed', id: 's1', channel: 'ch', offset: '3', epoch: first.epoch, recovered: true })
    await until(() => client.frames.filter((f) => f.type === 'event').length === 2)
    expect(client.frames.filter((f) => f.type === 'event').map((f) => f.data)).toEqual([2, 3])
    client.send({ type: 'subscribe', id: 's2', channel: 'ch', from: { offset: '2', epoch: 'another' } })
    expect(await client.next((f) => f.id === 's2')).toMatchObject({ type: 'subscribed', recovered: false, offset: '3' })
    await server.publish('ch', 'e', 4)
    expect(await client.next((f) => f.type === 'event' && f.data === 4)).toMatchObject({ offset: '4', epoch: first.epoch, name: 'e', channel: 'ch' })
    client.send({ type: 'unsubscribe', id: 'u1', channel: 'ch' })
    expect(await client.next((f) => f.type === 'unsubscribed')).toEqual({ type: 'unsubscribed', id: 'u1', channel: 'ch' })
    const seen = client.frames.length
    await server.publish('ch', 'e', 5)
    client.send({ type: 'ping', t: 1 })
    await client.next((f) => f.type === 'pong' && f.t === 1, seen)
    expect(client.frames.slice(seen).some((f) => f.type === 'event')).toBe(false)
  })

  it('applies a client publish exactly once per id and acks every resend', async () => {
    const server = await startServer()
    const watcher = await welcomed(server.url)
    watcher.send({ type: 'subscribe', id: 's', channel: 'orders' })
    await watcher.next((f) => f.type === 'subscribed')
    const publisher = await welcomed(server.url)
    for (let i = 0; i < 3; i++) publisher.send({ type: 'publish', id: 'p-1', channel: 'orders', name: 'created', data: { n: 1 } })
    await until(() => publisher.frames.filter((f) => f.type === 'ack').length === 3)
    // A resend on another connection (the client reconnected) is still the same publish.
    const again = await welcomed(server.url)
    again.send({ type: 'publish', id: 'p-1', channel: 'orders', name: 'created', data: { n: 1 } })
    await again.next((f) => f.type === 'ack' && f.id === 'p-1')
    const next = await server.publish('orders', 'x', null)
    expect(next.offset).toBe('2')
    await until(() => watcher.frames.filter((f) => f.type === 'event').length === 2)
    expect(watcher.frames.filter((f) => f.type === 'event').map((f) => f.name)).toEqual(['created', 'x'])
  })

  it('decides what the protocol leaves open: malformed frames get invalid_frame, unknown types are ignored', async () => {
    const server = await startServer()
    const client = await welcomed(server.url)
    client.send('not json')
    expect(await client.next((f) => f.type === 'error')).toEqual({ type: 'error', code: 'invalid_frame', message: expect.any(String) })
    client.socket.send(Buffer.from([1, 2, 3]), { binary: true })
    await until(() => client.frames.filter((f) => f.type === 'error').length === 2)
    client.send({ type: 'subscribe', id: 'bad', channel: 'c', from: { offset: '01', epoch: 'e' } })
    expect(await client.next((f) => f.id === 'bad')).toMatchObject({ type: 'error', code: 'invalid_frame' })
    client.send({ type: 'publish', id: 'p', channel: '', name: 'n' })
    expect(await client.next((f) => f.id === 'p')).toMatchObject({ type: 'error', code: 'invalid_publish' })
    const before = client.frames.length
    client.send({ type: 'shiny-new-thing', id: 'n' })
    client.send({ type: 'ping', t: 9 })
    await client.next((f) => f.type === 'pong' && f.t === 9, before)
    expect(client.frames.length).toBe(before + 1)
  })
})

describe('authentication and authorization', () => {
  const users: Record<string, { name: string; channels: string[] }> = { 'token-a': { name: 'a', channels: ['A'] } }
  const options = {
    authenticate: (token: string) => users[token] ?? (token === 'old' ? ({ refused: 'expired' } as const) : undefined),
    authorize: (user: { channels: string[] } | undefined, _action: string, channel: string) => user?.channels.includes(channel) === true,
  }

  it('closes with 4401 for a refused token, no auth frame in time, or another frame first; 4001 for an expired one', async () => {
    const { refuse } = await import('../../src/server/index.js')
    const server = await startServer({ ...options, authenticate: (token: string) => users[token] ?? (token === 'old' ? refuse('expired') : refuse('unauthorized')), authTimeoutMs: 50 })
    const refused = await raw(server.url)
    refused.send({ type: 'auth', token: 'nope' })
    expect(await refused.closed).toEqual({ code: 4401, reason: 'token refused' })
    const expired = await raw(server.url)
    expired.send({ type: 'auth', token: 'old' })
    expect((await expired.closed).code).toBe(4001)
    const silent = await raw(server.url)
    expect((await silent.closed).code).toBe(4401)
    const early = await raw(server.url)
    early.send({ type: 'ping', t: 1 })
    expect((await early.closed).code).toBe(4401)
    const good = await welcomed(server.url, 'token-a')
    good.send({ type: 'auth', token: 'token-a' })
    expect(await good.next((f) => f.type === 'authed')).toEqual({ type: 'authed' })
  })

  it('a principal allowed channel A can neither subscribe to nor publish on B, 100 % of 200 attempts', async () => {
    const server = await startServer(options)
    const client = await welcomed(server.url, 'token-a')
    for (let i = 0; i < 100; i++) {
      client.send({ type: 'subscribe', id: `s${i}`, channel: 'B' })
      client.send({ type: 'publish', id: `p${i}`, channel: 'B', name: 'x', data: i })
    }
    client.send({ type: 'subscribe', id: 'ok', channel: 'A' })
    await client.next((f) => f.id === 'ok')
    const refused = client.frames.filter((f) => f.type === 'error' && f.code === 'forbidden').length
    console.log(`[acceptance] authorization: ${refused} of 200 subscribe/publish attempts on a forbidden channel refused (${refused / 2} %)`)
    expect(refused).toBe(200)
    expect(client.frames.filter((f) => f.type === 'ack' || (f.type === 'subscribed' && f.channel === 'B'))).toEqual([])
    const head = await server.publish('B', 'probe', null)
    expect(head.offset).toBe('1')
  })

  it('fails closed when authorize throws', async () => {
    const server = await startServer({ authorize: () => { throw new Error('db down') } })
    const client = await welcomed(server.url)
    client.send({ type: 'subscribe', id: 's', channel: 'A' })
    expect(await client.next((f) => f.id === 's')).toMatchObject({ type: 'error', code: 'forbidden' })
  })
})

describe('limits', () => {
  it('closes a connection that sends an oversized frame with 1009; others are unaffected', async () => {
    const server = await startServer({ limits: { frameBytes: 1024 } })
    const big = await welcomed(server.url)
    const other = await welcomed(server.url)
    big.send({ type: 'publish', id: 'p', channel: 'c', name: 'n', data: 'x'.repeat(2000) })
    expect((await big.closed).code).toBe(1009)
    other.send({ type: 'ping', t: 3 })
    expect(await other.next((f) => f.type === 'pong')).toEqual({ type: 'pong', t: 3 })
  })

  it('refuses one channel more than channelsPerConnection with too_many_channels', async () => {
    const server = await startServer({ limits: { channelsPerConnection: 2 } })
    const client = await welcomed(server.url)
    for (const channel of ['a', 'b', 'c']) client.send({ type: 'subscribe', id: channel, channel })
    expect(await client.next((f) => f.id === 'c')).toMatchObject({ type: 'error', code: 'too_many_channels' })
    expect(client.frames.filter((f) => f.type === 'subscribed').map((f) => f.channel)).toEqual(['a', 'b'])
  })

  it('closes one connection more than `connections` with 4429 and the wait as its reason', async () => {
    const server = await startServer({ limits: { connections: 2, retryAfterMs: 2500 } })
    await welcomed(server.url)
    await welcomed(server.url)
    const third = await raw(server.url)
    expect(await third.closed).toEqual({ code: 4429, reason: '2500' })
  })

  it('closes a connection that sends nothing for idleTimeoutMs with 4000', async () => {
    const server = await startServer({ idleTimeoutMs: 300, heartbeatMs: 100 })
    const quiet = await welcomed(server.url)
    expect(await quiet.closed).toEqual({ code: 4000, reason: 'idle' })
  })
})

describe('close({ drainMs })', () => {
  it('sends reconnect with afterMs, refuses new connections, and ends when clients are gone', async () => {
    const server = await startServer()
    const a = await welcomed(server.url)
    const b = await welcomed(server.url)
    // `a` leaves as told; `b` ignores the frame and is closed with 1012 when the drain ends.
    a.socket.on('message', (data) => {
      if (JSON.parse(data.toString()).type === 'reconnect') a.socket.close(1000)
    })
    const url = server.url
    const closing = server.close({ drainMs: 200, reconnectAfterMs: 750 })
    expect(await a.next((f) => f.type === 'reconnect')).toEqual({ type: 'reconnect', afterMs: 750 })
    expect(await b.next((f) => f.type === 'reconnect')).toEqual({ type: 'reconnect', afterMs: 750 })
    await expect(raw(url)).rejects.toThrow()
    expect((await b.closed).code).toBe(1012)
    await closing
    expect(server.connections).toBe(0)
  })
})
