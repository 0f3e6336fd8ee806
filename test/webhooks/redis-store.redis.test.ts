// RedisReplayStore on a real redis-server, through both clients users pass in (ioredis and node-redis):
// each transition, the key prefix and TTLs, scripts reloaded after a restart, a typed refusal when Redis
// is gone, and the verifier's existing `replay` option on Redis.
import { Redis } from 'ioredis'
import { createClient } from 'redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebhookVerificationError } from '../../src/core/errors.js'
import { RedisReplayStore } from '../../src/webhooks/intake/index.js'
import { type RedisServer, startRedis } from '../support.js'
import { replayContract } from './support.js'

let redis: RedisServer
let inspect: Redis
beforeAll(async () => {
  redis = await startRedis()
})
afterAll(async () => {
  await redis?.close()
})

interface Client {
  store: (options?: { prefix?: string; timeout?: number }) => RedisReplayStore
  close: () => Promise<void>
}

const CLIENTS: Record<string, () => Promise<Client>> = {
  ioredis: async () => {
    const io = new Redis({ path: redis.path, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => 50, lazyConnect: true })
    io.on('error', () => undefined)
    await io.connect()
    return { store: (options) => new RedisReplayStore(io, options), close: async () => io.disconnect() }
  },
  'node-redis': async () => {
    const node = createClient({ socket: { path: redis.path, reconnectStrategy: () => 50 }, disableOfflineQueue: true })
    node.on('error', () => undefined)
    await node.connect()
    return { store: (options) => new RedisReplayStore(node, options), close: async () => void node.destroy() }
  },
}

describe.each(Object.keys(CLIENTS))('RedisReplayStore on %s', (name) => {
  let client: Client
  beforeAll(async () => {
    client = await CLIENTS[name]!()
    inspect = new Redis({ path: redis.path })
  })
  afterAll(async () => {
    await client?.close()
    inspect?.disconnect()
  })

  it('moves an id new → processing → done under its prefix, with the lease and done TTLs', async () => {
    const store = client.store({ prefix: `${name}:` })
    expect(await store.begin('a', { token: 't1', leaseMs: 10_000 })).toBe('new')
    expect(await inspect.pttl(`${name}:d:a`)).toBeGreaterThan(9_000)
    expect(await store.begin('a', { token: 't2', leaseMs: 10_000 })).toBe('processing')
    await store.release('a', 't2')
    expect(await store.begin('a', { token: 't3', leaseMs: 10_000 })).toBe('processing')
    await store.complete('a', 't1', 60_000)
    expect(await inspect.pttl(`${name}:d:a`)).toBeGreaterThan(59_000)
    expect(await store.begin('a', { token: 't4', leaseMs: 10_000 })).toBe('done')
    await store.release('a')
    expect(await store.begin('a', { token: 't5', leaseMs: 10_000 })).toBe('new')
    await store.release('a', 't5')
    expect(await inspect.exists(`${name}:d:a`)).toBe(0)
  })

  it('begin and complete are one native command each (Redis counts them): SET NX PX GET, then SET PX; no script', async () => {
    const store = client.store({ prefix: `${name}:count:` })
    await inspect.call('config', 'resetstat')
    expect(await store.begin('n', { token: 't', leaseMs: 10_000 })).toBe('new')
    await store.complete('n', 't', 60_000)
    const stats = await inspect.info('commandstats')
    const calls = Object.fromEntries([...stats.matchAll(/^cmdstat_([a-z|]+):calls=(\d+)/gm)].map((match) => [match[1], Number(match[2])]))
    // The INFO that reads the stats counts itself only after it answers.
    expect(calls).toEqual({ 'config|resetstat': 1, set: 2 })
  })

  it('complete after our lease expired and another attempt took the id marks it done: that attempt can no longer release it', async () => {
    const store = client.store({ prefix: `${name}:` })
    expect(await store.begin('late', { token: 'slow', leaseMs: 30 })).toBe('new')
    await new Promise((resolve) => setTimeout(resolve, 60))
    expect(await store.begin('late', { token: 'next', leaseMs: 10_000 })).toBe('new')
    // The slow handler did finish: the delivery is handled, whoever holds the lease now.
    await store.complete('late', 'slow', 60_000)
    expect(await inspect.get(`${name}:d:late`)).toBe('done')
    // A release by the newer attempt (its handler threw) never undoes a done delivery, nor deletes another's lease.
    await store.release('late', 'next')
    expect(await store.begin('late', { token: 'third', leaseMs: 10_000 })).toBe('done')
    expect(await store.begin('held', { token: 'a', leaseMs: 10_000 })).toBe('new')
    await store.release('held', 'b')
    expect(await store.begin('held', { token: 'c', leaseMs: 10_000 })).toBe('processing')
  })

  it('an expired lease (the process died) lets the next attempt in', async () => {
    const store = client.store({ prefix: `${name}:` })
    expect(await store.begin('b', { token: 'dead', leaseMs: 30 })).toBe('new')
    await new Promise((resolve) => setTimeout(resolve, 60))
    expect(await store.begin('b', { token: 'next', leaseMs: 10_000 })).toBe('new')
  })

  it('ordering: an older version, or the same version under another id, is stale; the id that carried it may come back', async () => {
    const store = client.store({ prefix: `${name}:` })
    const order = (version: number) => ({ resource: 'sub_1', version, ttlMs: 60_000 })
    expect(await store.begin('v5', { token: 't', leaseMs: 10_000, order: order(5) })).toBe('new')
    expect(await store.begin('v3', { token: 't', leaseMs: 10_000, order: order(3) })).toBe('stale')
    expect(await store.begin('v5b', { token: 't', leaseMs: 10_000, order: order(5) })).toBe('stale')
    await store.release('v5', 't')
    expect(await store.begin('v5', { token: 'u', leaseMs: 10_000, order: order(5) })).toBe('new')
    expect(await store.begin('v6', { token: 't', leaseMs: 10_000, order: order(6) })).toBe('new')
  })

  describe("the verifier's replay contract (claim), as MemoryReplayStore keeps it", () => {
    let fresh = 0
    replayContract(() => client.store({ prefix: `${name}:claim${fresh++}:` }), 'node')
  })

  it('refuses with store_unavailable while Redis is down, and reloads its scripts once it is back (empty)', async () => {
    const store = client.store({ prefix: `${name}:`, timeout: 500 })
    await redis.stop({ crash: true })
    const error = await store.begin('c', { token: 't', leaseMs: 1000 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(WebhookVerificationError)
    expect((error as WebhookVerificationError).reason).toBe('store_unavailable')
    expect(JSON.stringify(error)).not.toContain(redis.path)
    await redis.start()
    // The client reconnects on its own; the restarted server knows no script until EVAL loads it.
    let outcome: string | undefined
    for (let i = 0; i < 100 && outcome === undefined; i++) {
      outcome = await store.begin('c', { token: 't', leaseMs: 1000 }).catch(() => undefined)
      if (outcome === undefined) await new Promise((resolve) => setTimeout(resolve, 50))
    }
    expect(outcome).toBe('new')
    inspect.disconnect()
    inspect = new Redis({ path: redis.path })
  })
})
