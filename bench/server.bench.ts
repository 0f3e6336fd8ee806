/**
 * `npm run bench:server`: the wirekit.v1 server (`@wirekit/sdk/server`) against socket.io 4, the
 * Performance section of issue 13. Every server and every load generator runs in a process of its own
 * (child_process.fork); this process only orchestrates, over IPC, and ends every child by pid.
 *
 * Layout, the same for both servers:
 * - Server processes (bench/server/server.ts): wirekit's `createRealtimeServer` and socket.io's
 *   `Server` with `transports: ['websocket']`, each mounted on its own http.Server on 127.0.0.1,
 *   permessage-deflate off. One process on the memory engine / socket.io's in-memory adapter; or three
 *   processes on one redis-server (unix socket, test/support.ts) with the Redis engine /
 *   `@socket.io/redis-streams-adapter`, each with its own ioredis client.
 * - Subscribers: BENCH_GENERATORS processes (bench/server/subscribers.ts) holding BENCH_SUBSCRIBERS
 *   connections in all, spread round-robin over the server processes, all on one channel / one room.
 *   They are bare `ws` clients that speak each protocol by hand, so the client cost per event is the
 *   same for both (one frame, one JSON.parse); each checks its events arrive in order with no hole.
 * - Publisher: inside the (first) server process, the backend path of each: `realtime.publish()` and
 *   `io.to(room).emit()`, a ~150-byte JSON payload, BENCH_EVENTS per run. It publishes BENCH_BATCH
 *   events per turn of its loop, yields to the event loop, and waits while any connection of any server has more than 64 KB queued in user space (the parent
 *   relays the other processes' pressure), so both go as fast as their sockets drain and wirekit never
 *   cuts off a subscriber as a slow consumer.
 *
 * Figures:
 * - Delivered events/s = events received by all subscribers ÷ (last receipt − first publish), one
 *   clock shared by the processes. Every subscriber must receive every event in order: losses and
 *   repeats are counted and printed; a wirekit run with any is not a valid figure (socket.io makes no
 *   delivery promise; its losses are printed beside it). Also the servers' CPU per 1,000 deliveries.
 * - Cross-process latency: a probe process holds one connection to server A (the publisher) and one to
 *   server B (two probe processes, one per path), through each server's own client
 *   (`@wirekit/sdk/realtime`, `socket.io-client`); events
 *   are published on A one every BENCH_PROBE_INTERVAL ms, with the subscribers gone (the path, not
 *   the fan-out queue, is measured). Both deliver on A only once Redis has the event (wirekit's
 *   engine through its pub/sub notification; socket.io's adapter awaits its XADD first). Extra
 *   latency = arrival via B − arrival via A, per event; with the absolute latencies (publish → arrival)
 *   beside it, all on the clock the processes share (performance.timeOrigin + now).
 * - Memory per idle connection: a fresh server process (bare `ws` WebSocketServer, socket.io,
 *   wirekit), heap + external and RSS after gc with BENCH_IDLE connections minus with none, ÷
 *   BENCH_IDLE. "Connected, idle": handshake done (wirekit's welcome, socket.io's namespace connect),
 *   no channel or room. wirekit subscribed to one channel is shown as well.
 * - Ratios in one run from interleaved repetitions (wirekit, socket.io, then socket.io, wirekit, …),
 *   median (min–max). The load average at the start and at the end is printed.
 *
 * Env: BENCH_SUBSCRIBERS (1000), BENCH_EVENTS (500 per run), BENCH_BATCH (16 events published per
 * turn of the publisher's loop), BENCH_REPETITIONS (5), BENCH_IDLE (2000), BENCH_MEMORY_REPETITIONS (3),
 * BENCH_PROBES (500), BENCH_PROBE_INTERVAL (4 ms), BENCH_GENERATORS (2), BENCH_CPU_PROF=<folder>
 * (servers run with --cpu-prof into that folder).
 */
