import { describe, expect, it } from 'vitest'
import { createMemoryEngine } from '../../src/server/index.js'
import { startServer, until, welcomed } from './support.js'

describe('fan-out', () => {
  it('events published in one tick reach every subscriber whole and in order, and do not count as a slow consumer', async () => {
    const engine = createMemoryEngine()
    // 100 events of ~1 KB in one tick: more than the 64 KB send buffer, which a fast consumer's
    // socket takes at once; none of them may be cut off for what the server batched itself.
    const server = await startServer({ engine, limits: { sendBufferBytes: 64 * 1024 } })
    const clients = await Promise.all([1, 2, 3].map(() => welcomed(server.url)))
    for (const client of clients) {
      client.send({ type: 'subscribe', id: 's', channel: 'feed' })
      await client.next((frame) => frame.type === 'subscribed')
    }
    const payload = 'z'.repeat(1_000)
    for (let i = 1; i <= 100; i++) engine.append('feed', 'chunk', { i, payload })
    for (const client of clients) {
      await until(() => client.frames.filter((frame) => frame.type === 'event').length === 100, 10_000, 'every event')
      const events = client.frames.filter((frame) => frame.type === 'event')
      expect(events.map((frame) => frame.data.i)).toEqual(Array.from({ length: 100 }, (_, index) => index + 1))
      expect(events.map((frame) => frame.offset)).toEqual(Array.from({ length: 100 }, (_, index) => String(index + 1)))
      expect(client.socket.readyState).toBe(client.socket.OPEN)
    }
  })

  it('a frame sent to one connection between two events of a tick keeps its place', async () => {
    const engine = createMemoryEngine()
    const server = await startServer({ engine })
    const client = await welcomed(server.url)
    client.send({ type: 'subscribe', id: 's', channel: 'feed' })
    await client.next((frame) => frame.type === 'subscribed')
    // A ping answered while events are batched: the pong comes after the events published before it.
    engine.append('feed', 'a', 1)
    client.send({ type: 'ping', t: 7 })
    await client.next((frame) => frame.type === 'pong')
    engine.append('feed', 'b', 2)
    await until(() => client.frames.filter((frame) => frame.type === 'event').length === 2)
    expect(client.frames.slice(-3).map((frame) => frame.type)).toEqual(['event', 'pong', 'event'])
  })
})
