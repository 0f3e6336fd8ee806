/**
 * A load generator of `npm run bench:server`, in its own process (child_process.fork): it holds
 * groups of connections to the servers under test and counts what each one receives. Commands and
 * reports go over IPC (see bench/server.bench.ts for the whole layout).
 *
 * Throughput groups use bare `ws` clients speaking each protocol by hand — wirekit.v1 (welcome →
 * subscribe → events) and socket.io's Engine.IO v4 websocket transport (open → `40` → events as `42[…]`,
 * answering pings) — so the generator's cost per event is the same for both servers: one WebSocket
 * frame and one JSON.parse. Each connection checks that its sequence numbers arrive in order, without
 * holes or repeats. Probe groups use each server's own client (`@wirekit/sdk/realtime`,
 * `socket.io-client`) and timestamp every receipt.
 */
import { createRealtimeClient } from '@wirekit/sdk/realtime'
import { io as socketIo } from 'socket.io-client'
import WebSocket from 'ws'
import { type Command, type Kind, type Report, wallClock } from './shared.ts'

/** How long a group may go without any event before the run is reported as it stands (losses). */
const STALL_MS = Number(process.env.BENCH_STALL_MS ?? 5_000)
/** Connections opened at once while a group connects. */
const CONNECTING_AT_ONCE = 100
const PING = '{"type":"ping","t":0}'

interface Counted {
  socket: WebSocket
  /** Sequence number of the last event received. */
  last: number
  /** Events received in this run. */
  received: number
  lost: number
  repeated: number
  closed: boolean
}

interface Group {
  connections: Counted[]
  expected: number
  /** Events still due in this run, over all connections. */
  due: number
  lastAt: number
  stall: ReturnType<typeof setInterval> | undefined
  heartbeat: ReturnType<typeof setInterval> | undefined
  close: () => void
}

const groups = new Map<string, Group>()
const reply = (report: Report) => process.send!(report)

/** Opens one bare-ws connection of `kind` and resolves once it is ready to receive events. */
function open(kind: Kind, url: string, channel: string | undefined, group: () => Group): Promise<Counted> {
  return new Promise((resolve, reject) => {
    const address = kind === 'socketio' ? `${url}/socket.io/?EIO=4&transport=websocket` : url
    const socket = new WebSocket(address, kind === 'wirekit' ? 'wirekit.v1' : [], { perMessageDeflate: false })
    const counted: Counted = { socket, last: 0, received: 0, lost: 0, repeated: 0, closed: false }
    const sequence = (n: number) => {
      if (n === counted.last + 1) counted.received++
      else if (n > counted.last + 1) {
        counted.received++
        counted.lost += n - counted.last - 1
      } else counted.repeated++
      counted.last = n
      const g = group()
      g.lastAt = wallClock()
      if (--g.due === 0) finish(g)
    }
    socket.once('error', reject)
    socket.once('close', () => {
      counted.closed = true
      reject(new Error(`${kind} connection to ${url} closed before it was ready`))
    })
    if (kind === 'ws') socket.once('open', () => resolve(counted))
    else if (kind === 'wirekit') {
      socket.on('message', (data) => {
        const frame = JSON.parse(String(data)) as { type: string; data?: { n: number } }
        if (frame.type === 'event') sequence(frame.data!.n)
        else if (frame.type === 'welcome') {
          if (channel === undefined) resolve(counted)
          else socket.send(JSON.stringify({ type: 'subscribe', id: 's', channel }))
        } else if (frame.type === 'subscribed') resolve(counted)
      })
    } else {
      socket.on('message', (data) => {
        const text = String(data)
        if (text.startsWith('42')) {
          const [name, payload] = JSON.parse(text.slice(2)) as [string, { n: number }]
          if (name === 'tick') sequence(payload.n)
          else if (name === 'ready') resolve(counted)
        } else if (text === '2') socket.send('3')
        else if (text.startsWith('0')) socket.send('40')
        else if (text.startsWith('40') && channel === undefined) resolve(counted)
      })
    }
  })
}

/** Reports the group's run: complete (every event everywhere) or stalled (what arrived). */
function finish(group: Group): void {
  if (group.stall) clearInterval(group.stall)
  group.stall = undefined
  let received = 0
  let lost = 0
  let repeated = 0
  let closed = 0
  for (const connection of group.connections) {
    received += connection.received
    lost += connection.lost + Math.max(0, group.expected - connection.received - connection.lost)
    repeated += connection.repeated
    if (connection.closed) closed++
  }
  const name = [...groups].find(([, g]) => g === group)![0]
  reply({ type: 'received', group: name, received, lost, repeated, closed, last: group.lastAt })
}

