import { describe, expect, it } from 'vitest'
import { RealtimeError, isWirekitError } from '../../src/core/errors.js'
import { FakeClock, connectClient, seeded, startServer, until } from './support.js'

describe('publish', () => {
  it('settles with the ack, and the event reaches subscribers', async () => {
    const server = await startServer()
    const client = connectClient(server)
    const seen: unknown[] = []
    await client.subscribe('chat', (event) => seen.push(event.data)).ready
    await client.publish('chat', 'message', { text: 'hi' })
    expect([...server.counters.publishes.values()].map((p) => p.data)).toEqual([{ text: 'hi' }])
    await until(() => seen.length === 1)
    expect(seen).toEqual([{ text: 'hi' }])
  })

  it('opens the connection lazily and sends queued publishes after the resubscribes', async () => {
    const order: string[] = []
    const server = await startServer({ onFrame: (frame) => void order.push(String(frame.type)) })
    const client = connectClient(server)
    client.subscribe('a', () => {})
    const done = client.publish('a', 'x', 1)
    await done
    expect(order).toEqual(['subscribe', 'publish'])
  })

  it('after a reconnect, resends a cut publish with its original id, after the resubscribe', async () => {
    const frames: Array<[client: string, type: string, id: string]> = []
    let dropped = false
    const server = await startServer({
      onFrame: (frame, client) => {
        frames.push([client.id, String(frame.type), String(frame.id)])
        if (frame.type === 'publish' && !dropped) return (dropped = true), 'drop'
        return undefined
      },
    })
    const client = connectClient(server)
    await client.subscribe('a', () => {}).ready
    await client.publish('a', 'x', 1)
    const [first, second] = frames.filter(([, type]) => type === 'publish')
    expect(first![2]).toBe(second![2])
    expect(frames.filter(([id]) => id === second![0]).map(([, type]) => type)).toEqual(['subscribe', 'publish'])
    expect(server.counters.publishes.size).toBe(1)
  })

  it('takes effect exactly once for each of 200 publishes cut by drops, acks lost included', async () => {
    const random = seeded(11)
    let drops = 0
    const server = await startServer({
      onFrame: (frame) => {
        if (frame.type !== 'publish' || drops >= 200 || random() > 0.5) return undefined
        drops += 1
        // Half before the server sees it, half after it took effect but before the ack leaves.
        return random() < 0.5 ? 'drop' : 'drop-after'
      },
    })
    const client = connectClient(server)
    const results = await Promise.allSettled(Array.from({ length: 200 }, (_, i) => client.publish('orders', 'created', { i })))
    const rejected = results.filter((r) => r.status === 'rejected')
    const counts = [...server.counters.publishes.values()]
    const effects = server.history('orders').head
    const twice = counts.filter((p) => p.seen > 1).length
    console.log(
      `[acceptance] publishes: 200 sent through ${drops} drops: ${counts.length} took effect, ${effects} events appended, ${server.counters.duplicatePublishes} resends deduplicated, ${rejected.length} rejected`,
    )
    expect(rejected).toEqual([])
    expect(drops).toBeGreaterThan(50)
    expect(counts).toHaveLength(200)
    expect(effects).toBe(200)
    expect(twice).toBeGreaterThan(0)
    expect(new Set(counts.map((p) => (p.data as { i: number }).i)).size).toBe(200)
  }, 60_000)

  it('rejects with queue_full beyond the queue size while disconnected, never silently', async () => {
    const server = await startServer()
    const clock = new FakeClock()
    const client = connectClient(server, { realtime: { queue: { size: 2 }, clock } })
    const first = client.publish('a', 'x', 1)
    const second = client.publish('a', 'x', 2)
    const third = client.publish('a', 'x', 3)
    await expect(third).rejects.toMatchObject({ name: 'RealtimeError', code: 'queue_full' })
    await Promise.all([first, second])
    expect(server.counters.publishes.size).toBe(2)
  })

  it('rejects with publish_expired once the TTL passes without a connection', async () => {
    const server = await startServer()
    const clock = new FakeClock()
    const client = connectClient(server, { realtime: { queue: { ttlMs: 1_000 }, clock, backoff: { base: 60_000, cap: 60_000 } } })
    await client.subscribe('a', () => {}).ready
    server.drop()
    await until(() => client.state === 'reconnecting')
    const pending = client.publish('a', 'x', 1)
    const failure = pending.catch((error: unknown) => error)
    clock.advance(999)
    expect(client.inspect().pendingPublishes).toBe(1)
    clock.advance(1)
    const error = await failure
    expect(isWirekitError(error) && error.code).toBe('publish_expired')
    expect(client.inspect().pendingPublishes).toBe(0)
    expect(client.inspect().timers).not.toContain('expiry')
  })

  it('rejects with the server error code, and rejects pending publishes on close()', async () => {
    const server = await startServer()
    const client = connectClient(server)
    await client.subscribe('a', () => {}).ready
    await expect(client.publish('', 'x', 1)).rejects.toMatchObject({ code: 'invalid_publish' })
    server.blackhole()
    const pending = client.publish('a', 'x', 1)
    client.close()
    await expect(pending).rejects.toBeInstanceOf(RealtimeError)
    await expect(pending).rejects.toMatchObject({ code: 'client_closed' })
    await expect(client.publish('a', 'x', 2)).rejects.toMatchObject({ code: 'client_closed' })
  })
})
