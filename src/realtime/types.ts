import type { InferSchemaOutput, RealtimeError, StandardSchemaV1 } from '../core/index.js'
import type { StreamPosition } from '../core/protocol.js'

export type { StreamPosition }

/**
 * The events of each channel: `{ [channel]: { [eventName]: payload } }`.
 *
 * @example
 * type Events = { chat: { message: { text: string }; typing: { user: string } } }
 */
export type EventMap = { [channel: string]: { [name: string]: unknown } }

/** Any channel, any event, payloads unknown: what an untyped client sees. */
export type AnyEvents = Record<string, Record<string, unknown>>

/** The event map a {@link SchemaMap}'s schemas produce. */
export type InferEvents<S> = {
  [C in keyof S]: { [N in keyof S[C]]: S[C][N] extends StandardSchemaV1 ? InferSchemaOutput<S[C][N]> : never }
}

/** One event delivered on channel `C`, a union over its names so `name` narrows `data`. */
export type RealtimeEvent<M extends EventMap = AnyEvents, C extends keyof M = keyof M> = {
  [K in C]: {
    [N in keyof M[K]]: {
      /** The channel it was delivered on. */
      readonly channel: K
      /** The event name; narrows `data`. */
      readonly name: N
      /** The payload; on a channel listed in `realtime.schemas`, the schema's validated output. */
      readonly data: M[K][N]
      /** The event's offset in its channel, a decimal string. */
      readonly offset: string
      /** The channel's history epoch. */
      readonly epoch: string
    }
  }[keyof M[K]]
}[C]

/** Events were missed and cannot be replayed: refetch the channel's state (e.g. over REST). */
export interface Gap {
  /** The channel that missed events. */
  readonly channel: string
  /**
   * Why: `history_lost` (the server could not replay from our position), `epoch_changed` (the
   * channel's history was reset while we listened), `offset_skipped` (offsets jumped).
   */
  readonly reason: 'history_lost' | 'epoch_changed' | 'offset_skipped'
  /** The last position delivered before the gap. */
  readonly from: StreamPosition
  /** The channel's epoch after the gap. */
  readonly epoch: string
}

/** Callbacks of one subscription. Only `onEvent` is needed. */
export interface SubscriptionHandlers<E> {
  /** Each event, in offset order, never twice. */
  onEvent?: (event: E) => void
  /** Events were missed; called before any newer event is delivered. */
  onGap?: (gap: Gap) => void
  /** An event failed its schema, a handler threw, the server refused the subscription, or the client failed. */
  onError?: (error: unknown) => void
}

/** Options of `subscribe()`. */
export interface SubscribeOptions {
  /**
   * Resume from this position (e.g. one saved by the app): missed events are replayed, or a gap is
   * signalled. Used only by the first subscription of a channel on a client.
   * @default undefined (only new events)
   */
  from?: StreamPosition
}

/** Connection states: idle → connecting → open → reconnecting → closed. */
export type ConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed'

/** The payload of the `state` event. */
export interface StateChange {
  /** The state just entered. */
  readonly state: ConnectionState
  /** Reconnect attempts in a row so far (0 once a connection proved stable). */
  readonly attempt: number
  /** With `reconnecting`: milliseconds until the next attempt. */
  readonly delay?: number
  /** The close code that ended the last connection, if one did. */
  readonly closeCode?: number
  /** The close reason that came with it. */
  readonly closeReason?: string
  /**
   * Why the last connection failed, as the WebSocket implementation reported it, e.g.
   * `Unexpected server response: 404` (a refused upgrade) or `connect ECONNREFUSED 127.0.0.1:8080`.
   * Present where the implementation says (the `ws` package on Node, Deno); browsers report nothing.
   */
  readonly cause?: string
  /** The HTTP status that refused the WebSocket upgrade, where {@link cause} names one. */
  readonly status?: number
  /** With `closed` after a failure: why. */
  readonly error?: RealtimeError
}

/** What the client emits (eventemitter3). */
export interface RealtimeClientEvents {
  /** The connection state changed. */
  state: (change: StateChange) => void
  /** A channel missed events; its subscriptions' `onGap` are called with the same gap. */
  gap: (gap: Gap) => void
  /**
   * An error not tied to one call: the token provider threw, the server sent an `error` frame for no
   * pending publish or subscription, an invalid event found no subscription `onError`, connection
   * attempts keep failing before the socket opens (`connect_failed`, once per run of
   * `realtime.failedOpensBeforeError`), or the error that closed the client for good.
   */
  error: (error: unknown) => void
}

/** What `RealtimeClient.inspect()` reports: the debug hook leak tests read. */
export interface RealtimeDebugInfo {
  /** The connection state, as `RealtimeClient.state`. */
  readonly state: ConnectionState
  /** Reconnect attempts in a row so far, as in the `state` event. */
  readonly attempt: number
  /** The client's armed timers, by purpose; at most one each. */
  readonly timers: readonly string[]
  /** Whether the client holds a socket. */
  readonly socket: boolean
  /**
   * Which WebSocket connects: `ws` (the Node build's default, the `ws` package), `native` (the
   * runtime's own, the default on Deno, Bun, workerd and browsers, picked by export condition), or
   * `custom` (the `WebSocket` option).
   */
  readonly webSocket: 'ws' | 'native' | 'custom'
  /** Browser `online` / `visibilitychange` listeners installed. */
  readonly browserListeners: number
  /** Channels with at least one subscription. */
  readonly channels: number
  /** Publishes not yet acknowledged, waiting or sent. */
  readonly pendingPublishes: number
}