async function connect(name: string, kind: Kind, urls: string[], count: number, channel: string | undefined): Promise<void> {
  const group: Group = { connections: [], expected: 0, due: -1, lastAt: 0, stall: undefined, heartbeat: undefined, close: () => {} }
  groups.set(name, group)
  for (let from = 0; from < count; from += CONNECTING_AT_ONCE) {
    const batch = Array.from({ length: Math.min(CONNECTING_AT_ONCE, count - from) }, (_, i) => open(kind, urls[(from + i) % urls.length]!, channel, () => group))
    group.connections.push(...(await Promise.all(batch)))
  }
  for (const connection of group.connections) {
    connection.socket.removeAllListeners('close')
    connection.socket.on('close', () => (connection.closed = true))
    connection.socket.on('error', () => {})
  }
  // wirekit.v1 clients ping (docs/protocol.md#heartbeat): the server closes connections it has not heard from.
  if (kind === 'wirekit') group.heartbeat = setInterval(() => group.connections.forEach((c) => c.closed || c.socket.send(PING)), 20_000)
  group.close = () => {
    clearInterval(group.heartbeat)
    for (const connection of group.connections) connection.socket.terminate()
  }
  reply({ type: 'connected', group: name })
}

function expect(name: string, events: number): void {
  const group = groups.get(name)!
  for (const connection of group.connections) {
    connection.received = 0
    connection.lost = 0
    connection.repeated = 0
  }
  group.expected = events
  group.due = events * group.connections.length
  group.lastAt = wallClock()
  group.stall = setInterval(() => {
    if (wallClock() - group.lastAt > STALL_MS) finish(group)
  }, 250)
  reply({ type: 'armed', group: name })
}

/** Probe groups: one connection per URL through each server's own client, every receipt timestamped. */
interface Probe {
  sent: Map<number, number>
  arrivals: Array<Map<number, number>>
  due: number
  done: (() => void) | undefined
  close: () => void
}
const probes = new Map<string, Probe>()

async function probe(name: string, kind: 'wirekit' | 'socketio', urls: string[], channel: string): Promise<void> {
  const state: Probe = { sent: new Map(), arrivals: urls.map(() => new Map()), due: 0, done: undefined, close: () => {} }
  probes.set(name, state)
  const arrive = (index: number, data: { n: number; t: number }) => {
    state.arrivals[index]!.set(data.n, wallClock())
    state.sent.set(data.n, data.t)
    if (--state.due === 0) state.done?.()
  }
  if (kind === 'wirekit') {
    const clients = urls.map((url) => createRealtimeClient({ realtimeUrl: url }))
    const subscriptions = clients.map((client, index) => client.subscribe(channel, (event) => arrive(index, event.data as { n: number; t: number })))
    await Promise.all(subscriptions.map((subscription) => subscription.ready))
    state.close = () => clients.forEach((client) => client.close())
  } else {
    const sockets = urls.map((url) => socketIo(url, { transports: ['websocket'], reconnection: false }))
    await Promise.all(
      sockets.map(
        (socket, index) =>
          new Promise<void>((resolve, reject) => {
            socket.on('tick', (data: { n: number; t: number }) => arrive(index, data))
            socket.once('ready', () => resolve())
            socket.once('connect_error', reject)
          }),
      ),
    )
    state.close = () => sockets.forEach((socket) => socket.disconnect())
  }
  reply({ type: 'connected', group: name })
}

function probeExpect(name: string, events: number): void {
  const state = probes.get(name)!
  state.sent.clear()
  for (const arrivals of state.arrivals) arrivals.clear()
  state.due = events * state.arrivals.length
  let stall: ReturnType<typeof setTimeout>
  const report = () => {
    clearTimeout(stall)
    state.done = undefined
    const numbers = [...state.sent.keys()].sort((a, b) => a - b)
    reply({ type: 'probed', group: name, sent: numbers.map((n) => state.sent.get(n)!), arrivals: state.arrivals.map((arrivals) => numbers.map((n) => arrivals.get(n) ?? Number.NaN)) })
  }
  state.done = report
  // Reported as it stands if events stop coming; the parent counts what is missing.
  const watch = () => (stall = setTimeout(() => (state.due > 0 ? report() : undefined), STALL_MS * 4))
  watch()
  reply({ type: 'armed', group: name })
}

process.on('message', (command: Command) => {
  const run = async () => {
    if (command.type === 'connect') await connect(command.group, command.kind, command.urls, command.count, command.channel)
    else if (command.type === 'expect') expect(command.group, command.events)
    else if (command.type === 'probe') await probe(command.group, command.kind, command.urls, command.channel)
    else if (command.type === 'probe-expect') probeExpect(command.group, command.events)
    else if (command.type === 'disconnect') {
      groups.get(command.group)?.close()
      probes.get(command.group)?.close()
      groups.delete(command.group)
      probes.delete(command.group)
      reply({ type: 'disconnected', group: command.group })
    }
  }
  run().catch((error: unknown) => reply({ type: 'failed', message: String((error as Error)?.stack ?? error) }))
})
process.on('disconnect', () => process.exit(0))
