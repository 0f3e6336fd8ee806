/**
 * The protocol engine of the server: one `ws` server, the connection state machine of
 * docs/protocol.md, limits, heartbeat and drain. It talks to storage only through {@link Engine}.
 * Internal: the public entry is `createRealtimeServer` (./index.ts); `@wirekit/sdk/testing` adds
 * its fault controls through {@link ServerHooks}.
 */
import { createServer, type IncomingMessage, type Server as HttpServer } from 'node:http'
import type { Duplex } from 'node:stream'
import { type RawData, WebSocketServer, type WebSocket } from 'ws'
import { CloseCode, PROTOCOL, type ServerFrame, type StreamPosition, isOffset } from '../core/protocol.js'
import type { Engine, StoredEvent } from './engine.js'
import { createMemoryEngine } from './memory-engine.js'
import { type ChannelAction, type RealtimeServerOptions, SERVER_OPTIONS, isRefusal } from './options.js'

/** Close code for a connection cut off because it did not read its events (docs/server.md#limits). */
export const SLOW_CONSUMER = 4008
/** Close code of an oversized frame (RFC 6455 "message too big"), sent by `ws` itself. */
export const FRAME_TOO_LARGE = 1009

/** A frame a client sent, parsed. */
export type ReceivedFrame = {
  /** The frame type, e.g. `subscribe` or `publish`. */
  type: string
  [field: string]: unknown
}

/** What a fault hook may ask for: drop before handling the frame, or handle it and drop before replying. */
export type FaultAction = 'drop' | 'drop-after' | undefined | void

/** One connection, as hooks and the test server see it. */
export interface ConnectionHandle {
  /** The server's id for it: `c1`, `c2`, … */
  readonly id: string
  /** The token it authenticated with, if any. */
  readonly token: string | undefined
  /** What `authenticate` returned for it. */
  readonly principal: unknown
  /** The channels it follows. */
  readonly channels: ReadonlySet<string>
  /** Bytes queued for it and not yet handed to the kernel (what the send buffer limit bounds). */
  readonly bufferedAmount: number
  /** Ends it abruptly, no close frame. */
  terminate(): void
  /** Closes it with a code and reason. */
  close(code: number, reason?: string): void
  /** Stops reading from and writing to it without closing it. */
  blackhole(): void
  /** Sends a frame (unless black-holed or closed). */
  send(frame: ServerFrame): void
}

/** Internal observation points (the test server's counters and faults). */
export interface ServerHooks {
  /** A connection was accepted. */
  open?(connection: ConnectionHandle): void
  /** A connection ended. */
  closed?(connection: ConnectionHandle): void
  /** A parsed frame is about to be handled. */
  frame?(frame: ReceivedFrame, connection: ConnectionHandle): FaultAction
  /** A frame of this kind was handled. */
  handled?(kind: 'auth' | 'subscribe' | 'unsubscribe' | 'ping', connection: ConnectionHandle): void
  /** An extra channel check, with the connection (the test server's `authorize` takes it). */
  authorize?(connection: ConnectionHandle, action: ChannelAction, channel: string): boolean
  /** A client publish took effect (`duplicate`: its id had already taken effect, acked again). */
  published?(id: string, channel: string, name: string, data: unknown, duplicate: boolean): void
}

/** Options of {@link RealtimeServer.close}. */
export interface CloseOptions {
  /**
   * How long clients get to leave after `reconnect` before the rest are closed with 1012.
   * @default 5000
   */
  drainMs?: number
  /**
   * The `afterMs` of the `reconnect` frame each client is sent: it does not come back sooner.
   * `false` sends none: connections are closed with 1012 at once (a restart).
   * @default 1000
   */
  reconnectAfterMs?: number | false
}

/** A running server. */
export interface RealtimeServer {
  /** The URL clients connect to, e.g. `ws://127.0.0.1:8080/realtime`; empty while a mounted http server is not listening. */
  readonly url: string
  /** The port it is reachable on (the mounted http server's when mounted). */
  readonly port: number
  /** Connections open now. */
  readonly connections: number
  /**
   * Publishes an event from backend code (a REST handler, a job): stored, then sent to every subscriber.
   *
   * @example
   * const { offset, epoch } = await realtime.publish('orders', 'created', { id: 7 })
   */
  publish(channel: string, name: string, data: unknown): Promise<StreamPosition>
  /**
   * Graceful shutdown: stops accepting, sends every client `reconnect` with `afterMs`, waits until
   * they are gone or `drainMs` ends, then closes the rest with 1012. Closes the engine it created.
   */
  close(options?: CloseOptions): Promise<void>
}

