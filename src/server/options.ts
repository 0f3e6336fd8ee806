/** The server's and the memory engine's option tables, built from the one validation kit (src/core/checks.ts). */
import type { IncomingMessage, Server as HttpServer } from 'node:http'
import { boolean, check, count, fn, milliseconds, record, timeLimit } from '../core/checks.js'
import type { Engine } from './engine.js'

/** What a publish or a subscribe asks {@link RealtimeServerOptions.authorize} for. */
export type ChannelAction = 'subscribe' | 'publish'

/** A refusal {@link RealtimeServerOptions.authenticate} may return; see {@link refuse}. */
export interface AuthRefusal {
  /** `expired` closes with 4001 (the client refreshes its token), `unauthorized` with 4401. */
  readonly refused: 'expired' | 'unauthorized'
}

/** Options of {@link createRealtimeServer}. Every field is optional. */
export interface RealtimeServerOptions<P = unknown> {
  /**
   * An existing HTTP server to mount on: upgrades to {@link RealtimeServerOptions.path} are taken,
   * others are left to the server's other `upgrade` listeners. Without it the server listens on its own port.
   * @default undefined (own port)
   */
  server?: HttpServer
  /**
   * The URL path clients connect to. `'*'` accepts every path (the test server does).
   * @default '/realtime'
   */
  path?: string
  /**
   * The port to listen on when no `server` is given; 0 picks a free one.
   * @default 0
   */
  port?: number
  /**
   * The interface to listen on when no `server` is given. Loopback unless you say otherwise.
   * @default '127.0.0.1'
   */
  host?: string
  /**
   * Where channel events are stored and fanned out. A server you give an engine does not close it.
   * @default createMemoryEngine()
   */
  engine?: Engine
  /**
   * Checks a token (the client's `auth` frame) and returns the principal, or `false`/`undefined`/
   * {@link refuse}`('unauthorized')` (close 4401) or {@link refuse}`('expired')` (close 4001). When given, every
   * connection must authenticate first, unless {@link RealtimeServerOptions.allowAnonymous}.
   * @default undefined (no authentication: every connection is welcomed at once)
   */
  authenticate?: (token: string, request: IncomingMessage) => P | AuthRefusal | false | undefined | Promise<P | AuthRefusal | false | undefined>
  /**
   * Whether `principal` may subscribe to or publish on `channel`; a refusal is an `error` frame with
   * code `forbidden` and the frame's id. The principal is `undefined` for an anonymous connection.
   * @default undefined (everything allowed)
   */
  authorize?: (principal: P | undefined, action: ChannelAction, channel: string) => boolean | Promise<boolean>
  /**
   * With `authenticate`: welcome connections without a token at once (principal `undefined`); an
   * `auth` frame they send later is checked as an in-band refresh.
   * @default false
   */
  allowAnonymous?: boolean
  /**
   * How long a connection that must authenticate may take to send its `auth` frame before a 4401 close.
   * @default 5000
   */
  authTimeoutMs?: number
  /**
   * The ping interval announced in `welcome`.
   * @default 25000
   */
  heartbeatMs?: number
  /**
   * A connection that sends no frame for this long is closed with 4000 (`idle`); `false` never.
   * @default 75000 (three heartbeats)
   */
  idleTimeoutMs?: number | false
  /** Limits, each with a documented answer (docs/server.md#limits). */
  limits?: {
    /**
     * Largest client frame in bytes; a larger one closes the connection with 1009.
     * @default 65536
     */
    frameBytes?: number
    /**
     * Channels one connection may follow; one more is refused with an `error` frame `too_many_channels`.
     * @default 100
     */
    channelsPerConnection?: number
    /**
     * Open connections; one more is closed with 4429 and `retryAfterMs` as its reason.
     * @default 10000
     */
    connections?: number
    /**
     * Bytes queued for one connection that does not read; past it the connection is cut off with
     * 4008 (`slow consumer`) and resumes from its last offset when it comes back.
     * @default 1048576
     */
    sendBufferBytes?: number
    /**
     * The wait a 4429 close asks for, in milliseconds.
     * @default 5000
     */
    retryAfterMs?: number
  }
}

