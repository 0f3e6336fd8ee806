/**
 * The reference `wirekit.v1` server: a real `ws` server on 127.0.0.1, port 0, that implements the
 * whole protocol (docs/protocol.md) and adds the fault controls tests need.
 */
import { WebSocketServer, type WebSocket } from 'ws'
import { CloseCode, PROTOCOL, type ServerFrame, isOffset } from '../core/protocol.js'
import { ChannelHistory, type StoredEvent } from './history.js'

/** A frame a client sent, as parsed by the server. */
export type ReceivedFrame = {
  /** The frame type, e.g. `subscribe` or `publish`; the server closes a connection that sends a frame without one. */
  type: string
  [field: string]: unknown
}

/**
 * What a fault hook may ask for: `'drop'` terminates the connection instead of handling the frame;
 * `'drop-after'` handles it (a publish is accepted) but terminates before any reply is sent.
 */
export type FaultAction = 'drop' | 'drop-after' | undefined | void

/** One connected client, as tests see it. */
export interface TestClientInfo {
  /** The server's id for this connection: `c1`, `c2`, … */
  readonly id: string
  /** The token the client authenticated with, if any. */
  readonly token: string | undefined
  /** Channels this connection is subscribed to. */
  readonly channels: ReadonlySet<string>
}

/** Options of {@link createTestRealtimeServer}. Every field is optional. */
export interface TestRealtimeServerOptions {
  /**
   * The ping interval announced in `welcome`, in milliseconds.
   * @default 25000
   */
  heartbeatMs?: number
  /**
   * Events kept per channel for resume.
   * @default 10000
   */
  historySize?: number
  /**
   * Token validator. When given, every connection must authenticate first and a refused token closes
   * it with 4401; without it, the server welcomes connections at once and accepts any token.
   * @default undefined (no auth required)
   */
  authenticate?: (token: string) => boolean | Promise<boolean>
  /**
   * Channel access check: a subscribe to a channel it refuses is answered with an `error` frame
   * (code `forbidden`) carrying the subscribe's id.
   * @default undefined (every channel allowed)
   */
  authorize?: (channel: string, client: TestClientInfo) => boolean
  /**
   * How long a connection may take to send its `auth` frame, in milliseconds, before a 4401 close.
   * @default 5000
   */
  authTimeoutMs?: number
  /**
   * Fault injection: called for every frame a client sends, before the server handles it.
   * @default undefined
   */
  onFrame?: (frame: ReceivedFrame, client: TestClientInfo) => FaultAction
}

/** Counters the server keeps from the moment it starts; `restart()` does not reset them. */
export interface TestRealtimeCounters {
  /** Connections accepted so far. */
  connections: number
  /** Connections open now. */
  open: number
  /** `subscribe` frames handled. */
  subscribes: number
  /** `unsubscribe` frames handled. */
  unsubscribes: number
  /** `auth` frames handled, at connect and in-band. */
  auths: number
  /** `ping` frames answered. */
  pings: number
  /** Publishes that took effect, by id, with how often each id was seen (1 = once). */
  readonly publishes: Map<
    string,
    {
      /** The channel it was published on. */
      channel: string
      /** The event name. */
      name: string
      /** The payload. */
      data: unknown
      /** How many `publish` frames carried this id; above 1 means the client resent it. */
      seen: number
    }
  >
  /** Publishes acked again without effect because their id had already been accepted. */
  duplicatePublishes: number
}

