import { describe, expect, it } from 'vitest'
import type { RealtimeEvent } from '../../src/realtime/index.js'
import { connectClient, startServer, until } from './support.js'

describe('subscribe', () => {
  it('opens lazily, delivers events in order, and unsubscribes on the server', async () => {
    const server = await startServer()
    const client = connectClient(server)
    expect(client.state).toBe('idle')
    // Barrier: a second client, made after this one, connects and subscribes in full; had this one
    // started connecting when it was made, on the same path, its connection would be counted by then.
    await connectClient(server).subscribe('other', () => {}).ready
    expect(server.counters.connections).toBe(1)
    expect(client.inspect()).toMatchObject({ state: 'idle', socket: false, timers: [] })
    const seen: RealtimeEvent[] = []
    const sub = client.subscribe('news', (event) => seen.push(event))
    const probes: unknown[] = []
    await client.subscribe('probe', (event) => probes.push(event.data)).ready
    await sub.ready
    expect(client.state).toBe('open')
    server.publish('news', 'posted', { n: 1 })
    server.publish('news', 'posted', { n: 2 })
    await until(() => seen.length === 2)
    expect(seen.map((e) => [e.name, e.data, e.offset])).toEqual([
      ['posted', { n: 1 }, '1'],
      ['posted', { n: 2 }, '2'],
    ])
    sub.unsubscribe()
    await until(() => server.counters.unsubscribes === 1)
    server.publish('news', 'posted', { n: 3 })
    // Barrier: one connection delivers in order, so once this later event arrives, n: 3 would have too.
    server.publish('probe', 'p', 1)
    await until(() => probes.length === 1)
    expect(seen).toHaveLength(2)
  })

  it('resumes after a drop without loss or duplicates', async () => {
    const server = await startServer()
    const client = connectClient(server)
    const seen: number[] = []
    const sub = client.subscribe('c', (event) => seen.push((event.data as { n: number }).n))
    await sub.ready
    server.publish('c', 'e', { n: 1 })
    await until(() => seen.length === 1)
    server.drop()
    server.publish('c', 'e', { n: 2 })
    server.publish('c', 'e', { n: 3 })
    await until(() => seen.length === 3)
    expect(seen).toEqual([1, 2, 3])
    expect(server.counters.connections).toBe(2)
  })
})