/** Options of {@link createMemoryEngine}. Every field is optional. */
export interface MemoryEngineOptions {
  /** How much history each channel keeps for resume: the newest `events`, none older than `ageMs`. */
  history?: {
    /**
     * Events kept per channel.
     * @default 10000
     */
    events?: number
    /**
     * Age past which events are dropped, in milliseconds; `false` keeps them by count only.
     * @default false
     */
    ageMs?: number | false
  }
  /** How long accepted client publish ids are remembered, so a resent publish is acked without effect. */
  publishIds?: {
    /**
     * Ids remembered.
     * @default 100000
     */
    count?: number
    /**
     * Age past which an id is forgotten, in milliseconds.
     * @default 600000
     */
    ageMs?: number
  }
  /**
   * The clock history ages are measured on.
   * @default Date.now
   */
  clock?: () => number
}

const isEngine = (value: unknown) =>
  typeof value === 'object' && value !== null && ['publish', 'recover', 'listen', 'close'].every((key) => typeof (value as Record<string, unknown>)[key] === 'function')

/** `server`: an http.Server to mount on (the test server takes it too). */
export const httpServer = check<HttpServer | undefined>((value) => typeof value === 'object' && value !== null && typeof (value as { on?: unknown }).on === 'function', 'an http.Server')

/** `path`: where clients connect (the test server takes it too). */
export const urlPath = check<string>((value) => value === '*' || (typeof value === 'string' && value.startsWith('/')), "a path starting with '/' or '*'", '/realtime')

/** The server's options. */
export const SERVER_OPTIONS = record({
  server: httpServer,
  path: urlPath,
  port: count(0),
  host: check<string>((value) => typeof value === 'string' && value.length > 0, 'a host name or address', '127.0.0.1'),
  engine: check<Engine | undefined>(isEngine, 'an engine (publish, recover, listen, close)'),
  authenticate: fn<RealtimeServerOptions['authenticate']>('a function (token, request) returning a principal or a refusal'),
  authorize: fn<RealtimeServerOptions['authorize']>('a function (principal, action, channel) returning true or false'),
  allowAnonymous: boolean(false),
  authTimeoutMs: milliseconds(5_000, 1),
  heartbeatMs: milliseconds(25_000, 1),
  idleTimeoutMs: timeLimit(75_000),
  limits: record({
    frameBytes: count(65_536, 1),
    channelsPerConnection: count(100, 1),
    connections: count(10_000, 1),
    sendBufferBytes: count(1_048_576, 1),
    retryAfterMs: milliseconds(5_000),
  }),
})

/** The memory engine's options. */
export const MEMORY_ENGINE_OPTIONS = record({
  history: record({ events: count(10_000, 1), ageMs: timeLimit(false) }),
  publishIds: record({ count: count(100_000, 1), ageMs: milliseconds(600_000, 1) }),
  clock: fn<() => number>('a function returning milliseconds', Date.now),
})

/**
 * A refusal for {@link RealtimeServerOptions.authenticate} to return.
 *
 * @example
 * authenticate: (token) => (isExpired(token) ? refuse('expired') : lookUp(token) ?? refuse('unauthorized'))
 */
export function refuse(reason: AuthRefusal['refused']): AuthRefusal {
  return Object.freeze({ refused: reason })
}

/** True for what {@link refuse} returns. */
export function isRefusal(value: unknown): value is AuthRefusal {
  return typeof value === 'object' && value !== null && Object.isFrozen(value) && ((value as AuthRefusal).refused === 'expired' || (value as AuthRefusal).refused === 'unauthorized') && Object.keys(value).length === 1
}