import { type ChildProcess, fork } from 'node:child_process'
import { loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { startRedis, type RedisServer } from '../test/support.ts'
import { type Spread, formatSpread, spread } from './lib/compare.ts'
import { barChart, machineLine, versionOf, writeChart, writeResultsSection } from './lib/report.ts'
import { CHANNEL, type Command, type Kind, type Report, type ServerCommand, type ServerReport } from './server/shared.ts'

const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 1000)
const EVENTS = Number(process.env.BENCH_EVENTS ?? 500)
const REPETITIONS = Number(process.env.BENCH_REPETITIONS ?? 5)
const IDLE = Number(process.env.BENCH_IDLE ?? 2000)
const MEMORY_REPETITIONS = Number(process.env.BENCH_MEMORY_REPETITIONS ?? 3)
const PROBES = Number(process.env.BENCH_PROBES ?? 500)
const PROBE_INTERVAL = Number(process.env.BENCH_PROBE_INTERVAL ?? 4)
const GENERATORS = Number(process.env.BENCH_GENERATORS ?? 2)
const BATCH = Number(process.env.BENCH_BATCH ?? 16)
const CPU_PROF = process.env.BENCH_CPU_PROF
const OURS = '@wirekit/sdk/server'
const PEER = 'socket.io'
const loadAtStart = loadavg()[0]!.toFixed(1)

type Message = (Report | ServerReport) & { group?: string }

/** A child process of ours, with a mailbox for its IPC reports. */
class Child {
  readonly process: ChildProcess
  readonly #inbox: Message[] = []
  readonly #waiters = new Set<() => void>()
  #failure: Error | undefined
  constructor(script: string, args: string[], execArgv: string[]) {
    this.process = fork(fileURLToPath(new URL(script, import.meta.url)), args, { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    children.add(this)
    this.process.on('message', (message: Message) => {
      if (message.type === 'failed') this.#failure = new Error(`${script}: ${(message as { message: string }).message}`)
      else this.#inbox.push(message)
      this.#wake()
    })
    this.process.on('exit', (code, signal) => {
      children.delete(this)
      this.#failure ??= new Error(`${script} exited (${code ?? signal})`)
      this.#wake()
    })
  }
  #wake(): void {
    for (const wake of this.#waiters) wake()
  }
  send(command: Command | ServerCommand): void {
    this.process.send(command)
  }
  /** The next report of `type` (and `group`), or an error when the child fails, exits or is silent for `timeoutMs`. */
  async next<T extends Message['type']>(type: T, group?: string, timeoutMs = 180_000): Promise<Extract<Message, { type: T }>> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const index = this.#inbox.findIndex((message) => message.type === type && (group === undefined || message.group === group))
      if (index >= 0) return this.#inbox.splice(index, 1)[0] as Extract<Message, { type: T }>
      if (this.#failure) throw this.#failure
      if (Date.now() > deadline) throw new Error(`no ${type} report within ${timeoutMs} ms`)
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer)
          this.#waiters.delete(wake)
          resolve()
        }
        const timer = setTimeout(wake, Math.max(1, deadline - Date.now()))
        this.#waiters.add(wake)
      })
    }
  }
  async ask<T extends Message['type']>(command: Command | ServerCommand, type: T, group?: string): Promise<Extract<Message, { type: T }>> {
    const answer = this.next(type, group)
    this.send(command)
    return answer
  }
  /** Ends it by its own pid and waits until it is gone. */
  async stop(): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return
    const gone = new Promise((resolve) => this.process.once('exit', resolve))
    this.process.kill('SIGKILL')
    await gone
  }
}
const children = new Set<Child>()
// Also on a crash of this process: no child outlives it.
process.on('exit', () => {
  for (const child of children) child.process.kill('SIGKILL')
})

