import { describe, expect, it } from 'vitest'
import { createRealtimeClient } from '../../src/realtime/index.js'
import { connectClient, onCleanup, startServer, until } from './support.js'

describe('client API edges', () => {
  it('refuses a malformed `from` and an empty channel name with typed errors', () => {
    const client = createRealtimeClient({ realtimeUrl: 'ws://127.0.0.1:9' })
    onCleanup(() => client.close())
    expect(() => client.subscribe('x', () => {}, { from: { offset: '01', epoch: 'e' } })).toThrow(expect.objectContaining({ code: 'invalid_position' }))
    expect(() => client.subscribe('', () => {})).toThrow(expect.objectContaining({ code: 'invalid_channel' }))
    expect(client.state).toBe('idle')
  })

  it('without a realtime URL, closes with no_url on first use instead of throwing at creation', async () => {
    const client = createRealtimeClient({})
    const sub = client.subscribe('x', () => {})
    await expect(sub.ready).rejects.toMatchObject({ code: 'no_url' })
    expect(client.state).toBe('closed')
    expect(() => client.subscribe('y', () => {})).toThrow(expect.objectContaining({ code: 'client_closed' }))
  })

  it('rejects a publish whose data cannot be serialised, with the serialiser’s own error', async () => {
    const server = await startServer()
    const client = connectClient(server)
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    await expect(client.publish('x', 'e', cyclic)).rejects.toBeInstanceOf(TypeError)
    expect(client.inspect().pendingPublishes).toBe(0)
  })

  it('unsubscribing before the server confirmed rejects `ready` and sends nothing further', async () => {
    const server = await startServer()
    const client = connectClient(server)
    const sub = client.subscribe('x', () => {})
    sub.unsubscribe()
    await expect(sub.ready).rejects.toMatchObject({ code: 'unsubscribed' })
    await until(() => client.state === 'open')
    expect(client.inspect().channels).toBe(0)
    expect(server.counters.subscribes).toBe(0)
  })

  it('emits state changes with attempt, delay and the last close code and reason', async () => {
    const server = await startServer()
    const client = connectClient(server)
    const changes: unknown[] = []
    client.on('state', (change) => changes.push(change))
    await client.subscribe('x', () => {}).ready
    server.closeWith(4000, 'maintenance')
    await until(() => changes.length === 4)
    expect(changes).toEqual([
      { state: 'connecting', attempt: 0 },
      { state: 'open', attempt: 0 },
      { state: 'reconnecting', attempt: 1, delay: 0, closeCode: 4000, closeReason: 'maintenance' },
      { state: 'open', attempt: 1, closeCode: 4000, closeReason: 'maintenance' },
    ])
    client.close()
    expect(changes.at(-1)).toMatchObject({ state: 'closed' })
  })
})
