import WebSocket from 'ws'
import { describe, expect, it } from 'vitest'
import type { WebSocketConstructor } from '../../src/core/config.js'
import type { ReceivedFrame } from '../../src/testing/index.js'
import { FakeClock, connectClient, startServer, until } from './support.js'

describe('realtime auth', () => {
  it('sends the token as the first frame, never in the URL', async () => {
    const frames: ReceivedFrame[] = []
    const server = await startServer({ authenticate: (token) => token === 'sekret', onFrame: (frame) => void frames.push(frame) })
    const urls: string[] = []
    class SpySocket extends WebSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        urls.push(String(url))
        super(url, protocols)
      }
    }
    const client = connectClient(server, { auth: 'sekret', WebSocket: SpySocket as unknown as WebSocketConstructor })
    await client.subscribe('x', () => {}).ready
    expect(frames[0]).toEqual({ type: 'auth', token: 'sekret' })
    expect(frames[1]).toMatchObject({ type: 'subscribe', channel: 'x' })
    expect(urls).toEqual([server.url + '/'])
    expect(urls.join()).not.toContain('sekret')
  })

  it('4001: invalidates, refreshes exactly once, reconnects and resumes without loss', async () => {
    const server = await startServer({ authenticate: () => true })
    let calls = 0
    const client = connectClient(server, { auth: () => `token-${++calls}` })
    const seen: unknown[] = []
    await client.subscribe('x', (event) => seen.push(event.data)).ready
    server.publish('x', 'e', 1)
    await until(() => seen.length === 1)
    server.expireTokens()
    server.publish('x', 'e', 2)
    server.publish('x', 'e', 3)
    await until(() => seen.length === 3)
    // Barrier: one turn runs every microtask, such as the token provider's answer that precedes a socket.
    // Open with no reconnect armed, the client then has no attempt under way or to come: the counts
    // below are final once the server has seen the expired connection close.
    await new Promise((resolve) => setImmediate(resolve))
    expect(client.inspect()).toMatchObject({ state: 'open', socket: true })
    expect(client.inspect().timers).not.toContain('reconnect')
    await until(() => server.counters.open === 1, 10_000, 'the server to see the expired connection close')
    console.log(`[acceptance] 4001: ${calls - 1} refresh, ${server.counters.connections} connections, events ${JSON.stringify(seen)}`)
    expect(calls).toBe(2)
    expect(seen).toEqual([1, 2, 3])
    expect(server.counters.connections).toBe(2)
    expect(server.clients[0]!.token).toBe('token-2')
  })

  it('4401 with a static token is fatal: no reconnect attempt', async () => {
    const server = await startServer({ authenticate: (token) => token === 'good' })
    const clock = new FakeClock()
    const client = connectClient(server, { auth: 'bad', realtime: { clock } })
    const errors: unknown[] = []
    client.on('error', (error) => errors.push(error))
    const sub = client.subscribe('x', () => {})
    await expect(sub.ready).rejects.toMatchObject({ name: 'RealtimeError', code: 'unauthorized', closeCode: 4401 })
    expect(client.state).toBe('closed')
    clock.advance(120_000)
    // Barrier: one turn runs every microtask, such as reading the static token; an attempt would hold its socket by then.
    await new Promise((resolve) => setImmediate(resolve))
    expect(client.inspect()).toMatchObject({ state: 'closed', timers: [], socket: false })
    expect(server.counters.connections).toBe(1)
    expect(errors).toHaveLength(1)
  })

  it('4401 is fatal when the provider yields the same token again, and retried when it yields another', async () => {
    const server = await startServer({ authenticate: (token) => token === 'fresh' })
    const same = connectClient(server, { auth: () => 'stale' })
    await expect(same.subscribe('x', () => {}).ready).rejects.toMatchObject({ code: 'unauthorized' })
    expect(server.counters.connections).toBe(1)

    const tokens = ['stale', 'fresh']
    const renewing = connectClient(server, { auth: () => tokens.shift() ?? 'fresh' })
    await renewing.subscribe('x', () => {}).ready
    expect(renewing.state).toBe('open')
    expect(server.counters.connections).toBe(3)
  })

  it('4403 is fatal: closed with a RealtimeError and never reconnects', async () => {
    const server = await startServer()
    const clock = new FakeClock()
    const client = connectClient(server, { realtime: { clock } })
    const states: string[] = []
    client.on('state', (change) => states.push(change.state))
    await client.subscribe('x', () => {}).ready
    const failed = new Promise((resolve) => client.once('error', resolve))
    server.closeWith(4403, 'not yours')
    expect(await failed).toMatchObject({ code: 'forbidden', closeCode: 4403 })
    clock.advance(600_000)
    // No wait needed: without auth an attempt makes its socket synchronously, and none is held (asserted below).
    expect(server.counters.connections).toBe(1)
    expect(states).toEqual(['connecting', 'open', 'closed'])
    console.log(`[acceptance] 4403: closed with ${JSON.stringify(states)}, ${server.counters.connections} connection after 10 minutes of fake time`)
    expect(client.inspect()).toMatchObject({ timers: [], socket: false })
  })

  it('refreshes the token in-band before a known expiry, without reconnecting', async () => {
    const server = await startServer({ authenticate: () => true })
    const clock = new FakeClock()
    clock.time = Date.now()
    let calls = 0
    // Tokens that live 30 s: Auth's 30 s refresh margin makes each one due for renewal at once.
    const client = connectClient(server, { auth: () => ({ token: `t${++calls}`, expiresIn: 30 }), realtime: { clock } })
    await client.subscribe('x', () => {}).ready
    expect(server.counters.auths).toBe(1)
    clock.advance(1_000)
    await until(() => server.counters.auths === 2)
    await until(() => server.clients[0]?.token === 't2')
    clock.advance(1_000)
    await until(() => server.counters.auths === 3)
    expect(server.counters.connections).toBe(1)
    expect(client.state).toBe('open')
  })
})

