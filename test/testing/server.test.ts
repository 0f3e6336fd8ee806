import WebSocket from 'ws'
import { afterEach, describe, expect, it } from 'vitest'
import { type TestRealtimeServer, type TestRealtimeServerOptions, createTestRealtimeServer } from '../../src/testing/index.js'

const servers: TestRealtimeServer[] = []
const sockets: WebSocket[] = []
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.terminate()
  for (const server of servers.splice(0)) await server.close()
})

async function start(options?: TestRealtimeServerOptions) {
  const server = await createTestRealtimeServer(options)
  servers.push(server)
  return server
}

/** A bare protocol client: frames in, frames out, no wirekit client involved. */
async function raw(server: TestRealtimeServer) {
  const socket = new WebSocket(server.url, 'wirekit.v1')
  sockets.push(socket)
  const frames: Array<Record<string, any>> = []
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })))
  socket.on('message', (data) => frames.push(JSON.parse(data.toString())))
  await new Promise((resolve) => socket.once('open', resolve))
  const next = async (count = frames.length + 1) => {
    const deadline = Date.now() + 3_000
    while (frames.length < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 2))
    return frames[count - 1]
  }
  return { socket, frames, closed, next, send: (frame: object) => socket.send(JSON.stringify(frame)) }
}

describe('createTestRealtimeServer', () => {
  it('listens on 127.0.0.1 with a free port and speaks wirekit.v1', async () => {
    const server = await start({ heartbeatMs: 1234 })
    expect(server.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/)
    const c = await raw(server)
    expect(c.socket.protocol).toBe('wirekit.v1')
    expect(await c.next(1)).toEqual({ type: 'welcome', heartbeatMs: 1234 })
    c.send({ type: 'ping', t: 42 })
    expect(await c.next(2)).toEqual({ type: 'pong', t: 42 })
  })

  it('replays history after `from`, or says recovered:false when it cannot', async () => {
    const server = await start({ historySize: 3 })
    for (let i = 1; i <= 5; i++) server.publish('ch', 'e', i)
    const epoch = server.history('ch').epoch
    const c = await raw(server)
    c.send({ type: 'subscribe', id: 's1', channel: 'ch', from: { offset: '3', epoch } })
    expect(await c.next(2)).toEqual({ type: 'subscribed', id: 's1', channel: 'ch', offset: '5', epoch, recovered: true })
    expect((await c.next(4))!.data).toBe(5)
    expect(c.frames.slice(2).map((f) => f.offset)).toEqual(['4', '5'])
    c.send({ type: 'subscribe', id: 's2', channel: 'ch', from: { offset: '1', epoch } })
    expect(await c.next(5)).toMatchObject({ id: 's2', recovered: false })
    c.send({ type: 'subscribe', id: 's3', channel: 'ch', from: { offset: '5', epoch: 'other' } })
    expect(await c.next(6)).toMatchObject({ id: 's3', recovered: false })
    server.loseHistory('ch')
    expect(server.history('ch').epoch).not.toBe(epoch)
    expect(server.history('ch').head).toBe(0)
  })

  it('deduplicates publishes by id and acks again', async () => {
    const server = await start()
    const c = await raw(server)
    c.send({ type: 'publish', id: 'p1', channel: 'ch', name: 'n', data: 1 })
    c.send({ type: 'publish', id: 'p1', channel: 'ch', name: 'n', data: 1 })
    expect(await c.next(3)).toEqual({ type: 'ack', id: 'p1' })
    expect(c.frames[1]).toEqual({ type: 'ack', id: 'p1' })
    expect(server.counters.publishes.get('p1')).toMatchObject({ seen: 2 })
    expect(server.counters.duplicatePublishes).toBe(1)
    expect(server.history('ch').head).toBe(1)
  })

  it('requires auth with a validator: refuses with 4401, expires with 4001, refreshes in-band', async () => {
    const server = await start({ authenticate: (token) => token.startsWith('ok') })
    const refused = await raw(server)
    refused.send({ type: 'auth', token: 'nope' })
    expect(await refused.closed).toEqual({ code: 4401, reason: 'token refused' })

    const c = await raw(server)
    c.send({ type: 'auth', token: 'ok-1' })
    expect(await c.next(1)).toMatchObject({ type: 'welcome' })
    c.send({ type: 'auth', token: 'ok-2' })
    expect(await c.next(2)).toEqual({ type: 'authed' })
    server.expireTokens()
    expect(await c.closed).toEqual({ code: 4001, reason: 'token expired' })
    const again = await raw(server)
    again.send({ type: 'auth', token: 'ok-2' })
    expect((await again.closed).code).toBe(4001)
  })

  it('closes with a code, asks to reconnect, drops, black-holes and restarts on the same port', async () => {
    const server = await start()
    const a = await raw(server)
    server.closeWith(4429, '5000')
    expect(await a.closed).toEqual({ code: 4429, reason: '5000' })

    const b = await raw(server)
    await b.next(1)
    server.requestReconnect(250)
    expect(await b.next(2)).toEqual({ type: 'reconnect', afterMs: 250 })
    expect((await b.closed).code).toBe(1012)

    const c = await raw(server)
    await c.next(1)
    server.drop(server.clients[0]!.id)
    expect((await c.closed).code).toBe(1006)

    const d = await raw(server)
    await d.next(1)
    server.blackhole()
    d.send({ type: 'ping', t: 1 })
    // Barrier: d's ping reached the server's socket before g's connection even began; g's handshake,
    // welcome and pong take many more turns of the server's loop, in which a reading server answers d.
    const g = await raw(server)
    await g.next(1)
    g.send({ type: 'ping', t: 2 })
    expect(await g.next(2)).toMatchObject({ type: 'pong' })
    expect(d.frames).toHaveLength(1)
    expect(server.counters.pings).toBe(1)

    const port = server.port
    const e = await raw(server)
    await e.next(1)
    const restarting = server.restart()
    expect((await e.closed).code).toBe(1012)
    await restarting
    expect(server.port).toBe(port)
    const f = await raw(server)
    expect(await f.next(1)).toMatchObject({ type: 'welcome' })
    expect(server.counters.connections).toBe(7)
  })
})
