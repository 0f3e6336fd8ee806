// The Redis engine against a real redis-server, through both clients users pass (ioredis and node-redis).
import { Redis } from 'ioredis'
import { createClient } from 'redis'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createRealtimeClient, type RealtimeClient } from '../../src/realtime/index.js'
import { type Engine, createRealtimeServer, createRedisEngine, type RealtimeServer } from '../../src/server/index.js'
import { type RedisServer, startRedis } from '../support.js'

let redis: RedisServer
const cleanups: Array<() => unknown> = []
beforeAll(async () => {
  redis = await startRedis()
})
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!()
})
afterAll(async () => {
  await redis?.close()
})

async function until(predicate: () => boolean, ms = 15_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

const clients = {
  async ioredis() {
    const client = new Redis({ path: redis.path, maxRetriesPerRequest: null, retryStrategy: () => 20 })
    client.on('error', () => {})
    cleanups.push(() => client.disconnect())
    return client
  },
  async 'node-redis'() {
    const client = createClient({ socket: { path: redis.path, tls: false, reconnectStrategy: () => 20 } })
    client.on('error', () => {})
    await client.connect()
    cleanups.push(() => client.close().catch(() => {}))
    return client
  },
}

async function engine(kind: keyof typeof clients, prefix: string, events?: number): Promise<Engine> {
  const made = createRedisEngine({ client: await clients[kind](), prefix, history: events ? { events } : {} })
  cleanups.push(() => made.close())
  return made
}

for (const kind of Object.keys(clients) as Array<keyof typeof clients>) {
  describe(`the Redis engine on ${kind}`, () => {
    it('assigns offsets atomically per channel across engines, dedups publish ids, and recovers all or nothing', async () => {
      const prefix = `t-${kind}-1:`
      const [a, b] = [await engine(kind, prefix), await engine(kind, prefix)]
      const results = await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2 ? a : b).publish('ch', 'e', { i })))
      expect(results.map((r) => Number(r.event.offset)).sort((x, y) => x - y)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1))
      const { epoch } = results[0]!.event
      const first = await a.publish('ch', 'once', 1, 'pub-1')
      const again = await b.publish('ch', 'once', 1, 'pub-1')
      expect(first.duplicate).toBe(false)
      expect(again).toEqual({ event: first.event, duplicate: true })
      const recovered = await b.recover('ch', { offset: '195', epoch })
      expect(recovered.head).toEqual({ offset: '201', epoch })
      expect(recovered.missed!.map((e) => e.offset)).toEqual(['196', '197', '198', '199', '200', '201'])
      expect(recovered.missed!.at(-1)).toMatchObject({ name: 'once', data: 1, channel: 'ch', epoch })
      expect((await a.recover('ch', { offset: '201', epoch })).missed).toEqual([])
      expect((await a.recover('ch', { offset: '202', epoch })).missed).toBeUndefined()
      expect((await a.recover('ch', { offset: '1', epoch: 'other' })).missed).toBeUndefined()
    })

    it('trims the stream with MAXLEN ~ and then says it cannot replay from before the trim', async () => {
      const e = await engine(kind, `t-${kind}-2:`, 100)
      let epoch = ''
      for (let i = 0; i < 1_000; i++) epoch = (await e.publish('big', 'e', i)).event.epoch
      expect((await e.recover('big', { offset: '1', epoch })).missed).toBeUndefined()
      expect((await e.recover('big', { offset: '990', epoch })).missed).toHaveLength(10)
    })

    it('fans out across engines in offset order, and fills a hole from the stream when a notification was missed', async () => {
      const prefix = `t-${kind}-3:`
      const [a, b] = [await engine(kind, prefix), await engine(kind, prefix)]
      const heard: string[] = []
      const stop = await a.listen('room', (event) => heard.push(`${event.offset}:${event.name}`))
      await b.publish('room', 'one', null)
      await until(() => heard.length === 1)
      // A publish whose notification never reached A: written as the script does, without PUBLISH.
      const raw = await clients.ioredis()
      const { epoch } = (await b.recover('room')).head
      await raw.xadd(`${prefix}{room}:s`, '2-1', 'n', 'silent', 'd', '"x"', 'e', epoch)
      await raw.hset(`${prefix}{room}:m`, 'h', '2')
      await b.publish('room', 'three', null)
      await until(() => heard.length === 3)
      expect(heard).toEqual(['1:one', '2:silent', '3:three'])
      stop()
    })
  })
}

describe('Redis restarted empty', () => {
  it('every affected client gets a gap before any newer event, 100 %', async () => {
    const servers: RealtimeServer[] = []
    for (const kind of ['ioredis', 'node-redis'] as const) {
      const server = await createRealtimeServer({ port: 0, engine: await engine(kind, 'restart:') })
      servers.push(server)
      cleanups.push(() => server.close({ drainMs: 0 }))
    }
    const CLIENTS = 40
    const log: string[][] = []
    const realtimes: RealtimeClient[] = []
    for (let i = 0; i < CLIENTS; i++) {
      const client = createRealtimeClient({ realtimeUrl: servers[i % 2]!.url, realtime: { backoff: { base: 0, cap: 0 } } })
      realtimes.push(client)
      cleanups.push(() => client.close())
      const lines: string[] = []
      log.push(lines)
      await client.subscribe(`ch${i % 4}`, { onEvent: (event) => lines.push(`event ${(event.data as { n: number }).n}`), onGap: (gap) => lines.push(`gap ${gap.reason}`) }).ready
    }
    for (let n = 1; n <= 5; n++) for (let c = 0; c < 4; c++) await servers[n % 2]!.publish(`ch${c}`, 'e', { n })
    await until(() => log.every((lines) => lines.length === 5))
    await redis.stop({ crash: true })
    await redis.start()
    // Publish until every engine's clients reconnected to Redis and the new epoch's events flow.
    for (let n = 6; n <= 10; n++) {
      for (let c = 0; c < 4; c++) {
        for (;;) {
          try {
            await servers[n % 2]!.publish(`ch${c}`, 'e', { n })
            break
          } catch {
            await new Promise((resolve) => setTimeout(resolve, 20))
          }
        }
      }
    }
    await until(() => log.every((lines) => lines.filter((line) => line.startsWith('event')).length === 10), 20_000, 'the new events')
    const gapFirst = log.filter((lines) => {
      const gap = lines.findIndex((line) => line.startsWith('gap'))
      return gap === 5 && lines.slice(gap + 1).every((line) => line.startsWith('event'))
    }).length
    console.log(`[acceptance] Redis restarted empty: ${gapFirst} of ${CLIENTS} clients got a gap before any newer event (${(gapFirst / CLIENTS) * 100} %)`)
    expect(gapFirst).toBe(CLIENTS)
    expect(log[0]).toEqual(['event 1', 'event 2', 'event 3', 'event 4', 'event 5', 'gap epoch_changed', 'event 6', 'event 7', 'event 8', 'event 9', 'event 10'])
  })
})
