// The Redis suite's own harness: a real redis-server starts, answers, restarts empty after a crash,
// and both Redis clients users pass to wirekit (ioredis and node-redis) reach it.
import { Redis } from 'ioredis'
import { createClient } from 'redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RedisServer, startRedis } from './support.js'

describe('the Redis test server', () => {
  let redis: RedisServer
  beforeAll(async () => {
    redis = await startRedis()
  })
  afterAll(async () => {
    await redis?.close()
  })

  it('serves ioredis and node-redis on its socket, and comes back empty after a crash', async () => {
    const io = new Redis({ path: redis.path, lazyConnect: true, maxRetriesPerRequest: 1 })
    await io.connect()
    await io.set('k', 'v')
    const node = createClient({ socket: { path: redis.path, tls: false } })
    await node.connect()
    expect(await node.get('k')).toBe('v')
    await node.quit()
    io.disconnect()

    const before = redis.pid
    await redis.stop({ crash: true })
    await redis.start()
    expect(redis.pid).not.toBe(before)
    const again = new Redis({ path: redis.path, lazyConnect: true, maxRetriesPerRequest: 1 })
    await again.connect()
    expect(await again.get('k')).toBeNull()
    again.disconnect()
  })
})