/** A running server process and its URL. */
interface ServerProcess {
  child: Child
  url: string
}
async function startServer(kind: Kind, engine: 'memory' | 'redis', redis: RedisServer | undefined, mode: 'fanout' | 'idle'): Promise<ServerProcess> {
  const execArgv = ['--expose-gc', ...(CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF}`, `--cpu-prof-name=${kind}-${engine}-${process.hrtime.bigint()}.cpuprofile`] : [])]
  const child = new Child('./server/server.ts', [kind, engine, redis?.path ?? '-', mode], execArgv)
  const { url } = await child.next('ready', undefined, 30_000)
  return { child, url }
}
/** Asks a server to exit, so --cpu-prof writes its profile, then makes sure it is gone. */
async function stopServer(server: ServerProcess): Promise<void> {
  const exited = new Promise((resolve) => server.child.process.once('exit', resolve))
  server.child.send({ type: 'exit' })
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))])
  await server.child.stop()
}

const generators = Array.from({ length: GENERATORS }, () => new Child('./server/subscribers.ts', [], []))
/** How many of `total` connections generator `index` holds. */
const share = (total: number, index: number) => Math.floor(total / GENERATORS) + (index < total % GENERATORS ? 1 : 0)

async function connectGroup(group: string, kind: Kind, servers: ServerProcess[], total: number, channel: string | undefined): Promise<void> {
  await Promise.all(
    generators.map((generator, index) => generator.ask({ type: 'connect', group, kind, urls: servers.map((server) => server.url), count: share(total, index), channel }, 'connected', group)),
  )
}
async function disconnectGroup(group: string): Promise<void> {
  await Promise.all(generators.map((generator) => generator.ask({ type: 'disconnect', group }, 'disconnected', group)))
}

/** One fan-out layout under test: its server processes (the first one publishes) and its subscribers' group. */
interface Layout {
  name: string
  servers: ServerProcess[]
  group: string
}

interface FanoutRun {
  rate: number
  received: number
  expected: number
  lost: number
  repeated: number
  closed: number
  /** Server CPU (all its processes) per 1,000 deliveries, µs. */
  cpuPerThousand: number
}

/** The other server processes' back-pressure, relayed to the publisher (a Redis layout). */
function relayPressure(layout: Layout): () => void {
  const [publisher, ...others] = layout.servers
  const high = new Set<ServerProcess>()
  const listeners = others.map((server) => {
    const listener = (message: Message) => {
      if (message.type !== 'pressure') return
      if (message.high) high.add(server)
      else high.delete(server)
      publisher!.child.send({ type: 'hold', hold: high.size > 0 })
    }
    server.child.process.on('message', listener)
    return () => server.child.process.off('message', listener)
  })
  return () => {
    for (const off of listeners) off()
    publisher!.child.send({ type: 'hold', hold: false })
  }
}

async function fanout(layout: Layout, events: number): Promise<FanoutRun> {
  const { servers, group } = layout
  await Promise.all(generators.map((generator) => generator.ask({ type: 'expect', group, events }, 'armed', group)))
  await Promise.all(servers.map((server) => server.child.ask({ type: 'cpu' }, 'cpu')))
  const unrelay = relayPressure(layout)
  const reports = Promise.all(generators.map((generator) => generator.next('received', group)))
  const { first } = await servers[0]!.child.ask({ type: 'publish', events }, 'published')
  const received = await reports
  unrelay()
  const cpu = await Promise.all(servers.map((server) => server.child.ask({ type: 'cpu' }, 'cpu')))
  const total = received.reduce((sum, report) => sum + report.received, 0)
  const last = Math.max(...received.map((report) => report.last))
  return {
    rate: total / ((last - first) / 1000),
    received: total,
    expected: events * SUBSCRIBERS,
    lost: received.reduce((sum, report) => sum + report.lost, 0),
    repeated: received.reduce((sum, report) => sum + report.repeated, 0),
    closed: received.reduce((sum, report) => sum + report.closed, 0),
    cpuPerThousand: (cpu.reduce((sum, report) => sum + report.micros, 0) / total) * 1000,
  }
}

interface FanoutResult {
  name: string
  runs: FanoutRun[]
}

/** Runs both layouts in interleaved, rotated repetitions after one warm-up run each. */
async function compareFanout(layouts: Layout[]): Promise<FanoutResult[]> {
  for (const layout of layouts) await fanout(layout, EVENTS)
  const runs = new Map<string, FanoutRun[]>(layouts.map((layout) => [layout.name, []]))
  for (let repetition = 0; repetition < REPETITIONS; repetition++) {
    const order = layouts.map((_, index) => layouts[(index + repetition) % layouts.length]!)
    for (const layout of order) {
      const run = await fanout(layout, EVENTS)
      runs.get(layout.name)!.push(run)
      console.log(`  ${layout.name}: ${Math.round(run.rate).toLocaleString('en-US')} events/s${run.lost || run.repeated ? `, ${run.lost} lost, ${run.repeated} repeated, ${run.closed} closed` : ''}`)
    }
  }
  return layouts.map((layout) => ({ name: layout.name, runs: runs.get(layout.name)! }))
}

const thousands = (value: number) => Math.round(value).toLocaleString('en-US')
/** Per repetition: ours ÷ the peer's. */
const ratioSpread = (ours: number[], theirs: number[]) => spread(ours.map((value, index) => value / theirs[index]!))

function fanoutTable(results: FanoutResult[]): { table: string; ratio: Spread; valid: boolean } {
  const [ours, peer] = results as [FanoutResult, FanoutResult]
  const ratio = ratioSpread(
    ours.runs.map((run) => run.rate),
    peer.runs.map((run) => run.rate),
  )
  const row = (result: FanoutResult, ratioCell: string) => {
    const lost = result.runs.reduce((sum, run) => sum + run.lost, 0)
    const repeated = result.runs.reduce((sum, run) => sum + run.repeated, 0)
    const closed = result.runs.reduce((sum, run) => sum + run.closed, 0)
    const expected = result.runs.reduce((sum, run) => sum + run.expected, 0)
    return `| ${result.name} | ${formatSpread(spread(result.runs.map((run) => run.rate)), 0)} | ${ratioCell} | ${formatSpread(spread(result.runs.map((run) => run.cpuPerThousand)), 0)} | ${thousands(lost)} of ${thousands(expected)} | ${thousands(repeated)} | ${closed} |`
  }
  const valid = ours.runs.every((run) => run.lost === 0 && run.repeated === 0 && run.closed === 0)
  const table = [
    `| server | delivered events/s | ratio to ${PEER} | server CPU µs / 1,000 deliveries | lost | repeated | connections closed |`,
    '| --- | --- | --- | --- | --- | --- | --- |',
    row(ours, `${formatSpread(ratio, 3)}×${valid ? '' : ' (invalid: losses)'}`),
    row(peer, '1×'),
  ].join('\n')
  return { table, ratio, valid }
}

const verdict = (value: number, target: number, higherIsBetter: boolean) => ((higherIsBetter ? value >= target : value <= target) ? 'meets' : 'misses')

let redis: RedisServer | undefined
const running: ServerProcess[] = []
try {
  await Promise.all(generators.map((generator) => new Promise((resolve) => generator.process.once('spawn', resolve))))

  // 1. One process each, SUBSCRIBERS subscribers of one channel / room.
  console.log(`one process, ${SUBSCRIBERS} subscribers, ${EVENTS} events per run`)
  const single = [await startServer('wirekit', 'memory', undefined, 'fanout'), await startServer('socketio', 'memory', undefined, 'fanout')]
  running.push(...single)
  await connectGroup('wirekit-1', 'wirekit', [single[0]!], SUBSCRIBERS, CHANNEL)
  await connectGroup('socketio-1', 'socketio', [single[1]!], SUBSCRIBERS, CHANNEL)
  const oneProcess = await compareFanout([
    { name: OURS, servers: [single[0]!], group: 'wirekit-1' },
    { name: PEER, servers: [single[1]!], group: 'socketio-1' },
  ])
  await disconnectGroup('wirekit-1')
  await disconnectGroup('socketio-1')
  for (const server of single) await stopServer(server)
  running.length = 0

  // 2. Three processes each on one Redis.
  console.log(`three processes on one Redis, ${SUBSCRIBERS} subscribers, ${EVENTS} events per run`)
  redis = await startRedis()
  const wirekit3: ServerProcess[] = []
  const socketio3: ServerProcess[] = []
  for (let i = 0; i < 3; i++) {
    wirekit3.push(await startServer('wirekit', 'redis', redis, 'fanout'))
    socketio3.push(await startServer('socketio', 'redis', redis, 'fanout'))
  }
  running.push(...wirekit3, ...socketio3)
  await connectGroup('wirekit-3', 'wirekit', wirekit3, SUBSCRIBERS, CHANNEL)
  await connectGroup('socketio-3', 'socketio', socketio3, SUBSCRIBERS, CHANNEL)
  const threeProcesses = await compareFanout([
    { name: `${OURS} (Redis engine)`, servers: wirekit3, group: 'wirekit-3' },
    { name: `${PEER} (redis-streams-adapter)`, servers: socketio3, group: 'socketio-3' },
  ])

  // 3. Cross-process latency, in the same three-process layouts, with only the probe connected: the
  // figure is the path through Redis, not the queue behind a thousand other subscribers.
  for (const group of ['wirekit-3', 'socketio-3']) await disconnectGroup(group)
  console.log(`cross-process latency, ${PROBES} events one every ${PROBE_INTERVAL} ms`)
  const probeLayouts = [
    { name: OURS, kind: 'wirekit' as const, servers: wirekit3, group: 'wirekit-probe' },
    { name: PEER, kind: 'socketio' as const, servers: socketio3, group: 'socketio-probe' },
  ]
  // One probe process per path, so the two arrivals of an event are never timestamped in the same turn of one event loop.
  const probes = [generators[0]!, generators[1 % GENERATORS]!]
  for (const layout of probeLayouts) {
    await Promise.all(probes.map((probe, index) => probe.ask({ type: 'probe', group: layout.group, kind: layout.kind, urls: [layout.servers[index]!.url], channel: CHANNEL }, 'connected', layout.group)))
  }
  interface Latency {
    local: { p50: number; p99: number }
    remote: { p50: number; p99: number }
    extra: { p50: number; p99: number }
    missing: number
  }
  const percentiles = (values: number[]) => {
    const sorted = values.filter((value) => !Number.isNaN(value)).sort((a, b) => a - b)
    const at = (fraction: number) => sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!
    return { p50: at(0.5), p99: at(0.99) }
  }
  async function measureLatency(layout: (typeof probeLayouts)[number]): Promise<Latency> {
    await Promise.all(probes.map((probe) => probe.ask({ type: 'probe-expect', group: layout.group, events: PROBES }, 'armed', layout.group)))
    const probed = Promise.all(probes.map((probe) => probe.next('probed', layout.group)))
    await layout.servers[0]!.child.ask({ type: 'publish', events: PROBES, intervalMs: PROBE_INTERVAL }, 'published')
    // Each probe reports the events it saw, by publish time; matched here by that time.
    const [viaA, viaB] = (await probed).map(({ sent, arrivals }) => new Map(sent.map((t, index) => [t, arrivals[0]![index]!]))) as [Map<number, number>, Map<number, number>]
    const both = [...viaA.keys()].filter((t) => viaB.has(t))
    return {
      local: percentiles([...viaA].map(([t, at]) => at - t)),
      remote: percentiles([...viaB].map(([t, at]) => at - t)),
      extra: percentiles(both.map((t) => viaB.get(t)! - viaA.get(t)!)),
      missing: PROBES * 2 - viaA.size - viaB.size,
    }
  }
  const latencies = new Map<string, Latency[]>(probeLayouts.map((layout) => [layout.name, []]))
  for (const layout of probeLayouts) await measureLatency(layout)
  for (let repetition = 0; repetition < 3; repetition++) {
    for (const layout of repetition % 2 ? [...probeLayouts].reverse() : probeLayouts) latencies.get(layout.name)!.push(await measureLatency(layout))
  }
  for (const group of ['wirekit-probe', 'socketio-probe']) await disconnectGroup(group)
  for (const server of running) await stopServer(server)
  running.length = 0
  await redis.close()
  redis = undefined

  // 4. Memory per idle connection, each measurement in a fresh server process.
  console.log(`memory, ${IDLE} idle connections`)
  const memoryContenders: Array<{ name: string; kind: Kind; channel?: string }> = [
    { name: 'ws (bare WebSocketServer)', kind: 'ws' },
    { name: PEER, kind: 'socketio' },
    { name: OURS, kind: 'wirekit' },
    { name: `${OURS}, subscribed to 1 channel`, kind: 'wirekit', channel: CHANNEL },
  ]
  const memory = new Map<string, Array<{ heap: number; rss: number }>>(memoryContenders.map((contender) => [contender.name, []]))
  for (let repetition = 0; repetition < MEMORY_REPETITIONS; repetition++) {
    const order = memoryContenders.map((_, index) => memoryContenders[(index + repetition) % memoryContenders.length]!)
    for (const contender of order) {
      const server = await startServer(contender.kind, 'memory', undefined, 'idle')
      running.push(server)
      const before = await server.child.ask({ type: 'memory' }, 'memory')
      const group = `idle-${repetition}-${contender.name}`
      await connectGroup(group, contender.kind, [server], IDLE, contender.channel)
      await new Promise((resolve) => setTimeout(resolve, 500))
      const after = await server.child.ask({ type: 'memory' }, 'memory')
      memory.get(contender.name)!.push({ heap: (after.heap - before.heap) / IDLE, rss: (after.rss - before.rss) / IDLE })
      await disconnectGroup(group)
      await stopServer(server)
      running.pop()
    }
  }

  // Report.
  const one = fanoutTable(oneProcess)
  const three = fanoutTable(threeProcesses)
  const latencyCell = (values: Latency[], which: 'local' | 'remote' | 'extra') =>
    `${formatSpread(spread(values.map((value) => value[which].p50)), 2)} / ${formatSpread(spread(values.map((value) => value[which].p99)), 2)}`
  const latencyTable = [
    '| server | publish → receipt via the publishing process, p50 / p99 ms | publish → receipt via another process, p50 / p99 ms | extra for crossing processes (B − A per event), p50 / p99 ms | missing |',
    '| --- | --- | --- | --- | --- |',
    ...probeLayouts.map((layout) => {
      const values = latencies.get(layout.name)!
      return `| ${layout.name} | ${latencyCell(values, 'local')} | ${latencyCell(values, 'remote')} | ${latencyCell(values, 'extra')} | ${values.reduce((sum, value) => sum + value.missing, 0)} |`
    }),
  ].join('\n')
  const floor = memory.get(memoryContenders[0]!.name)!
  const kb = (bytes: number) => (bytes / 1024).toFixed(2)
  const memoryRatio = (name: string, figure: 'heap' | 'rss') =>
    ratioSpread(
      memory.get(name)!.map((value) => value[figure]),
      floor.map((value) => value[figure]),
    )
  const memoryTable = [
    '| server | heap + external KB / connection | ratio to bare ws | RSS KB / connection | ratio to bare ws |',
    '| --- | --- | --- | --- | --- |',
    ...memoryContenders.map((contender) => {
      const values = memory.get(contender.name)!
      const heap = spread(values.map((value) => value.heap / 1024))
      const rss = spread(values.map((value) => value.rss / 1024))
      return `| ${contender.name} | ${formatSpread(heap, 2)} | ${formatSpread(memoryRatio(contender.name, 'heap'), 2)}× | ${formatSpread(rss, 2)} | ${formatSpread(memoryRatio(contender.name, 'rss'), 2)}× |`
    }),
  ].join('\n')
  const oursHeap = memoryRatio(OURS, 'heap')
  const oursRss = memoryRatio(OURS, 'rss')
  const wirekitLatency = latencies.get(OURS)!
  const extraP50 = spread(wirekitLatency.map((value) => value.extra.p50))
  const extraP99 = spread(wirekitLatency.map((value) => value.extra.p99))
  const targets = [
    `- one process: ${OURS} = ${formatSpread(one.ratio, 3)}× ${PEER} in delivered events/s (${one.valid ? verdict(one.ratio.median, 1, true) : 'not valid: losses'} ≥ 1.0×)`,
    `- three processes on one Redis: ${formatSpread(three.ratio, 3)}× ${PEER} with the Redis streams adapter (${three.valid ? verdict(three.ratio.median, 1, true) : 'not valid: losses'} ≥ 1.0×)`,
    `- extra latency of cross-process delivery (${OURS}, Redis engine): p50 ${formatSpread(extraP50, 2)} ms, p99 ${formatSpread(extraP99, 2)} ms`,
    `- memory per idle connection: ${formatSpread(oursHeap, 2)}× bare ws by heap + external (${verdict(oursHeap.median, 1.2, false)} ≤ 1.2×), ${formatSpread(oursRss, 2)}× by RSS (${verdict(oursRss.median, 1.2, false)})`,
  ].join('\n')
  console.log(`\n${one.table}\n\n${three.table}\n\n${latencyTable}\n\n${memoryTable}\n\n${targets}`)

  const fanoutChart = writeChart(
    'server-fanout',
    barChart(
      `Delivered events/s to ${SUBSCRIBERS.toLocaleString('en-US')} subscribers of one channel — higher is better`,
      '',
      [...oneProcess.map((result) => ({ ...result, name: `${result.name}, 1 process` })), ...threeProcesses.map((result) => ({ ...result, name: `${result.name}, 3 processes` }))].map((result) => ({
        label: result.name,
        value: spread(result.runs.map((run) => run.rate)),
      })),
    ),
  )
  const latencyChart = writeChart(
    'server-latency',
    barChart(
      'Publish on process A → receipt on process B (Redis), ms — lower is better',
      ' ms',
      probeLayouts.flatMap((layout) => {
        const values = latencies.get(layout.name)!
        return [
          { label: `${layout.name}, p50`, value: spread(values.map((value) => value.remote.p50)) },
          { label: `${layout.name}, p99`, value: spread(values.map((value) => value.remote.p99)) },
        ]
      }),
    ),
  )
  const memoryChart = writeChart(
    'server-memory',
    barChart(
      'Memory per idle connection (heap + external after gc), × bare ws — lower is better',
      '×',
      memoryContenders.map((contender) => ({ label: contender.name, value: memoryRatio(contender.name, 'heap') })),
      1,
    ),
  )
  const versions = ['socket.io', 'socket.io-client', '@socket.io/redis-streams-adapter', 'ws', 'ioredis'].map((name) => `${name} ${versionOf(name)}`).join(', ')
  writeResultsSection(
    'server',
    [
      '## Realtime server (`npm run bench:server`)',
      `${machineLine()} (at the start: ${loadAtStart}) · ${versions} · ${SUBSCRIBERS.toLocaleString('en-US')} subscribers in ${GENERATORS} generator processes · ${EVENTS.toLocaleString('en-US')} events (~150 bytes of JSON) per run · ${REPETITIONS} interleaved repetitions, order rotated, after a warm-up run each; median (min–max).`,
      `Every server and load generator in a process of its own, on 127.0.0.1; both servers with the websocket transport only and permessage-deflate off; each publishes from backend code in its (first) server process (\`realtime.publish()\`, \`io.to(room).emit()\`), ${BATCH} events per turn of the publisher's loop, paced by the sockets' back-pressure. Delivered events/s = events received by all subscribers ÷ (last receipt − first publish); every subscriber must get every event in order. The subscribers are bare \`ws\` clients speaking each protocol, so the client cost per event is equal. Layout and method: the header of bench/server.bench.ts.`,
      `### One process, ${SUBSCRIBERS.toLocaleString('en-US')} subscribers of one channel`,
      one.table,
      '### Three processes on one Redis',
      `Subscribers spread round-robin over the three processes; events published in the first. wirekit: the Redis engine (ioredis); socket.io: \`@socket.io/redis-streams-adapter\` (ioredis), default options.`,
      three.table,
      `![delivered events/s](${fanoutChart})`,
      '### Cross-process latency',
      `Two probe processes, one connected to the publishing process A and one to process B, each through the server's own client; ${PROBES} events one every ${PROBE_INTERVAL} ms, the other subscribers gone; 3 repetitions. Both deliver on A only once Redis has the event too: wirekit's engine through its pub/sub notification, the same path as every process's; socket.io's adapter after its XADD is answered. Times are on the clock the processes share (\`performance.timeOrigin + performance.now()\`).`,
      latencyTable,
      `![cross-process latency](${latencyChart})`,
      `### Memory per idle connection`,
      `A fresh server process per measurement: (with ${IDLE.toLocaleString('en-US')} connections − with none) ÷ ${IDLE.toLocaleString('en-US')}, after gc; ${MEMORY_REPETITIONS} repetitions. Connected and idle: wirekit after its welcome, socket.io after the namespace connect, no channel or room.`,
      memoryTable,
      `![memory per idle connection](${memoryChart})`,
      '### Against issue 13',
      targets,
    ].join('\n\n'),
  )
} finally {
  for (const child of [...children]) await child.stop()
  await redis?.close()
}
