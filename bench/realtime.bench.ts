/**
 * `npm run bench:realtime`: events per second and client CPU per event for 200,000 events pushed by a
 * server in another process (bench/realtime-server.ts) — `@wirekit/sdk/realtime` (subscribed, resume
 * bookkeeping on, as users get it) against bare `ws` + JSON.parse (the floor), partysocket and
 * reconnecting-websocket; then the drop → resubscribed latency. Measured by bench/lib/compare.ts on
 * the built package. Each contender holds one connection, subscribed to a channel of its own, for the
 * whole run, so only receiving and dispatching events is measured, not connecting.
 *
 * Env: BENCH_EVENTS (default 200,000), BENCH_REPETITIONS (default 9), BENCH_DROPS (default 50).
 */
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import PartySocket from 'partysocket/ws'
import ReconnectingWebSocket from 'reconnecting-websocket'
import { createRealtimeClient } from '@wirekit/sdk/realtime'
import WebSocket from 'ws'
import { type Contender, type LatencySampler, compare, formatSpread, pairedRatio, resultOf, resultsTable } from './lib/compare.ts'
import { barChart, machineLine, versionOf, writeChart, writeResultsSection } from './lib/report.ts'

const EVENTS = Number(process.env.BENCH_EVENTS ?? 200_000)
const REPETITIONS = Number(process.env.BENCH_REPETITIONS ?? 9)
const DROPS = Number(process.env.BENCH_DROPS ?? 50)
const FLOOR = 'ws + JSON.parse (floor)'
const OURS = '@wirekit/sdk/realtime'
const EVENT = { one: 'event', many: 'events' }

interface ServerMessage {
  type: string
  port?: number
  channel?: string
}

