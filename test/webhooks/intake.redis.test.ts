// Issue 14's acceptance, on real processes and a real Redis (`npm run test:redis`): four receiver child
// processes (two on ioredis, two on node-redis) share one redis-server; this process is the sender and
// keeps the ledger from the receivers' IPC reports. Each test prints its figures on `[acceptance]` lines.
// INTAKE_DELIVERIES scales the first test (default 2000, the figure).
import { type ChildProcess, fork } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { build } from 'esbuild'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { standardWebhooks } from '../../src/webhooks/index.js'
import { type RedisServer, root, seeded, startRedis } from '../support.js'

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
const DELIVERIES = Number(process.env.INTAKE_DELIVERIES ?? 2000)
const signer = standardWebhooks({ secret: SECRET })
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

let redis: RedisServer
let receiverScript: string

beforeAll(async () => {
  redis = await startRedis()
  // The receiver imports src/ (TypeScript with `.js` specifiers): esbuild bundles it for plain Node,
  // leaving ioredis and redis to node_modules.
  const outdir = join(root, 'node_modules', '.cache', 'wirekit-intake-test')
  mkdirSync(outdir, { recursive: true })
  receiverScript = join(outdir, 'receiver.mjs')
  await build({ entryPoints: [join(root, 'test/webhooks/fixtures/receiver.ts')], outfile: receiverScript, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'error' })
})
afterAll(async () => {
  await redis?.close()
})

interface Receiver {
  child: ChildProcess
  port: number
  pid: number
}

/** The receivers of one test and the ledger they report into. */
class Fleet {
  readonly live: Receiver[] = []
  readonly all: ChildProcess[] = []
  /** Finished handlers per delivery. */
  readonly handled = new Map<number, number>()
  /** Handler starts, in the order they reached this process. */
  readonly starts: { n: number; resource?: string; version?: number; pid: number }[] = []
  onStart: (n: number, receiver: Receiver | undefined) => void = () => undefined

  constructor(readonly env: Record<string, string>) {}

  async spawn(client: 'ioredis' | 'node-redis'): Promise<Receiver> {
    const child = fork(receiverScript, [], { env: { ...process.env, ...this.env, REDIS_PATH: redis.path, SECRET, CLIENT: client }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] })
    this.all.push(child)
    return new Promise((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`a receiver exited before it was ready (${code})`)))
      child.on('message', (message: { kind: string; port?: number; n?: number; resource?: string; version?: number }) => {
        if (message.kind === 'ready') {
          const receiver = { child, port: message.port!, pid: child.pid! }
          this.live.push(receiver)
          resolve(receiver)
        } else if (message.kind === 'start') {
          this.starts.push({ n: message.n!, resource: message.resource, version: message.version, pid: child.pid! })
          this.onStart(message.n!, this.live.find((r) => r.child === child))
        } else if (message.kind === 'handled') {
          this.handled.set(message.n!, (this.handled.get(message.n!) ?? 0) + 1)
        }
      })
    })
  }

  /** SIGKILLs one of our receivers, by its pid, and takes it out of the rotation. */
  kill(receiver: Receiver): void {
    const index = this.live.indexOf(receiver)
    if (index >= 0) this.live.splice(index, 1)
    receiver.child.kill('SIGKILL')
  }

  async close(): Promise<void> {
    await Promise.all(
      this.all.map((child) => {
        if (child.exitCode !== null || child.signalCode !== null) return undefined
        const exited = new Promise((resolve) => child.once('exit', resolve))
        child.kill('SIGTERM')
        return exited
      }),
    )
  }
}

/** Each test's delivery ids are its own: the tests share one Redis, and done ids outlive a test. */
let testRun = 0

async function fleetOf(env: Record<string, string>): Promise<Fleet> {
  testRun++
  const fleet = new Fleet({ LEASE_SECONDS: '30', ...env })
  await Promise.all([fleet.spawn('ioredis'), fleet.spawn('ioredis'), fleet.spawn('node-redis'), fleet.spawn('node-redis')])
  return fleet
}

interface Signed {
  n: number
  body: string
  headers: Record<string, string>
}

async function signed(n: number, payload: object): Promise<Signed> {
  const body = JSON.stringify({ type: 'test.event', n, ...payload })
  return { n, body, headers: await signer.sign(body, { id: `msg_${testRun}_${n}` }) }
}

/** One POST to a receiver: its status and outcome, or `'network'` when the connection failed (a killed process). */
async function post(receiver: Receiver, delivery: Signed): Promise<{ status: number | 'network'; outcome?: string }> {
  try {
    const response = await fetch(`http://127.0.0.1:${receiver.port}/`, { method: 'POST', body: delivery.body, headers: delivery.headers, signal: AbortSignal.timeout(20_000) })
    const { outcome } = (await response.json()) as { outcome: string }
    return { status: response.status, outcome }
  } catch {
    return { status: 'network' }
  }
}

