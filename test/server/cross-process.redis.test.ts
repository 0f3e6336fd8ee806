// Three server processes on one Redis, clients given all three URLs (realtimeUrl as a list: each
// starts at a random one and moves on at every reconnect), events published through all three while
// one process is killed with SIGKILL and restarted twice: every client gets every event of its
// channels exactly once, in order. CI-sized by default; the full scale is
// WIREKIT_CROSS_CLIENTS=300 WIREKIT_CROSS_EVENTS=30000 npm run test:redis -- cross-process.
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRealtimeClient, type RealtimeClient } from '../../src/realtime/index.js'
import { type RedisServer, root, startRedis } from '../support.js'

const CLIENTS = Number(process.env.WIREKIT_CROSS_CLIENTS ?? 60)
const EVENTS = Number(process.env.WIREKIT_CROSS_EVENTS ?? 3_000)
const CHANNELS = 10
const PROCESSES = 3

let redis: RedisServer
let script: string
const children = new Set<ChildProcess>()
beforeAll(async () => {
  redis = await startRedis()
  // The child runs the server from source, bundled once (its packages stay imports from node_modules).
  const folder = join(root, 'node_modules', '.cache', 'wirekit-server-test')
  mkdirSync(folder, { recursive: true })
  script = join(folder, 'redis-process.mjs')
  await build({ entryPoints: [join(root, 'test/server/fixtures/redis-process.ts')], bundle: true, platform: 'node', format: 'esm', packages: 'external', outfile: script, logLevel: 'silent' })
})
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL')
  await redis?.close()
})

/** Starts one server process on `port` (0: a free one) and resolves with it once it listens. */
async function serverProcess(port: number): Promise<{ child: ChildProcess; url: string; port: number }> {
  const child = spawn(process.execPath, [script, redis.path, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] })
  children.add(child)
  child.once('exit', () => children.delete(child))
  const line = await new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (chunk) => {
      out += chunk
      if (out.includes('\n')) resolve(out.split('\n')[0]!)
    })
    child.once('exit', (code) => reject(new Error(`server process exited with ${code}`)))
  })
  return { child, ...(JSON.parse(line) as { url: string; port: number }) }
}

/** SIGKILL by pid, and wait until it is gone. */
async function kill(child: ChildProcess): Promise<void> {
  const gone = new Promise((resolve) => child.once('exit', resolve))
  process.kill(child.pid!, 'SIGKILL')
  await gone
}

async function until(predicate: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

describe('three server processes on one Redis', () => {
  it(`${CLIENTS} clients, ${EVENTS} events on ${CHANNELS} channels, one process SIGKILLed and restarted twice: 0 lost, 0 duplicated, in order`, { timeout: 600_000 }, async () => {
    const servers = await Promise.all(Array.from({ length: PROCESSES }, () => serverProcess(0)))
    const options = { realtime: { backoff: { base: 50, cap: 300 }, queue: { size: EVENTS, ttlMs: 120_000 } } }
    const received: Array<Array<{ k: number; offset: number }>> = []
    const gaps: number[] = []
    const clients: RealtimeClient[] = []
    const urls = servers.map((server) => server.url)
    /** Clients per process they started on (the list's first draw of each client's random source), and those that reconnected. */
    const startedOn = Array<number>(PROCESSES).fill(0)
    const moved = new Set<number>()
    for (let i = 0; i < CLIENTS; i++) {
      let first = true
      const random = () => {
        const draw = Math.random()
        if (first) startedOn[Math.floor(draw * PROCESSES)]!++
        first = false
        return draw
      }
      const client = createRealtimeClient({ realtimeUrl: urls, realtime: { ...options.realtime, random } })
      client.on('state', (change) => change.state === 'reconnecting' && moved.add(i))
      clients.push(client)
      const lines: Array<{ k: number; offset: number }> = []
      received.push(lines)
      gaps.push(0)
      await client.subscribe(`ch${i % CHANNELS}`, { onEvent: (event) => lines.push({ k: (event.data as { k: number }).k, offset: Number(event.offset) }), onGap: () => gaps[i]!++ }).ready
    }
    // One publisher pinned to each process, so events go in through all three.
    const publishers = servers.map((server) => createRealtimeClient({ realtimeUrl: server.url, ...options }))
    const started = Date.now()
    const pending: Array<Promise<unknown>> = []
    const killAt = [Math.floor(EVENTS / 3), Math.floor((2 * EVENTS) / 3)]
    let restarts = 0
    for (let k = 0; k < EVENTS; k++) {
      pending.push(publishers[k % PROCESSES]!.publish(`ch${k % CHANNELS}`, 'e', { k }))
      if (k % 200 === 199) await Promise.race([Promise.all(pending.slice(-200)), new Promise((resolve) => setTimeout(resolve, 2_000))])
      if (killAt.includes(k)) {
        // Process 0 dies mid-stream and comes back on the same port (so its clients' URL still works).
        const victim = servers[0]!
        await kill(victim.child)
        servers[0] = await serverProcess(victim.port)
        restarts++
      }
    }
    const results = await Promise.allSettled(pending)
    const rejected = results.filter((r) => r.status === 'rejected').length
    const perChannel = EVENTS / CHANNELS
    await until(() => received.every((lines) => lines.length >= perChannel), 120_000, 'every event at every client')
    // Barrier: one last event per channel (k from EVENTS on); each channel reaches a client in stream
    // order, so a duplicate of any earlier event would arrive before its channel's last one.
    const last = Array.from({ length: CHANNELS }, (_, c) => EVENTS + c)
    await Promise.all(last.map((k) => publishers[0]!.publish(`ch${k % CHANNELS}`, 'e', { k })))
    await until(() => received.every((lines) => lines.some((line) => line.k >= EVENTS)), 60_000, 'the last event at every client')
    let lost = 0
    let duplicated = 0
    let outOfOrder = 0
    received.forEach((lines, i) => {
      const expected = new Set(Array.from({ length: perChannel }, (_, n) => n * CHANNELS + (i % CHANNELS)))
      const seen = new Set(lines.map((line) => line.k))
      duplicated += lines.length - seen.size
      for (const k of expected) if (!seen.has(k)) lost++
      lines.forEach((line, index) => {
        if (line.offset !== index + 1) outOfOrder++
      })
    })
    const delivered = received.reduce((sum, lines) => sum + lines.filter((line) => line.k < EVENTS).length, 0)
    console.log(
      `[acceptance] cross-process: ${PROCESSES} processes on one Redis, ${CLIENTS} clients, ${EVENTS} events on ${CHANNELS} channels, process 0 SIGKILLed and restarted ${restarts}×, ${Date.now() - started} ms; clients given all ${PROCESSES} URLs started on ${startedOn.join('/')} and ${moved.size} moved to the next after a drop: ${delivered} deliveries, ${lost} lost, ${duplicated} duplicated, ${outOfOrder} out of order, ${gaps.reduce((a, b) => a + b, 0)} gaps, ${rejected} publishes rejected`,
    )
    for (const client of [...clients, ...publishers]) client.close()
    for (const server of servers) await kill(server.child)
    expect(restarts).toBe(2)
    expect(startedOn.every((count) => count > 0)).toBe(true)
    expect(moved.size).toBeGreaterThan(0)
    expect(rejected).toBe(0)
    expect(lost).toBe(0)
    expect(duplicated).toBe(0)
    expect(outOfOrder).toBe(0)
  })
})
