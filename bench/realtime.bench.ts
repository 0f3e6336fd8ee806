/**
 * Receive-and-dispatch throughput of wirekit/realtime against a bare `ws` client doing JSON.parse
 * (the floor), partysocket and reconnecting-websocket, plus drop → resubscribed latency.
 *
 *   npm run bench:realtime          (builds first; runs on the built package, as users get it)
 *   BENCH_EVENTS=50000 BENCH_REPS=3 npm run bench:realtime
 *
 * The server runs in another process (bench/realtime-server.ts) and pushes pre-serialised events.
 * Each repetition runs every contender once, in a rotated order, on a fresh connection; figures are
 * medians with min–max, and each contender's ratio is taken against the floor of the same repetition.
 */
import { type ChildProcess, fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import PartySocket from 'partysocket/ws'
import ReconnectingWebSocket from 'reconnecting-websocket'
import WebSocket from 'ws'
import type { createRealtimeClient as CreateRealtimeClient } from '../src/realtime/index.js'

const EVENTS = Number(process.env.BENCH_EVENTS ?? 200_000)
const REPS = Number(process.env.BENCH_REPS ?? 7)
const DROPS = Number(process.env.BENCH_DROPS ?? 50)

const { createRealtimeClient } = (await import(new URL('../dist/realtime.js', import.meta.url).href)) as {
  createRealtimeClient: typeof CreateRealtimeClient
}

interface Run {
  eventsPerSecond: number
  cpuMicrosPerEvent: number
}

const server: ChildProcess = fork(fileURLToPath(new URL('./realtime-server.ts', import.meta.url)))
const messages: Array<{ type: string; port?: number }> = []
const waiters: Array<() => void> = []
server.on('message', (message: { type: string; port?: number }) => {
  messages.push(message)
  for (const wake of waiters.splice(0)) wake()
})
async function nextMessage(type: string): Promise<{ type: string; port?: number }> {
  for (;;) {
    const index = messages.findIndex((message) => message.type === type)
    if (index >= 0) return messages.splice(index, 1)[0]!
    await new Promise<void>((resolve) => waiters.push(resolve))
  }
}
const { port } = await nextMessage('ready')
const url = `ws://127.0.0.1:${port}`

/** Measures from the push command to the last event; `count` must be bumped once per event. */
async function measure(counter: { count: number }): Promise<Run> {
  const cpu = process.cpuUsage()
  const started = process.hrtime.bigint()
  server.send({ type: 'push', count: EVENTS })
  await new Promise<void>((resolve) => {
    const check = () => (counter.count >= EVENTS ? resolve() : setImmediate(check))
    check()
  })
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  const used = process.cpuUsage(cpu)
  return { eventsPerSecond: EVENTS / seconds, cpuMicrosPerEvent: (used.user + used.system) / EVENTS }
}

/** Opens a raw-protocol socket (any WebSocket-like class), subscribes, then measures. */
async function rawContender(open: () => { onmessage: ((event: { data: unknown }) => void) | null; send(data: string): void; close(): void }): Promise<Run> {
  const counter = { count: 0 }
  const socket = open()
  socket.onmessage = (event) => {
    const frame = JSON.parse(String(event.data)) as { type: string }
    if (frame.type === 'event') counter.count += 1
    else if (frame.type === 'welcome') socket.send(JSON.stringify({ type: 'subscribe', id: 's1', channel: 'bench' }))
  }
  await nextMessage('subscribed')
  const run = await measure(counter)
  socket.close()
  return run
}

const contenders: Record<string, () => Promise<Run>> = {
  async 'ws + JSON.parse (floor)'() {
    const counter = { count: 0 }
    const socket = new WebSocket(url, 'wirekit.v1')
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { type: string }
      if (frame.type === 'event') counter.count += 1
      else if (frame.type === 'welcome') socket.send(JSON.stringify({ type: 'subscribe', id: 's1', channel: 'bench' }))
    })
    await nextMessage('subscribed')
    const run = await measure(counter)
    socket.terminate()
    return run
  },
  async 'wirekit/realtime'() {
    const counter = { count: 0 }
    const client = createRealtimeClient({ realtimeUrl: url })
    const sub = client.subscribe('bench', () => {
      counter.count += 1
    })
    await sub.ready
    await nextMessage('subscribed')
    const run = await measure(counter)
    client.close()
    return run
  },
  'partysocket'() {
    return rawContender(() => new PartySocket(url, 'wirekit.v1', { WebSocket }) as never)
  },
  'reconnecting-websocket'() {
    return rawContender(() => new ReconnectingWebSocket(url, 'wirekit.v1', { WebSocket }) as never)
  },
}

// BENCH_ONLY=partysocket,… keeps the floor and the named contenders.
const only = process.env.BENCH_ONLY?.split(',')
const names = Object.keys(contenders).filter((name, i) => i === 0 || !only || only.includes(name))
const results = new Map<string, Run[]>(names.map((name) => [name, []]))
const ratios = new Map<string, number[]>(names.map((name) => [name, []]))
const floor = names[0]!

// One discarded warm-up round, so the JIT has seen every contender before anything is counted.
for (const name of names) await contenders[name]!()

for (let rep = 0; rep < REPS; rep++) {
  const order = names.map((_, i) => names[(i + rep) % names.length]!)
  const runs = new Map<string, Run>()
  for (const name of order) {
    const run = await contenders[name]!()
    runs.set(name, run)
    results.get(name)!.push(run)
  }
  for (const name of names) ratios.get(name)!.push(runs.get(name)!.eventsPerSecond / runs.get(floor)!.eventsPerSecond)
  process.stdout.write(`repetition ${rep + 1}/${REPS} done\n`)
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}
const span = (values: number[], digits: number) =>
  `${median(values).toFixed(digits)} (${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)})`

console.log(`\n${EVENTS.toLocaleString('en')} events per run, ${REPS} interleaved repetitions, Node ${process.versions.node}\n`)
console.log('| client | events/s | client CPU µs/event | throughput vs floor |')
console.log('| --- | --- | --- | --- |')
for (const name of names) {
  const runs = results.get(name)!
  console.log(
    `| ${name} | ${span(runs.map((r) => r.eventsPerSecond / 1000), 0)} k | ${span(runs.map((r) => r.cpuMicrosPerEvent), 2)} | ${span(ratios.get(name)!, 2)} |`,
  )
}

// Drop → resubscribed: from the client noticing the drop to the first event after the resume.
const client = createRealtimeClient({ realtimeUrl: url, realtime: { backoff: { base: 0, cap: 0 } } })
let droppedAt = 0n
let waiting: ((ms: number) => void) | undefined
client.on('state', (change) => {
  if (change.state === 'reconnecting' && droppedAt === 0n) droppedAt = process.hrtime.bigint()
})
await client.subscribe('bench', () => {
  if (waiting && droppedAt !== 0n) {
    const ms = Number(process.hrtime.bigint() - droppedAt) / 1e6
    droppedAt = 0n
    waiting(ms)
  }
}).ready
const latencies: number[] = []
for (let i = 0; i < DROPS; i++) {
  const done = new Promise<number>((resolve) => (waiting = resolve))
  server.send({ type: 'drop' })
  latencies.push(await done)
}
client.close()
latencies.sort((a, b) => a - b)
console.log(
  `\ndrop → resubscribed (backoff base 0), ${DROPS} drops: median ${median(latencies).toFixed(2)} ms, p95 ${latencies[Math.floor(DROPS * 0.95)]!.toFixed(2)} ms, max ${latencies.at(-1)!.toFixed(2)} ms`,
)
server.send({ type: 'exit' })