interface Subscription {
  /** Live events that arrived while the subscribe was being answered. */
  pending: StoredEvent[] | undefined
}

interface Connection extends ConnectionHandle {
  readonly socket: WebSocket
  /** The upgrade request, kept only when `authenticate` (which is handed it) is configured. */
  readonly request: IncomingMessage | undefined
  /** The TCP socket under `socket`, corked while a fan-out writes to it (docs/performance.md). */
  readonly stream: Duplex
  corked: boolean
  token: string | undefined
  principal: unknown
  /** {@link NO_CHANNELS} until its first subscribe. */
  channels: Set<string>
  /** {@link NO_SUBSCRIPTIONS} until its first subscribe. */
  subscriptions: Map<string, Subscription>
  welcomed: boolean
  muted: boolean
  cut: boolean
  lastHeard: number
  authTimer: ReturnType<typeof setTimeout> | undefined
  queue: Promise<void>
}

interface Fanout {
  members: Set<Connection>
  stop: Promise<() => void>
}

/** The upgrade socket's error listener: a socket that fails during the handshake is destroyed. */
function destroy(this: Duplex): void {
  this.destroy()
}

const MAX_ID = 256
const MAX_CHANNEL = 256
/** Live events held for one subscription while its replay is sent. */
const MAX_HELD = 10_000
/** Every connection's frame queue starts here, so an idle connection holds no promise of its own. */
const settled = Promise.resolve()
/** What a connection's `channels` and `subscriptions` are before its first subscribe; never written to. */
const NO_CHANNELS: Set<string> = new Set()
const NO_SUBSCRIPTIONS: Map<string, Subscription> = new Map()
/** `ws` send options for a frame passed as a Buffer that holds UTF-8 text. */
const TEXT = { binary: false }

/**
 * Starts a server. Resolves once it listens (own port) or is mounted.
 *
 * @example
 * const realtime = await startRealtimeServer({ server: httpServer })
 */
export function startRealtimeServer<P>(options: RealtimeServerOptions<P> = {}, hooks: ServerHooks = {}): Promise<RealtimeServer> {
  // Checked before anything starts, so a bad option throws at the call, not in a rejected promise.
  return start(SERVER_OPTIONS(options, ''), hooks)
}