const server = fork(fileURLToPath(new URL('./realtime-server.ts', import.meta.url)), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
const inbox: ServerMessage[] = []
const waiters: Array<() => void> = []
server.on('message', (message: ServerMessage) => {
  inbox.push(message)
  for (const wake of waiters.splice(0)) wake()
})
async function serverSays(type: string, channel?: string): Promise<ServerMessage> {
  for (;;) {
    const index = inbox.findIndex((message) => message.type === type && (channel === undefined || message.channel === channel))
    if (index >= 0) return inbox.splice(index, 1)[0]!
    await new Promise<void>((resolve) => waiters.push(resolve))
  }
}
const { port } = await serverSays('ready')
const url = `ws://127.0.0.1:${port}`

/** Counts one contender's events; `until(n)` resolves once n more have arrived. */
class Counter {
  #left = 0
  #done: (() => void) | undefined
  tick(): void {
    if (--this.#left === 0) this.#done!()
  }
  until(events: number): Promise<void> {
    this.#left = events
    return new Promise((resolve) => (this.#done = resolve))
  }
}

/** A contender on `channel`: each run asks the server for n events and waits for the last one. */
function pushed(name: string, channel: string, counter: Counter): Contender {
  return {
    name,
    async run(events) {
      const arrived = counter.until(events)
      server.send({ type: 'push', channel, count: events })
      await arrived
    },
  }
}

/** The wire protocol by hand, on any WebSocket-like class: subscribe after `welcome`, count `event` frames. */
interface SocketLike {
  onmessage: ((event: { data: unknown }) => void) | null
  send(data: string): void
  close(): void
}
function handRolled(socket: SocketLike, channel: string, counter: Counter): SocketLike {
  socket.onmessage = (event) => {
    const frame = JSON.parse(String(event.data)) as { type: string }
    if (frame.type === 'event') counter.tick()
    else if (frame.type === 'welcome') socket.send(JSON.stringify({ type: 'subscribe', id: 's1', channel }))
  }
  return socket
}

const counters = { floor: new Counter(), ours: new Counter(), partysocket: new Counter(), reconnecting: new Counter() }

const floorSocket = new WebSocket(url, 'wirekit.v1')
floorSocket.on('message', (data) => {
  const frame = JSON.parse(String(data)) as { type: string }
  if (frame.type === 'event') counters.floor.tick()
  else if (frame.type === 'welcome') floorSocket.send(JSON.stringify({ type: 'subscribe', id: 's1', channel: 'floor' }))
})
const oursClient = createRealtimeClient({ realtimeUrl: url })
const subscription = oursClient.subscribe('ours', () => counters.ours.tick())
const party = handRolled(new PartySocket(url, 'wirekit.v1', { WebSocket }) as unknown as SocketLike, 'partysocket', counters.partysocket)
const reconnecting = handRolled(new ReconnectingWebSocket(url, 'wirekit.v1', { WebSocket }) as unknown as SocketLike, 'reconnecting', counters.reconnecting)
await subscription.ready
await Promise.all(['floor', 'ours', 'partysocket', 'reconnecting'].map((channel) => serverSays('subscribed', channel)))

const results = await compare({
  baseline: FLOOR,
  contenders: [
    pushed(FLOOR, 'floor', counters.floor),
    pushed(OURS, 'ours', counters.ours),
    pushed('partysocket', 'partysocket', counters.partysocket),
    pushed('reconnecting-websocket', 'reconnecting', counters.reconnecting),
  ],
  operations: EVENTS,
  repetitions: REPETITIONS,
})
floorSocket.terminate()
oursClient.close()
party.close()
reconnecting.close()
const table = resultsTable(results, FLOOR, EVENT)
console.log(table)

// Drop → resubscribed: from the client noticing the drop (state `reconnecting`) to the first event
// after its resume, with the reconnect backoff at 0 so only the protocol's own round trips count.
const dropClient = createRealtimeClient({ realtimeUrl: url, realtime: { backoff: { base: 0, cap: 0 } } })
let resubscribed: (() => void) | undefined
let droppedAt: number | undefined
let sampler: LatencySampler | undefined
const dropSubscription = dropClient.subscribe('drop', () => resubscribed?.())
await dropSubscription.ready
await serverSays('subscribed', 'drop')
const drops: Contender = {
  name: 'drop → resubscribed',
  async run(operations, latency) {
    sampler = latency
    for (let i = 0; i < operations; i++) {
      const back = new Promise<void>((resolve) => (resubscribed = resolve))
      server.send({ type: 'drop', channel: 'drop' })
      await back
      resubscribed = undefined
      latency.stop(droppedAt!)
      droppedAt = undefined
    }
  },
}
dropClient.on('state', (change) => {
  if (change.state === 'reconnecting' && droppedAt === undefined) droppedAt = sampler!.start()
})
const dropResults = await compare({ baseline: drops.name, contenders: [drops], operations: DROPS, repetitions: 3 })
dropClient.close()
server.send({ type: 'exit' })
const dropLatency = resultOf(dropResults, drops.name).latency!
const dropLine = `drop → resubscribed (backoff 0), ${DROPS} drops × 3 runs: p50 ${formatSpread(dropLatency.p50, 2)} ms, p99 ${formatSpread(dropLatency.p99, 2)} ms`

// The target, ≥ 0.9× bare ws, by events/s and by client CPU per event (the floor's ÷ ours):
// the rate also depends on the server process sharing the machine, the CPU figure only on the client.
const ours = resultOf(results, OURS).speedRatio
const oursByCpu = pairedRatio(results, FLOOR, OURS, 'cpuMicrosPerOp')
const verdict = (value: number) => (value >= 0.9 ? 'meets' : 'misses')
const targetLine = `${OURS} = ${formatSpread(ours, 3)}× the ws + JSON.parse floor in events/s (${verdict(ours.median)} ≥ 0.9×), ${formatSpread(oursByCpu, 3)}× by client CPU per event (${verdict(oursByCpu.median)})`
console.log(`\n${targetLine}\n${dropLine}`)

const chart = writeChart(
  'realtime',
  barChart(
    `Realtime, ${EVENTS.toLocaleString('en-US')} events: events/s × the ws floor (same repetition) — higher is better`,
    '×',
    results.map((result) => ({ label: result.name, value: result.speedRatio })),
    1,
  ),
)
const versions = ['ws', 'partysocket', 'reconnecting-websocket'].map((name) => `${name} ${versionOf(name)}`).join(', ')
writeResultsSection(
  'realtime',
  [
    '## Realtime events (`npm run bench:realtime`)',
    `${machineLine()} · ${versions} · ${EVENTS.toLocaleString('en-US')} events (~190 bytes of JSON each) per run, pushed by a ws server in another process on 127.0.0.1 · ${REPETITIONS} interleaved repetitions, order rotated; median (min–max).`,
    `Ratios are to bare ws + JSON.parse measured in the same repetition. Each contender keeps one connection on its own channel; ${OURS} is subscribed with handlers and tracks offsets for resume; partysocket and reconnecting-websocket run the same hand-written protocol as the floor.`,
    table,
    `- ${targetLine}\n- ${dropLine}`,
    `![realtime events/s](${chart})`,
  ].join('\n\n'),
)
