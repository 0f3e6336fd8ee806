import { describe, expect, it } from 'vitest'
import type { Gap } from '../../src/realtime/index.js'
import { connectClient, seeded, startServer, until } from './support.js'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('resume', () => {
  it('loses, repeats and reorders nothing over 200 forced disconnects while 20,000 events flow on 3 channels', async () => {
    const random = seeded(7)
    let subscribeDrops = 0
    const server = await startServer({
      historySize: 100_000,
      // Some drops land between subscribe and subscribed.
      onFrame: (frame) => (frame.type === 'subscribe' && subscribeDrops < 40 && random() < 0.05 ? (subscribeDrops++, 'drop') : undefined),
    })
    const client = connectClient(server)
    const channels = ['a', 'b', 'c'] as const
    const received: Record<string, number[]> = { a: [], b: [], c: [] }
    const gaps: Gap[] = []
    const subs = channels.map((channel) =>
      client.subscribe(channel, { onEvent: (event) => received[channel]!.push((event.data as { seq: number }).seq), onGap: (gap) => gaps.push(gap) }),
    )
    await Promise.all(subs.map((sub) => sub.ready))

    const total = 20_000
    const perChannel = { a: 0, b: 0, c: 0 }
    let published = 0
    let drops = 0
    const started = Date.now()
    for (let round = 0; round < 200; round++) {
      for (let i = 0; i < total / 200; i++) {
        const channel = channels[published++ % 3]!
        server.publish(channel, 'tick', { seq: ++perChannel[channel] })
      }
      // A random moment: mid-stream, during the resume replay, or before the subscribes are answered.
      await sleep(Math.floor(random() * 3))
      await until(() => server.clients.length > 0)
      server.drop()
      drops += 1
    }
    await until(() => channels.every((channel) => received[channel]!.length >= perChannel[channel]), 30_000, 'all events')
    // Barrier: one last event per channel, on a link no longer dropped; a connection delivers in
    // order, so a duplicate of any earlier event would arrive before it.
    for (const channel of channels) server.publish(channel, 'tick', { seq: ++perChannel[channel] })
    await until(() => channels.every((channel) => received[channel]!.includes(perChannel[channel])), 10_000, 'the last event on each channel')

    let lost = 0
    let duplicated = 0
    let outOfOrder = 0
    for (const channel of channels) {
      const seqs = received[channel]!
      const unique = new Set(seqs)
      duplicated += seqs.length - unique.size
      lost += perChannel[channel] - unique.size
      for (let i = 1; i < seqs.length; i++) if (seqs[i]! <= seqs[i - 1]!) outOfOrder += 1
    }
    console.log(
      `[acceptance] resume: ${drops + subscribeDrops} forced disconnects (${subscribeDrops} between subscribe and subscribed), ${published} events on 3 channels: lost ${lost}, duplicated ${duplicated}, out of order ${outOfOrder}, gaps ${gaps.length}, ${Date.now() - started} ms`,
    )
    expect(drops).toBe(200)
    expect({ lost, duplicated, outOfOrder, gaps: gaps.length }).toEqual({ lost: 0, duplicated: 0, outOfOrder: 0, gaps: 0 })
    expect(server.counters.connections).toBeGreaterThanOrEqual(201)
  }, 120_000)

  it('signals a lost history before the next event, 100 of 100 times (resume with recovered:false and a mid-stream epoch change)', async () => {
    const server = await startServer()
    const client = connectClient(server)
    const log: string[] = []
    const sub = client.subscribe('feed', {
      onEvent: (event) => log.push(`event:${event.epoch}:${event.offset}`),
      onGap: (gap) => log.push(`gap:${gap.reason}:${gap.epoch}`),
    })
    const emitted: Gap[] = []
    client.on('gap', (gap) => emitted.push(gap))
    await sub.ready
    let ok = 0
    for (let run = 0; run < 100; run++) {
      log.length = 0
      server.publish('feed', 'before', run)
      await until(() => log.length === 1)
      const reconnecting = run % 2 === 0
      if (reconnecting) {
        // Lost while the client is away: the resume answer says recovered:false.
        const connections = server.counters.connections
        server.drop()
        server.loseHistory('feed')
        await until(() => server.counters.connections > connections && server.clients[0]?.channels.has('feed') === true)
      } else {
        // Lost while the client listens: the next event carries a new epoch.
        server.loseHistory('feed')
      }
      const after = server.publish('feed', 'after', run)
      await until(() => log.length === 3)
      const expected = [`gap:${reconnecting ? 'history_lost' : 'epoch_changed'}:${after.epoch}`, `event:${after.epoch}:${after.offset}`]
      if (log[1] === expected[0] && log[2] === expected[1]) ok += 1
    }
    console.log(`[acceptance] history lost: gap before the next event in ${ok} of 100 runs`)
    expect(ok).toBe(100)
    expect(emitted).toHaveLength(100)
  }, 60_000)

  it('replays from a saved position given as `from`, and drops events at or below it', async () => {
    const server = await startServer()
    for (let n = 1; n <= 5; n++) server.publish('log', 'line', n)
    const epoch = server.history('log').epoch
    const client = connectClient(server)
    const seen: unknown[] = []
    const sub = client.subscribe('log', (event) => seen.push(event.data), { from: { offset: '2', epoch } })
    await sub.ready
    await until(() => seen.length === 3)
    expect(seen).toEqual([3, 4, 5])
    expect(client.position('log')).toEqual({ offset: '5', epoch })
  })

  it('resubscribes all 10,000 subscriptions of one connection after a drop', async () => {
    const server = await startServer()
    const client = connectClient(server)
    const subs = Array.from({ length: 10_000 }, (_, i) => client.subscribe(`ch-${i}`, () => {}))
    await Promise.all(subs.map((sub) => sub.ready))
    expect(server.counters.subscribes).toBe(10_000)
    server.drop()
    await until(() => server.counters.subscribes === 20_000 && server.clients[0]?.channels.size === 10_000, 30_000)
    const delivered: string[] = []
    client.subscribe('ch-9999', (event) => delivered.push(event.name))
    server.publish('ch-9999', 'still-here', null)
    await until(() => delivered.length === 1)
    console.log(`[acceptance] 10,000 subscriptions: ${server.clients[0]!.channels.size} resubscribed after a drop`)
  }, 60_000)
})
