/**
 * The test server: the `@wirekit/sdk/server` server (one implementation of docs/protocol.md in the
 * repository) on the memory engine, plus the fault controls and counters tests need.
 */
import type { Server as HttpServer } from 'node:http'
import { CloseCode } from '../core/protocol.js'
import { type ConnectionHandle, type FaultAction, type ReceivedFrame, type RealtimeServer, startRealtimeServer } from '../server/core.js'
import type { StoredEvent } from '../server/engine.js'
import { type ChannelState, createMemoryEngine } from '../server/memory-engine.js'
import { type ChannelAction, httpServer, refuse, urlPath } from '../server/options.js'
import { count, fn, milliseconds, record } from '../core/checks.js'

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
   * Channel access check for subscribes and publishes; a refusal is an `error` frame (code
   * `forbidden`) carrying the frame's id.
   * @default undefined (every channel allowed)
   */
  authorize?: (channel: string, client: TestClientInfo, action: ChannelAction) => boolean
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
  /**
   * The port on 127.0.0.1; a restart in another process can then come back on the same URL.
   * @default 0 (a free port)
   */
  port?: number
  /**
   * An http.Server to mount on instead, at `path`.
   * @default undefined (own port)
   */
  server?: HttpServer
  /**
   * The path when mounted on `server`.
   * @default '/realtime'
   */
  path?: string
  /**
   * Per-connection send buffer limit in bytes (see the server's `limits.sendBufferBytes`).
   * @default 1048576
   */
  sendBufferBytes?: number
  /**
   * Channels one connection may follow (the server's `limits.channelsPerConnection`); high, so
   * tests of many subscriptions need not set it.
   * @default 100000
   */
  channelsPerConnection?: number
}

/** The test server's options, checked like every other entry point's (a typo is a ConfigError naming it). */
export const TEST_SERVER_OPTIONS = record({
  heartbeatMs: milliseconds(25_000, 1),
  historySize: count(10_000, 1),
  authenticate: fn<TestRealtimeServerOptions['authenticate']>('a function (token) returning true or false'),
  authorize: fn<TestRealtimeServerOptions['authorize']>('a function (channel, client, action) returning true or false'),
  authTimeoutMs: milliseconds(5_000, 1),
  onFrame: fn<TestRealtimeServerOptions['onFrame']>('a function (frame, client) returning a fault action'),
  port: count(0),
  server: httpServer,
  path: urlPath,
  sendBufferBytes: count(1_048_576, 1),
  channelsPerConnection: count(100_000, 1),
})

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

/** The running test server and its controls. */
export interface TestRealtimeServer {
  /** `ws://127.0.0.1:<port>` (plus the path when mounted): give it to the client as `realtimeUrl`. */
  readonly url: string
  /** The port it listens on. */
  readonly port: number
  /** The counters. */
  readonly counters: TestRealtimeCounters
  /** The connections open now. */
  readonly clients: readonly TestClientInfo[]
  /** Appends an event to a channel's history and sends it to its subscribers, synchronously. */
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
  /** Where one channel's history stands (an unknown channel reads as empty). */
  history(channel: string): ChannelState
  /** Stops the server and terminates every connection. */
  close(): Promise<void>
}

/**
 * Starts a test server on 127.0.0.1 (a free port unless `port` is given), or mounted on `server`.
 * Close it in `afterEach`.
 *
 * @example
 * const server = await createTestRealtimeServer()
 * const client = createRealtimeClient({ realtimeUrl: server.url })
 * server.publish('news', 'posted', { id: 1 })
 * await server.close()
 */
export async function createTestRealtimeServer(given: TestRealtimeServerOptions = {}): Promise<TestRealtimeServer> {
  const options = TEST_SERVER_OPTIONS(given, '')
  const engine = createMemoryEngine({ history: { events: options.historySize } })
  const connections = new Map<string, ConnectionHandle>()
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
  const handledCounter = { auth: 'auths', subscribe: 'subscribes', unsubscribe: 'unsubscribes', ping: 'pings' } as const

  const start = (port: number): Promise<RealtimeServer> =>
    startRealtimeServer(
      {
        engine,
        ...(options.server ? { server: options.server, path: options.path } : { port, path: '*' }),
        heartbeatMs: options.heartbeatMs,
        authTimeoutMs: options.authTimeoutMs,
        // Tests drive liveness themselves (blackhole, fake clocks): no idle closes.
        idleTimeoutMs: false,
        allowAnonymous: !options.authenticate,
        limits: { sendBufferBytes: options.sendBufferBytes, channelsPerConnection: options.channelsPerConnection },
        authenticate: async (token) => {
          if (expiredTokens.has(token)) return refuse('expired')
          if (options.authenticate && !(await options.authenticate(token))) return false
          seenTokens.add(token)
          return { token }
        },
      },
      {
        open(connection) {
          counters.connections += 1
          counters.open += 1
          connections.set(connection.id, connection)
        },
        closed(connection) {
          counters.open -= 1
          connections.delete(connection.id)
        },
        frame: options.onFrame,
        handled(kind) {
          counters[handledCounter[kind]] += 1
        },
        authorize: options.authorize ? (connection, action, channel) => options.authorize!(channel, connection, action) : undefined,
        published(id, channel, name, data, duplicate) {
          const accepted = counters.publishes.get(id)
          if (accepted) {
            // Already took effect: the first ack was lost with the connection. Acked again, nothing changed.
            accepted.seen += 1
            counters.duplicatePublishes += 1
          } else {
            counters.publishes.set(id, { channel, name, data, seen: 1 })
          }
          void duplicate
        },
      },
    )

  let server = await start(options.port ?? 0)
  // Mounted, the port is the http server's (it may start listening later); on its own, it is fixed here.
  const port = options.server ? 0 : server.port

  function targets(clientId?: string): ConnectionHandle[] {
    if (clientId === undefined) return [...connections.values()]
    const one = connections.get(clientId)
    return one ? [one] : []
  }

  return {
    get url() {
      return server.url
    },
    get port() {
      return server.port
    },
    counters,
    get clients() {
      return [...connections.values()]
    },
    publish(channel, name, data) {
      return engine.append(channel, name, data).event as StoredEvent
    },
    drop(clientId) {
      for (const connection of targets(clientId)) connection.terminate()
    },
    blackhole(clientId) {
      for (const connection of targets(clientId)) connection.blackhole()
    },
    closeWith(code, reason = '', clientId) {
      for (const connection of targets(clientId)) connection.close(code, reason)
    },
    requestReconnect(afterMs, clientId) {
      for (const connection of targets(clientId)) {
        connection.send({ type: 'reconnect', afterMs })
        connection.close(CloseCode.serviceRestart, 'planned restart')
      }
    },
    async restart() {
      await server.close({ reconnectAfterMs: false })
      server = await start(options.server ? 0 : port)
    },
    expireTokens() {
      for (const token of seenTokens) expiredTokens.add(token)
      for (const connection of connections.values()) {
        if (connection.token !== undefined) connection.close(CloseCode.tokenExpired, 'token expired')
      }
    },
    loseHistory(channel) {
      engine.lose(channel)
    },
    history: (channel) => engine.state(channel),
    async close() {
      for (const connection of connections.values()) connection.terminate()
      await server.close({ reconnectAfterMs: false })
      await engine.close()
    },
  }
}