async function start(config: ReturnType<typeof SERVER_OPTIONS>, hooks: ServerHooks): Promise<RealtimeServer> {
  const { limits } = config
  const authenticate = config.authenticate as RealtimeServerOptions['authenticate']
  const authorize = config.authorize as RealtimeServerOptions['authorize']
  const authRequired = authenticate !== undefined && !config.allowAnonymous
  const ownEngine = config.engine === undefined
  const engine: Engine = config.engine ?? createMemoryEngine()
  const connections = new Map<WebSocket, Connection>()
  const fanouts = new Map<string, Fanout>()
  let nextId = 0
  let accepting = true

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: limits.frameBytes,
    handleProtocols: (offered) => (offered.has(PROTOCOL) ? PROTOCOL : false),
    // Compression costs CPU and memory per connection for JSON frames this small.
    perMessageDeflate: false,
    // `connections` tracks them; a second set (and a close listener per socket) would only cost memory.
    clientTracking: false,
  })
  wss.on('connection', accept)

  const http: HttpServer = config.server ?? createServer((_, response) => response.writeHead(426).end())
  const emitConnection = (ws: WebSocket, request: IncomingMessage) => wss.emit('connection', ws, request)
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (config.path !== '*' && new URL(request.url ?? '/', 'http://x').pathname !== config.path) return
    // A client that asks only for other subprotocols is refused (docs/protocol.md#transport); one that asks for none is served.
    const offered = request.headers['sec-websocket-protocol']
    if (offered !== undefined && !offered.split(',').some((name) => name.trim() === PROTOCOL)) {
      socket.end(`HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\nsubprotocol ${PROTOCOL} required`)
      return
    }
    if (!accepting) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\n\r\n')
      return
    }
    socket.on('error', destroy)
    // No closure here holds `request`: the socket keeps its listeners, and they must not keep the request.
    wss.handleUpgrade(request, socket, head, emitConnection)
  }
  http.on('upgrade', onUpgrade)
  if (!config.server) {
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject)
      http.listen(config.port, config.host, () => {
        http.off('error', reject)
        resolve()
      })
    })
  }

  // One sweep for every connection's idle check, not a timer per connection.
  const sweep =
    config.idleTimeoutMs === false
      ? undefined
      : setInterval(() => {
          const oldest = Date.now() - (config.idleTimeoutMs as number)
          for (const connection of connections.values()) if (connection.lastHeard < oldest) connection.close(CloseCode.generic, 'idle')
        }, Math.max(100, Math.min(config.idleTimeoutMs / 3, 10_000)))
  sweep?.unref()

  /**
   * One connection. Its methods live on the prototype, so an idle connection holds only its fields.
   * perf: docs/performance.md#server-idle-connection-footprint
   */
  class Peer implements Connection {
    readonly id = `c${++nextId}`
    readonly stream: Duplex
    readonly request: IncomingMessage | undefined
    corked = false
    token: string | undefined = undefined
    principal: unknown = undefined
    // Shared empty ones until the first subscribe: most of an idle connection's memory otherwise.
    channels = NO_CHANNELS
    subscriptions = NO_SUBSCRIPTIONS
    welcomed = false
    muted = false
    cut = false
    lastHeard = Date.now()
    authTimer: ReturnType<typeof setTimeout> | undefined = undefined
    queue = settled
    constructor(
      readonly socket: WebSocket,
      request: IncomingMessage,
    ) {
      this.stream = request.socket
      this.request = authenticate ? request : undefined
    }
    get bufferedAmount(): number {
      return this.socket.bufferedAmount
    }
    terminate(): void {
      this.socket.terminate()
    }
    close(code: number, reason = ''): void {
      const { socket } = this
      if (socket.readyState === socket.OPEN || socket.readyState === socket.CONNECTING) socket.close(code, reason)
    }
    blackhole(): void {
      this.muted = true
      this.socket.pause()
    }
    send(frame: ServerFrame): void {
      sendText(this, JSON.stringify(frame))
    }
  }

  function accept(socket: WebSocket, request: IncomingMessage): void {
    const connection: Connection = new Peer(socket, request)
    if (connections.size >= limits.connections) {
      socket.close(CloseCode.tooManyRequests, String(limits.retryAfterMs))
      return
    }
    connections.set(socket, connection)
    socket.on('close', onClose)
    socket.on('error', onError)
    socket.on('message', onMessage)
    hooks.open?.(connection)
    if (authRequired) {
      connection.authTimer = setTimeout(() => connection.close(CloseCode.unauthorized, 'no auth frame'), config.authTimeoutMs)
    } else {
      welcome(connection)
    }
  }

  // The socket listeners are shared by every connection (`this` is the socket), not closures per connection.
  function onClose(this: WebSocket): void {
    const connection = connections.get(this)
    if (connection) forget(connection)
  }
  function onError(this: WebSocket): void {
    this.terminate()
  }
  function onMessage(this: WebSocket, raw: RawData, isBinary: boolean): void {
    const connection = connections.get(this)
    if (!connection || connection.muted) return
    connection.lastHeard = Date.now()
    const text = isBinary ? undefined : raw.toString()
    // Frames are handled one after another, even when a check is asynchronous.
    connection.queue = connection.queue.then(() => receive(connection, text)).catch(() => connection.close(CloseCode.generic, 'server error'))
  }

  function forget(connection: Connection): void {
    if (!connections.delete(connection.socket)) return
    clearTimeout(connection.authTimer)
    for (const channel of connection.channels) leave(connection, channel)
    hooks.closed?.(connection)
  }

  function sendText(connection: Connection, text: string | Buffer): void {
    const { socket } = connection
    if (connection.muted || connection.cut || socket.readyState !== socket.OPEN) return
    if (socket.bufferedAmount + text.length > limits.sendBufferBytes) {
      // Cut off before it holds unbounded memory; nothing more is queued, so what it holds stays
      // under the limit. It resumes from its last offset when it comes back.
      cutOff(connection)
      return
    }
    socket.send(text, TEXT)
  }

  function cutOff(connection: Connection): void {
    if (connection.cut) return
    connection.cut = true
    connection.close(SLOW_CONSUMER, 'slow consumer')
  }

  /**
   * Sends a replayed event; past half the send buffer it waits until the socket has handed this
   * frame (and so all before it) to the kernel, so a replay never counts against the limit.
   */
  async function paced(connection: Connection, text: string): Promise<void> {
    const { socket } = connection
    if (connection.muted || connection.cut || socket.readyState !== socket.OPEN) return
    if (socket.bufferedAmount + text.length > limits.sendBufferBytes / 2) {
      await new Promise<void>((resolve) => socket.send(text, () => resolve()))
      return
    }
    socket.send(text)
  }

  function send(connection: Connection, frame: ServerFrame): void {
    sendText(connection, JSON.stringify(frame))
  }

  function welcome(connection: Connection): void {
    connection.welcomed = true
    clearTimeout(connection.authTimer)
    send(connection, { type: 'welcome', heartbeatMs: config.heartbeatMs })
  }

  function refuseFrame(connection: Connection, id: unknown, code: string, message: string): void {
    send(connection, typeof id === 'string' && id.length > 0 && id.length <= MAX_ID ? { type: 'error', id, code, message } : { type: 'error', code, message })
  }

  async function receive(connection: Connection, text: string | undefined): Promise<void> {
    let frame: ReceivedFrame | undefined
    try {
      const parsed: unknown = text === undefined ? undefined : JSON.parse(text)
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) && typeof (parsed as ReceivedFrame).type === 'string') frame = parsed as ReceivedFrame
    } catch {
      frame = undefined
    }
    if (!frame) {
      // docs/protocol.md "Malformed frames": answered, never fatal, so a buggy client is not cut off for one frame.
      if (!connection.welcomed) connection.close(CloseCode.unauthorized, 'auth frame expected first')
      else refuseFrame(connection, undefined, 'invalid_frame', text === undefined ? 'binary frames are not used' : 'a frame is one JSON object with a string type')
      return
    }
    const action = hooks.frame?.(frame, connection)
    if (action === 'drop') {
      connection.terminate()
      return
    }
    if (action === 'drop-after') connection.muted = true
    await handle(connection, frame)
    if (action === 'drop-after') connection.terminate()
  }

  async function handle(connection: Connection, frame: ReceivedFrame): Promise<void> {
    if (frame.type === 'auth') {
      hooks.handled?.('auth', connection)
      await authenticateFrame(connection, frame.token)
      return
    }
    if (!connection.welcomed) {
      connection.close(CloseCode.unauthorized, 'auth frame expected first')
      return
    }
    switch (frame.type) {
      case 'ping':
        hooks.handled?.('ping', connection)
        send(connection, { type: 'pong', t: typeof frame.t === 'number' && Number.isFinite(frame.t) ? frame.t : 0 })
        return
      case 'subscribe':
        hooks.handled?.('subscribe', connection)
        await subscribe(connection, frame)
        return
      case 'unsubscribe':
        hooks.handled?.('unsubscribe', connection)
        unsubscribe(connection, frame)
        return
      case 'publish':
        await publishFromClient(connection, frame)
        return
      default:
      // Unknown types are ignored: that is how the protocol is extended (docs/protocol.md#transport).
    }
  }

  async function authenticateFrame(connection: Connection, token: unknown): Promise<void> {
    if (typeof token !== 'string' || token.length === 0) {
      connection.close(CloseCode.unauthorized, 'token missing')
      return
    }
    let principal: unknown = true
    if (authenticate) {
      try {
        principal = await authenticate(token, connection.request!)
      } catch {
        principal = undefined
      }
    }
    if (isRefusal(principal) && principal.refused === 'expired') {
      connection.close(CloseCode.tokenExpired, 'token expired')
      return
    }
    if (principal === undefined || principal === null || principal === false || isRefusal(principal)) {
      connection.close(CloseCode.unauthorized, 'token refused')
      return
    }
    connection.token = token
    connection.principal = authenticate ? principal : undefined
    if (connection.welcomed) send(connection, { type: 'authed' })
    else welcome(connection)
  }

  async function allowed(connection: Connection, action: ChannelAction, channel: string): Promise<boolean> {
    if (hooks.authorize && !hooks.authorize(connection, action, channel)) return false
    if (!authorize) return true
    try {
      return (await authorize(connection.principal, action, channel)) === true
    } catch {
      // Fail closed: an authorizer that throws refuses.
      return false
    }
  }

  function validChannel(channel: unknown): channel is string {
    return typeof channel === 'string' && channel.length > 0 && channel.length <= MAX_CHANNEL
  }

  async function subscribe(connection: Connection, frame: ReceivedFrame): Promise<void> {
    const { id, channel } = frame
    if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID) return refuseFrame(connection, undefined, 'invalid_frame', 'subscribe needs an id')
    if (!validChannel(channel)) return refuseFrame(connection, id, 'invalid_channel', `channel must be a string of 1 to ${MAX_CHANNEL} characters`)
    const rawFrom = frame.from as { offset?: unknown; epoch?: unknown } | undefined
    let from: StreamPosition | undefined
    if (rawFrom !== undefined) {
      if (typeof rawFrom !== 'object' || rawFrom === null || !isOffset(rawFrom.offset) || typeof rawFrom.epoch !== 'string') {
        return refuseFrame(connection, id, 'invalid_frame', 'from must be { offset: decimal string, epoch: string }')
      }
      from = { offset: rawFrom.offset, epoch: rawFrom.epoch }
    }
    if (!connection.channels.has(channel) && connection.channels.size >= limits.channelsPerConnection) {
      return refuseFrame(connection, id, 'too_many_channels', `at most ${limits.channelsPerConnection} channels per connection`)
    }
    if (!(await allowed(connection, 'subscribe', channel))) return refuseFrame(connection, id, 'forbidden', `not allowed to subscribe to ${channel}`)
    if (!connections.has(connection.socket)) return
    // Join the fan-out first and hold live events back, so nothing falls between the head read and live delivery.
    const subscription: Subscription = { pending: [] }
    if (connection.subscriptions === NO_SUBSCRIPTIONS) {
      connection.subscriptions = new Map()
      connection.channels = new Set()
    }
    connection.subscriptions.set(channel, subscription)
    if (!connection.channels.has(channel)) {
      connection.channels.add(channel)
      join(connection, channel)
    }
    await fanouts.get(channel)?.stop
    const { head, missed } = await engine.recover(channel, from)
    if (connection.subscriptions.get(channel) !== subscription) return
    send(connection, { type: 'subscribed', id, channel, offset: head.offset, epoch: head.epoch, recovered: from === undefined || missed !== undefined })
    // A replay can be far larger than the send buffer (a consumer cut off while 50 MB went by):
    // it is paced by the socket, so only the live tail ever counts against the limit.
    for (const event of missed ?? []) await paced(connection, JSON.stringify({ type: 'event', ...event }))
    if (connection.subscriptions.get(channel) !== subscription) return
    for (let index = 0; index < (subscription.pending?.length ?? 0); index++) {
      const event = subscription.pending![index]!
      if (event.epoch === head.epoch && Number(event.offset) <= Number(head.offset)) continue
      await paced(connection, JSON.stringify({ type: 'event', ...event }))
    }
    subscription.pending = undefined
  }

  function unsubscribe(connection: Connection, frame: ReceivedFrame): void {
    const { id, channel } = frame
    if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID) return refuseFrame(connection, undefined, 'invalid_frame', 'unsubscribe needs an id')
    if (!validChannel(channel)) return refuseFrame(connection, id, 'invalid_channel', `channel must be a string of 1 to ${MAX_CHANNEL} characters`)
    if (connection.channels.delete(channel)) {
      connection.subscriptions.delete(channel)
      leave(connection, channel)
    }
    send(connection, { type: 'unsubscribed', id, channel })
  }

  async function publishFromClient(connection: Connection, frame: ReceivedFrame): Promise<void> {
    const { id, channel, name } = frame
    if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID) return refuseFrame(connection, undefined, 'invalid_publish', 'publish needs an id')
    if (!validChannel(channel) || typeof name !== 'string' || name.length === 0) {
      return refuseFrame(connection, id, 'invalid_publish', 'publish needs a channel and a name')
    }
    if (!(await allowed(connection, 'publish', channel))) return refuseFrame(connection, id, 'forbidden', `not allowed to publish on ${channel}`)
    const { duplicate } = await engine.publish(channel, name, frame.data ?? null, id)
    hooks.published?.(id, channel, name, frame.data, duplicate)
    send(connection, { type: 'ack', id })
  }

  function join(connection: Connection, channel: string): void {
    let fanout = fanouts.get(channel)
    if (!fanout) {
      const members = new Set<Connection>()
      const made: Fanout = { members, stop: engine.listen(channel, (event) => deliver(members, event)) }
      // An engine that cannot listen (Redis down): forget this fan-out so the next subscribe tries
      // again; the subscribe that awaits it fails and its connection is closed with 4000 to resume later.
      made.stop.catch(() => {
        if (fanouts.get(channel) === made) fanouts.delete(channel)
        for (const member of members) member.close(CloseCode.generic, 'engine unavailable')
      })
      fanout = made
      fanouts.set(channel, fanout)
    }
    fanout.members.add(connection)
  }

  function leave(connection: Connection, channel: string): void {
    const fanout = fanouts.get(channel)
    if (!fanout) return
    fanout.members.delete(connection)
    if (fanout.members.size === 0) {
      fanouts.delete(channel)
      fanout.stop.then((stop) => stop()).catch(() => {})
    }
  }

  /** Bytes of frames a fan-out batches for one connection before writing them. */
  const batchBytes = Math.min(16_384, limits.sendBufferBytes / 8)
  /** Connections corked by fan-outs during this tick; uncorked together once it is over. */
  let corked: Connection[] = []
  function uncork(): void {
    const list = corked
    corked = []
    for (const connection of list) {
      // A connection flushed early and corked again is listed twice; it is uncorked once.
      if (!connection.corked) continue
      connection.corked = false
      connection.stream.uncork()
    }
  }

  function deliver(members: Set<Connection>, event: StoredEvent): void {
    // Encoded once per event; each subscriber's frames of a tick leave in one write.
    // perf: docs/performance.md#server-one-write-per-tick
    let frame: Buffer | undefined
    for (const connection of members) {
      const subscription = connection.subscriptions.get(event.channel)
      if (subscription?.pending) {
        // Held while its replay is paced out; a consumer that cannot take even that is cut off.
        if (subscription.pending.length >= MAX_HELD) cutOff(connection)
        else subscription.pending.push(event)
        continue
      }
      frame ??= Buffer.from(JSON.stringify({ type: 'event', ...event }))
      const { stream } = connection
      // A batch is flushed before it passes `batchBytes`, so a fast consumer's corked frames never
      // weigh much against its send buffer limit.
      if (connection.corked && stream.writableLength + frame.length > batchBytes) {
        connection.corked = false
        stream.uncork()
      }
      if (!connection.corked) {
        connection.corked = true
        stream.cork()
        if (corked.push(connection) === 1) process.nextTick(uncork)
      }
      sendText(connection, frame)
    }
  }

  function address(): { host: string; port: number } | undefined {
    const bound = http.address()
    if (!bound || typeof bound === 'string') return undefined
    const host = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address
    return { host: host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host, port: bound.port }
  }

  return {
    get url() {
      const at = address()
      return at ? `ws://${at.host}:${at.port}${config.path === '*' ? '' : config.path}` : ''
    },
    get port() {
      return address()?.port ?? 0
    },
    get connections() {
      return connections.size
    },
    async publish(channel, name, data) {
      if (!validChannel(channel) || typeof name !== 'string' || name.length === 0) {
        throw new TypeError(`publish needs a channel of 1 to ${MAX_CHANNEL} characters and a non-empty name`)
      }
      const { event } = await engine.publish(channel, name, data ?? null)
      return { offset: event.offset, epoch: event.epoch }
    },
    async close({ drainMs = 5_000, reconnectAfterMs = 1_000 } = {}) {
      if (!accepting) return
      // Upgrades arriving from now on are answered 503 (not left hanging) until the listener goes.
      accepting = false
      if (sweep) clearInterval(sweep)
      for (const connection of connections.values()) {
        if (connection.muted || connection.cut) connection.terminate()
        else if (reconnectAfterMs !== false) send(connection, { type: 'reconnect', afterMs: reconnectAfterMs })
      }
      const deadline = Date.now() + (reconnectAfterMs === false ? 0 : drainMs)
      while (connections.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5))
      for (const connection of connections.values()) connection.close(CloseCode.serviceRestart, 'shutting down')
      const closeDeadline = Date.now() + 1_000
      while (connections.size > 0 && Date.now() < closeDeadline) await new Promise((resolve) => setTimeout(resolve, 5))
      for (const connection of connections.values()) connection.terminate()
      await new Promise<void>((resolve) => wss.close(() => resolve()))
      http.off('upgrade', onUpgrade)
      if (!config.server) {
        http.closeAllConnections()
        await new Promise<void>((resolve) => http.close(() => resolve()))
      }
      if (ownEngine) await engine.close()
    },
  }
}