/** Runs `work` over `items` with at most `limit` in flight. */
async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await work(items[next++]!)
  }))
}

let fleet: Fleet | undefined
afterEach(async () => {
  await fleet?.close()
  fleet = undefined
})

describe('webhookIntake across four receiver processes on one Redis', () => {
  it(`${DELIVERIES} deliveries, each sent 3 times at once to random processes: each handled exactly once, every duplicate answered 200 or 409`, async () => {
    fleet = await fleetOf({})
    const random = seeded(14)
    const answers = new Map<string, number>()
    const handledAnswers = new Map<number, number>()
    const deliveries = await Promise.all(Array.from({ length: DELIVERIES }, (_, n) => signed(n, { delay: Math.floor(random() * 51) })))
    await pool(deliveries, 32, async (delivery) => {
      await Promise.all([0, 1, 2].map(async () => {
        // A sender retries a 409 later; everything must end in a 200.
        for (let attempt = 0; attempt < 50; attempt++) {
          const receiver = fleet!.live[Math.floor(random() * fleet!.live.length)]!
          const { status, outcome } = await post(receiver, delivery)
          answers.set(`${status} ${outcome}`, (answers.get(`${status} ${outcome}`) ?? 0) + 1)
          if (outcome === 'handled') handledAnswers.set(delivery.n, (handledAnswers.get(delivery.n) ?? 0) + 1)
          if (status === 200) return
          expect(status).toBe(409)
          await sleep(20)
        }
        throw new Error(`delivery ${delivery.n} never answered 200`)
      }))
    })
    const twice = [...fleet.handled.values()].filter((count) => count > 1).length
    const lost = deliveries.filter((d) => !fleet!.handled.has(d.n)).length
    console.log(`[acceptance] intake fan-in: ${DELIVERIES} deliveries × 3 sends over 4 processes: handled once ${fleet.handled.size - twice}, twice ${twice}, lost ${lost}; answers ${JSON.stringify(Object.fromEntries(answers))}`)
    expect([lost, twice]).toEqual([0, 0])
    expect([...handledAnswers.values()].every((count) => count === 1) && handledAnswers.size === DELIVERIES).toBe(true)
    expect([...answers.keys()].sort()).toEqual(expect.arrayContaining(['200 duplicate', '200 handled']))
    for (const key of answers.keys()) expect(['200 handled', '200 duplicate', '409 in_progress']).toContain(key)
  })

  it('50 deliveries whose process is SIGKILLed mid-handler: the retry after the lease expired is handled once; 0 lost, 0 twice', async () => {
    fleet = await fleetOf({ LEASE_SECONDS: '2' })
    const random = seeded(1414)
    const killed = new Set<number>()
    let kills = 0
    const respawns: Promise<unknown>[] = []
    fleet.onStart = (n, receiver) => {
      // Each delivery's first handler start kills its process; a new one takes its place. A start that
      // arrives from a process already killed was cut mid-handler by that kill: it counts too.
      if (killed.has(n)) return
      killed.add(n)
      if (!receiver || !fleet!.live.includes(receiver)) return
      kills++
      fleet!.kill(receiver)
      respawns.push(fleet!.spawn(kills % 2 ? 'ioredis' : 'node-redis'))
    }
    const deliveries = await Promise.all(Array.from({ length: 50 }, (_, n) => signed(n, { delay: 1000 })))
    let networkErrors = 0
    await Promise.all(deliveries.map((delivery) => Promise.all([0, 1, 2].map(async () => {
      for (let attempt = 0; attempt < 200; attempt++) {
        while (fleet!.live.length === 0) await sleep(20)
        const receiver = fleet!.live[Math.floor(random() * fleet!.live.length)]!
        const { status } = await post(receiver, delivery)
        if (status === 200) return
        if (status === 'network') networkErrors++
        else expect(status).toBe(409)
        await sleep(100)
      }
      throw new Error(`delivery ${delivery.n} never answered 200`)
    }))))
    await Promise.all(respawns)
    const twice = [...fleet.handled.values()].filter((count) => count > 1).length
    const lost = deliveries.filter((d) => !fleet!.handled.has(d.n)).length
    // Checked from the ledger, not from our own bookkeeping: each delivery's first handler ran in a process we SIGKILLed.
    const deadPids = new Set(fleet.all.filter((child) => child.signalCode === 'SIGKILL').map((child) => child.pid))
    const firstStarts = new Map<number, number>()
    for (const start of fleet.starts) if (!firstStarts.has(start.n)) firstStarts.set(start.n, start.pid)
    const cut = deliveries.filter((d) => deadPids.has(firstStarts.get(d.n))).length
    console.log(`[acceptance] intake SIGKILL: ${cut} deliveries whose first handler ran in a SIGKILLed process (${kills} processes killed, ${networkErrors} sends cut), lost ${lost}, handled twice ${twice}`)
    expect(cut).toBe(50)
    expect([lost, twice]).toEqual([0, 0])
  })

  it('Redis stopped mid-run: nothing handled unprotected, every delivery in the outage answered 503; after Redis is back the retries are handled exactly once', async () => {
    fleet = await fleetOf({})
    const random = seeded(41)
    const deliveries = await Promise.all(Array.from({ length: 300 }, (_, n) => signed(n, { delay: Math.floor(random() * 20) })))
    const unavailable = new Set<number>()
    let answered = 0
    let outage: Promise<void> | undefined
    let down = false
    const duringOutage = new Map<string, number>()
    let handledInOutage = 0
    fleet.onStart = () => {
      if (down) handledInOutage++
    }
    await pool(deliveries, 8, async (delivery) => {
      for (let attempt = 0; attempt < 100; attempt++) {
        const receiver = fleet!.live[Math.floor(random() * fleet!.live.length)]!
        const wasDown = down
        const { status, outcome } = await post(receiver, delivery)
        if (wasDown && down) duringOutage.set(`${status} ${outcome}`, (duringOutage.get(`${status} ${outcome}`) ?? 0) + 1)
        if (status === 503) unavailable.add(delivery.n)
        if (status === 200) break
        expect([503, 409]).toContain(status)
        await sleep(50)
      }
      if (++answered === 100) {
        // A third of the way in, Redis goes away for a second and comes back empty.
        outage = (async () => {
          await redis.stop({ crash: true })
          down = true
          await sleep(1000)
          down = false
          await redis.start()
        })()
      }
    })
    await outage
    const twice = [...fleet.handled.values()].filter((count) => count > 1).length
    const lost = deliveries.filter((d) => !fleet!.handled.has(d.n)).length
    const retriedOnce = [...unavailable].filter((n) => fleet!.handled.get(n) === 1).length
    console.log(`[acceptance] intake Redis outage: handler starts while Redis was down ${handledInOutage}; answers in the outage ${JSON.stringify(Object.fromEntries(duringOutage))}; ${unavailable.size} deliveries answered 503, ${retriedOnce} of them handled exactly once after Redis came back; lost ${lost}, twice ${twice}`)
    expect(handledInOutage).toBe(0)
    expect([...duringOutage.keys()]).toEqual(['503 unavailable'])
    expect(unavailable.size).toBeGreaterThan(0)
    expect(retriedOnce).toBe(unavailable.size)
    expect([lost, twice]).toEqual([0, 0])
  })

  it('ordering: 1,000 updates of 50 resources, shuffled: no handler sees an older version after a newer one; every update acknowledged', async () => {
    fleet = await fleetOf({ ORDERING: '1' })
    const random = seeded(7)
    const updates = Array.from({ length: 1000 }, (_, n) => ({ n, resource: `sub_${n % 50}`, version: Math.floor(n / 50) }))
    for (let i = updates.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1))
      ;[updates[i], updates[j]] = [updates[j]!, updates[i]!]
    }
    const outcomes = new Map<string, number>()
    // One at a time, so the order handlers start in is the order this process sees.
    for (const update of updates) {
      const receiver = fleet.live[Math.floor(random() * fleet.live.length)]!
      const { status, outcome } = await post(receiver, await signed(update.n, { delay: 0, resource: update.resource, version: update.version }))
      outcomes.set(`${status} ${outcome}`, (outcomes.get(`${status} ${outcome}`) ?? 0) + 1)
    }
    const newest = new Map<string, number>()
    let regressions = 0
    for (const start of fleet.starts) {
      if ((newest.get(start.resource!) ?? -1) >= start.version!) regressions++
      newest.set(start.resource!, start.version!)
    }
    console.log(`[acceptance] intake ordering: 1000 updates of 50 resources shuffled over 4 processes: answers ${JSON.stringify(Object.fromEntries(outcomes))}; older-after-newer seen by a handler ${regressions}`)
    expect(regressions).toBe(0)
    expect((outcomes.get('200 handled') ?? 0) + (outcomes.get('200 stale') ?? 0)).toBe(1000)
    // The newest update of each resource is never held back.
    for (let r = 0; r < 50; r++) expect(newest.get(`sub_${r}`)).toBe(19)
  })
})
