import { describe, expect, it } from 'vitest'
import { connectClient, seeded, startServer, until } from '../realtime/support.js'

const PUBLISHES = Number(process.env.WIREKIT_EXACTLY_ONCE ?? 1_000)

describe('client publishes through the server', () => {
  it(`${PUBLISHES} publishes from a client cut by drops at random moments each take effect exactly once`, { timeout: 120_000 }, async () => {
    const random = seeded(13)
    let drops = 0
    const server = await startServer({
      onFrame: (frame, client) => {
        // Only the publisher's connection is cut; on any frame type, before or after it is handled.
        if (client.token !== 'publisher' || drops >= 300 || random() > 0.08) return undefined
        drops += 1
        return random() < 0.5 ? 'drop' : 'drop-after'
      },
    })
    const watcher = connectClient(server)
    const seen: number[] = []
    await watcher.subscribe('orders', (event) => seen.push((event.data as { i: number }).i)).ready
    const publisher = connectClient(server, { auth: 'publisher', realtime: { queue: { size: PUBLISHES } } })
    const results = await Promise.allSettled(Array.from({ length: PUBLISHES }, (_, i) => publisher.publish('orders', 'created', { i })))
    await until(() => seen.length >= PUBLISHES, 30_000, 'every event at the watcher')
    const rejected = results.filter((r) => r.status === 'rejected').length
    const effects = server.history('orders').head
    const duplicated = seen.length - new Set(seen).size
    const lost = PUBLISHES - new Set(seen).size
    console.log(
      `[acceptance] exactly once: ${PUBLISHES} client publishes through ${drops} drops: ${effects} took effect, ${server.counters.duplicatePublishes} resends acked without effect, ${rejected} rejected; watcher: ${lost} lost, ${duplicated} duplicated`,
    )
    expect(drops).toBeGreaterThan(20)
    expect(rejected).toBe(0)
    expect(effects).toBe(PUBLISHES)
    expect(server.counters.publishes.size).toBe(PUBLISHES)
    expect(lost).toBe(0)
    expect(duplicated).toBe(0)
  })
})
