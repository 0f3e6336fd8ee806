/**
 * A server under test of `npm run bench:server`, in its own process (child_process.fork, with
 * --expose-gc): `wirekit` (createRealtimeServer), `socketio` (socket.io 4, websocket transport only) or
 * `ws` (a bare WebSocketServer, the memory floor), on the memory engine / socket.io's in-memory adapter
 * or on Redis (the Redis engine / @socket.io/redis-streams-adapter). Each mounts on an http.Server of
 * its own on 127.0.0.1, port 0, with permessage-deflate off. Commands and reports go over IPC.
 *
 * Argv: kind, `memory` | `redis`, the Redis unix socket (redis only), `fanout` to track sockets for the
 * publisher's back-pressure (left out when measuring memory, so the tracking is not counted).
 */
import { createServer, type Server as HttpServer } from 'node:http'
import type { Socket } from 'node:net'
import { setImmediate as tick } from 'node:timers/promises'
import { createAdapter } from '@socket.io/redis-streams-adapter'
import { createRealtimeServer, createRedisEngine } from '@wirekit/sdk/server'
import { Redis } from 'ioredis'
import { Server as SocketIoServer } from 'socket.io'
import { WebSocketServer } from 'ws'
import { CHANNEL, type Kind, type ServerCommand, type ServerReport, wallClock } from './shared.ts'

/** Events published before the publisher yields to the event loop (and so to socket writes). */
const BATCH = Number(process.env.BENCH_BATCH ?? 16)
/**
 * The publisher waits while any connection of any server holds more than this many bytes not yet
 * taken by the kernel, and goes on below LOW: "as fast as the server accepts it", for both servers
 * alike, and far under wirekit's 1 MB send buffer limit, so no subscriber is cut off as a slow consumer.
 */
const HIGH = 256 * 1024
const LOW = 64 * 1024
/** ~150 bytes of JSON per event: `{"n":…,"t":…,"pad":"xxx…"}`. */
const PAD = 'x'.repeat(110)

const [kind, engine, redisPath, mode] = process.argv.slice(2) as [Kind, 'memory' | 'redis', string, string | undefined]
const reply = (report: ServerReport) => process.send!(report)
const collect = () => {
  for (let i = 0; i < 4; i++) (globalThis as { gc?: () => void }).gc?.()
}

const http: HttpServer = createServer((_, response) => response.writeHead(404).end())
const sockets = new Set<Socket>()
if (mode === 'fanout') {
  http.on('connection', (socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
}
await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
const { port } = http.address() as { port: number }

let redis: Redis | undefined
let emit: (name: string, data: unknown) => unknown
const url = `ws://127.0.0.1:${port}`
if (kind === 'wirekit') {
  redis = engine === 'redis' ? new Redis({ path: redisPath }) : undefined
  const realtime = await createRealtimeServer({ server: http, path: '/', engine: redis ? createRedisEngine({ client: redis }) : undefined })
  emit = (name, data) => realtime.publish(CHANNEL, name, data)
} else if (kind === 'socketio') {
  redis = engine === 'redis' ? new Redis({ path: redisPath }) : undefined
  const io = new SocketIoServer(http, { transports: ['websocket'], perMessageDeflate: false, adapter: redis ? createAdapter(redis) : undefined })
  if (mode === 'fanout') {
    io.on('connection', (socket) => {
      socket.join(CHANNEL)
      socket.emit('ready')
    })
  }
  emit = (name, data) => io.to(CHANNEL).emit(name, data)
} else {
  const wss = new WebSocketServer({ server: http, perMessageDeflate: false })
  wss.on('connection', () => {})
  emit = () => {
    throw new Error('the bare ws server only measures memory')
  }
}

/** Bytes the busiest connection has queued in user space (what the kernel has not taken yet). */
function backlog(): number {
  let most = 0
  for (const socket of sockets) if (socket.writableLength > most) most = socket.writableLength
  return most
}

// Another server process's connections are over HIGH (Redis runs): the parent relays it here.
let held = false
let high = false
setInterval(() => {
  const bytes = backlog()
  if (!high && bytes > HIGH) reply({ type: 'pressure', high: (high = true) })
  else if (high && bytes < LOW) reply({ type: 'pressure', high: (high = false) })
}, 5).unref()

let sequence = 0
let cpuSince = process.cpuUsage()

/** Publishes `events` events: batches as fast as back-pressure allows, or one per `intervalMs`. */
async function publish(events: number, intervalMs: number | undefined): Promise<number> {
  const first = wallClock()
  for (let sent = 0; sent < events; ) {
    if (intervalMs !== undefined) {
      await emit('tick', { n: ++sequence, t: wallClock(), pad: PAD })
      sent++
      await new Promise((resolve) => setTimeout(resolve, intervalMs))
      continue
    }
    const pending: unknown[] = []
    for (const end = Math.min(events, sent + BATCH); sent < end; sent++) pending.push(emit('tick', { n: ++sequence, t: wallClock(), pad: PAD }))
    await Promise.all(pending)
    await tick()
    // Sleeping, not spinning, while the sockets drain: the machine's cores are shared with the subscribers.
    while (held || backlog() > LOW) await new Promise((resolve) => setTimeout(resolve, 1))
  }
  return first
}

process.on('message', (command: ServerCommand) => {
  const run = async () => {
    if (command.type === 'publish') reply({ type: 'published', first: await publish(command.events, command.intervalMs), events: command.events })
    else if (command.type === 'hold') held = command.hold
    else if (command.type === 'cpu') {
      const used = process.cpuUsage(cpuSince)
      cpuSince = process.cpuUsage()
      reply({ type: 'cpu', micros: used.user + used.system })
    } else if (command.type === 'memory') {
      collect()
      await new Promise((resolve) => setTimeout(resolve, 50))
      collect()
      const usage = process.memoryUsage()
      reply({ type: 'memory', rss: usage.rss, heap: usage.heapUsed + usage.external })
    } else if (command.type === 'exit') process.exit(0)
  }
  run().catch((error: unknown) => reply({ type: 'failed', message: String((error as Error)?.stack ?? error) }))
})
process.on('disconnect', () => process.exit(0))

reply({ type: 'ready', url })