describe('realtime auth failures that are not the server’s', () => {
  it('a throwing token provider is reported and retried with backoff; the client recovers', async () => {
    const server = await startServer({ authenticate: () => true })
    const clock = new FakeClock()
    let calls = 0
    const client = connectClient(server, {
      auth: () => {
        calls += 1
        if (calls === 1) throw new Error('identity service down')
        return 'token'
      },
      realtime: { clock },
    })
    const errors: unknown[] = []
    client.on('error', (error) => errors.push(error))
    const sub = client.subscribe('x', () => {})
    await until(() => client.state === 'reconnecting')
    expect(errors).toMatchObject([{ name: 'AuthError', code: 'auth_provider_failed' }])
    expect(server.counters.connections).toBe(0)
    clock.advance(clock.nextDelay()!)
    await sub.ready
    expect(client.state).toBe('open')
  })

  it('a server that never says welcome is given up on after `timeout`, then retried', async () => {
    const server = await startServer({ authenticate: () => new Promise<boolean>(() => {}) })
    const clock = new FakeClock()
    const client = connectClient(server, { auth: 'token', timeout: 5_000, realtime: { clock, backoff: { base: 1_000, cap: 1_000 } } })
    const states: string[] = []
    client.on('state', (change) => states.push(`${change.state}:${change.closeReason ?? ''}`))
    client.subscribe('x', () => {})
    await until(() => server.counters.auths === 1)
    clock.advance(4_999)
    expect(client.state).toBe('connecting')
    clock.advance(1)
    expect(states).toEqual(['connecting:', 'reconnecting:connect timed out'])
    await until(() => server.counters.open === 0)
    clock.advance(1_000)
    await until(() => server.counters.auths === 2)
  })

  it('a subscription the server refuses ends with its error; the others go on', async () => {
    const server = await startServer({ authorize: (channel) => channel !== 'secret' })
    const client = connectClient(server)
    const errors: unknown[] = []
    const refused = client.subscribe('secret', { onError: (error) => errors.push(error) })
    const allowed = client.subscribe('public', () => {})
    await expect(refused.ready).rejects.toMatchObject({ name: 'RealtimeError', code: 'forbidden' })
    await allowed.ready
    expect(errors).toMatchObject([{ code: 'forbidden' }])
    expect(client.inspect().channels).toBe(1)
    expect(client.state).toBe('open')
  })
})