/** The running reference server and its controls. */
export interface TestRealtimeServer {
  /** `ws://127.0.0.1:<port>`: give it to the client as `realtimeUrl`. */
  readonly url: string
  /** The port it listens on. */
  readonly port: number
  /** The counters. */
  readonly counters: TestRealtimeCounters
  /** The connections open now. */
  readonly clients: readonly TestClientInfo[]
  /** Appends an event to a channel's history and sends it to its subscribers. */
  publish(channel: string, name: string, data: unknown): StoredEvent
  /** Terminates one connection, or all, abruptly (no close frame, like a lost network). */
  drop(clientId?: string): void
  /** Stops reading from and writing to one connection, or all, without closing it. */
  blackhole(clientId?: string): void
  /** Closes one connection, or all, with this close code and reason. */
  closeWith(code: number, reason?: string, clientId?: string): void
  /** Sends `{"type":"reconnect","afterMs"}` to one connection, or all, then closes it with 1012. */
  requestReconnect(afterMs: number, clientId?: string): void
  /** Closes every connection with 1012 and listens again on the same port. History is kept. */
  restart(): Promise<void>
  /** Every token seen so far is expired from now on: open connections close with 4001, and it is refused with 4001. */
  expireTokens(): void
  /** Forgets a channel's history: a new epoch begins, so resuming clients are told of a gap. */
  loseHistory(channel: string): void
  /** The history of one channel (created empty when unknown). */
  history(channel: string): ChannelHistory
  /** Stops the server and terminates every connection. */
  close(): Promise<void>
}

interface Connection extends TestClientInfo {
  readonly socket: WebSocket
  token: string | undefined
  readonly channels: Set<string>
  welcomed: boolean
  muted: boolean
  authTimer: ReturnType<typeof setTimeout> | undefined
}

/**
 * Starts a reference server on 127.0.0.1, port 0. Close it in `afterEach`.
 *
 * @example
 * const server = await createTestRealtimeServer()
 * const client = createRealtimeClient({ realtimeUrl: server.url })
 * server.publish('news', 'posted', { id: 1 })
 * await server.close()
 */
export async function createTestRealtimeServer(options: TestRealtimeServerOptions = {}): Promise<TestRealtimeServer> {
  const heartbeatMs = options.heartbeatMs ?? 25_000
  const historySize = options.historySize ?? 10_000
  const authTimeoutMs = options.authTimeoutMs ?? 5_000
  const histories = new Map<string, ChannelHistory>()
  const connections = new Map<string, Connection>()
  const subscribers = new Map<string, Set<Connection>>()
  const expiredTokens = new Set<string>()
  const seenTokens = new Set<string>()
  const counters: TestRealtimeCounters = {
    connections: 0,
    open: 0,
    subscribes: 0,
    unsubscribes: 0,
    auths: 0,
    pings: 0,
    publishes: new Map(),
    duplicatePublishes: 0,
  }
  let nextId = 0
  let wss = await listen(0)
  const port = (wss.address() as { port: number }).port

  function listen(onPort: number): Promise<WebSocketServer> {
    return new Promise((resolve, reject) => {
      const server = new WebSocketServer({
        host: '127.0.0.1',
        port: onPort,
        handleProtocols: (offered) => (offered.has(PROTOCOL) ? PROTOCOL : false),
      })
      server.once('listening', () => resolve(server))
      server.once('error', reject)
      server.on('connection', accept)
    })
  }

  function history(channel: string): ChannelHistory {
    let found = histories.get(channel)
    if (!found) {
      found = new ChannelHistory(channel, historySize)
      histories.set(channel, found)
    }
    return found
  }

  function accept(socket: WebSocket): void {
    counters.connections += 1
    counters.open += 1
    const connection: Connection = {
      id: `c${++nextId}`,
      socket,
      token: undefined,
      channels: new Set(),
      welcomed: false,
      muted: false,
      authTimer: undefined,
    }
    connections.set(connection.id, connection)
    socket.on('close', () => forget(connection))
    socket.on('error', () => socket.terminate())
    socket.on('message', (raw, isBinary) => {
      if (connection.muted) return
      void receive(connection, isBinary ? '' : raw.toString())
    })
    if (options.authenticate) {
      connection.authTimer = setTimeout(() => socket.close(CloseCode.unauthorized, 'no auth frame'), authTimeoutMs)
    } else {
      welcome(connection)
    }
  }

  function forget(connection: Connection): void {
    if (!connections.delete(connection.id)) return
    counters.open -= 1
    clearTimeout(connection.authTimer)
    for (const channel of connection.channels) subscribers.get(channel)?.delete(connection)
  }

  function send(connection: Connection, frame: ServerFrame | string): void {
    if (connection.muted || connection.socket.readyState !== connection.socket.OPEN) return
    connection.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame))
  }

  function welcome(connection: Connection): void {
    connection.welcomed = true
    clearTimeout(connection.authTimer)
    send(connection, { type: 'welcome', heartbeatMs })
  }

  async function receive(connection: Connection, text: string): Promise<void> {
    let frame: ReceivedFrame
    try {
      frame = JSON.parse(text) as ReceivedFrame
      if (typeof frame !== 'object' || frame === null || typeof frame.type !== 'string') throw new Error('no type')
    } catch {
      connection.socket.close(CloseCode.generic, 'malformed frame')
      return
    }
    const action = options.onFrame?.(frame, connection)
    if (action === 'drop') {
      connection.socket.terminate()
      return
    }
    if (action === 'drop-after') connection.muted = true
    await handle(connection, frame)
    if (action === 'drop-after') connection.socket.terminate()
  }

  async function handle(connection: Connection, frame: ReceivedFrame): Promise<void> {
    if (frame.type === 'auth') {
      await authenticate(connection, frame.token)
      return
    }
    if (!connection.welcomed) {
      connection.socket.close(CloseCode.unauthorized, 'auth frame expected first')
      return
    }
    switch (frame.type) {
      case 'ping':
        counters.pings += 1
        send(connection, { type: 'pong', t: typeof frame.t === 'number' ? frame.t : 0 })
        return
      case 'subscribe':
        subscribe(connection, frame)
        return
      case 'unsubscribe': {
        counters.unsubscribes += 1
        const channel = String(frame.channel)
        connection.channels.delete(channel)
        subscribers.get(channel)?.delete(connection)
        send(connection, { type: 'unsubscribed', id: String(frame.id), channel })
        return
      }
      case 'publish':
        publishFromClient(connection, frame)
        return
      default:
        send(connection, { type: 'error', code: 'unknown_frame', message: `unknown frame type ${frame.type}` })
    }
  }

  async function authenticate(connection: Connection, token: unknown): Promise<void> {
    counters.auths += 1
    if (typeof token !== 'string' || token.length === 0) {
      connection.socket.close(CloseCode.unauthorized, 'token missing')
      return
    }
    if (expiredTokens.has(token)) {
      connection.socket.close(CloseCode.tokenExpired, 'token expired')
      return
    }
    if (options.authenticate && !(await options.authenticate(token))) {
      connection.socket.close(CloseCode.unauthorized, 'token refused')
      return
    }
    seenTokens.add(token)
    connection.token = token
    if (connection.welcomed) send(connection, { type: 'authed' })
    else welcome(connection)
  }

  function subscribe(connection: Connection, frame: ReceivedFrame): void {
    counters.subscribes += 1
    const id = String(frame.id)
    const channel = frame.channel
    if (typeof channel !== 'string' || channel.length === 0) {
      send(connection, { type: 'error', id, code: 'invalid_channel', message: 'channel must be a non-empty string' })
      return
    }
    if (options.authorize && !options.authorize(channel, connection)) {
      send(connection, { type: 'error', id, code: 'forbidden', message: `not allowed to subscribe to ${channel}` })
      return
    }
    const log = history(channel)
    const from = frame.from as { offset?: unknown; epoch?: unknown } | undefined
    const missed =
      from && isOffset(from.offset) && typeof from.epoch === 'string' ? log.since({ offset: from.offset, epoch: from.epoch }) : undefined
    connection.channels.add(channel)
    let set = subscribers.get(channel)
    if (!set) subscribers.set(channel, (set = new Set()))
    set.add(connection)
    send(connection, {
      type: 'subscribed',
      id,
      channel,
      offset: String(log.head),
      epoch: log.epoch,
      recovered: from === undefined || missed !== undefined,
    })
    for (const event of missed ?? []) send(connection, { type: 'event', ...event })
  }

  function publishFromClient(connection: Connection, frame: ReceivedFrame): void {
    const id = frame.id
    if (typeof id !== 'string' || id.length === 0) {
      send(connection, { type: 'error', code: 'invalid_publish', message: 'publish needs an id' })
      return
    }
    const accepted = counters.publishes.get(id)
    if (accepted) {
      // Already took effect: the first ack was lost with the connection. Ack again, change nothing.
      accepted.seen += 1
      counters.duplicatePublishes += 1
      send(connection, { type: 'ack', id })
      return
    }
    if (typeof frame.channel !== 'string' || frame.channel.length === 0 || typeof frame.name !== 'string') {
      send(connection, { type: 'error', id, code: 'invalid_publish', message: 'publish needs a channel and a name' })
      return
    }
    counters.publishes.set(id, { channel: frame.channel, name: frame.name, data: frame.data, seen: 1 })
    broadcast(history(frame.channel).append(frame.name, frame.data))
    send(connection, { type: 'ack', id })
  }

  function broadcast(event: StoredEvent): void {
    const set = subscribers.get(event.channel)
    if (!set || set.size === 0) return
    const text = JSON.stringify({ type: 'event', ...event })
    for (const connection of set) send(connection, text)
  }

  function targets(clientId?: string): Connection[] {
    if (clientId === undefined) return [...connections.values()]
    const one = connections.get(clientId)
    return one ? [one] : []
  }

  return {
    url: `ws://127.0.0.1:${port}`,
    port,
    counters,
    get clients() {
      return [...connections.values()]
    },
    publish(channel, name, data) {
      const event = history(channel).append(name, data)
      broadcast(event)
      return event
    },
    drop(clientId) {
      for (const connection of targets(clientId)) connection.socket.terminate()
    },
    blackhole(clientId) {
      for (const connection of targets(clientId)) {
        connection.muted = true
        connection.socket.pause()
      }
    },
    closeWith(code, reason = '', clientId) {
      for (const connection of targets(clientId)) connection.socket.close(code, reason)
    },
    requestReconnect(afterMs, clientId) {
      for (const connection of targets(clientId)) {
        send(connection, { type: 'reconnect', afterMs })
        connection.socket.close(CloseCode.serviceRestart, 'planned restart')
      }
    },
    async restart() {
      const old = wss
      // Stop accepting first, so reconnecting clients wait for the new listener.
      const stopped = new Promise<void>((resolve) => old.close(() => resolve()))
      for (const connection of connections.values()) {
        // A black-holed connection cannot finish a close handshake.
        if (connection.muted) connection.socket.terminate()
        else connection.socket.close(CloseCode.serviceRestart, 'restarting')
      }
      // Let the close handshakes finish so clients see 1012, not an abrupt drop.
      const deadline = Date.now() + 1_000
      while (connections.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 2))
      for (const connection of connections.values()) connection.socket.terminate()
      await stopped
      wss = await listen(port)
    },
    expireTokens() {
      for (const token of seenTokens) expiredTokens.add(token)
      for (const connection of connections.values()) {
        if (connection.token !== undefined) connection.socket.close(CloseCode.tokenExpired, 'token expired')
      }
    },
    loseHistory(channel) {
      history(channel).lose()
    },
    history,
    async close() {
      await shutdown(wss)
    },
  }

  function shutdown(server: WebSocketServer): Promise<void> {
    for (const connection of connections.values()) connection.socket.terminate()
    return new Promise((resolve) => server.close(() => resolve()))
  }
}
