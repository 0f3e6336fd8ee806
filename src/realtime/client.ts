/**
 * Internal: the public face of the realtime client. Every method hands over to the engine
 * (engine.ts), which wires the heartbeat, the close-code policy, the publish queue and the channel
 * table to one socket.
 */
import { EventEmitter } from './emitter.js'
import type { ClientContext, RealtimeConfig } from '../core/index.js'
import type { StreamPosition } from '../core/protocol.js'
import { type Engine, createEngine } from './engine.js'
import { wirekitV1 } from './frames.js'
import type { RealtimeProtocol } from './protocol.js'
import type { Subscription } from './subscription.js'
import type { AnyEvents, ConnectionState, EventMap, RealtimeClientEvents, RealtimeDebugInfo, RealtimeEvent, SubscribeOptions, SubscriptionHandlers } from './types.js'

/**
 * The realtime client: one lazily opened WebSocket carrying every subscription, resumed without
 * loss or repeats after each reconnect. Get one from `createClient()` as `client.realtime`, or from
 * `createRealtimeClient()`.
 *
 * @example
 * const sub = realtime.subscribe('orders', (event) => console.log(event.name, event.data))
 * await realtime.publish('orders', 'created', { id: 7 })
 * sub.unsubscribe(); realtime.close()
 */
export class RealtimeClient<M extends EventMap = AnyEvents> extends EventEmitter<RealtimeClientEvents> {
  readonly #engine: Engine

  /**
   * Builds a client on a context whose `realtime` section was checked by the client's option table;
   * use `createClient()` or `createRealtimeClient()`. Opens nothing until the first subscribe or publish.
   * `protocol` is the wire protocol (docs/protocols.md).
   */
  constructor(context: ClientContext<RealtimeConfig>, protocol: RealtimeProtocol = wirekitV1) {
    super()
    this.#engine = createEngine(context, this, protocol)
  }

  /** The connection state. */
  get state(): ConnectionState {
    return this.#engine.state()
  }

  /**
   * The same client, typed with an event map: channel names, event names and payloads.
   *
   * @example
   * const chat = client.realtime.typed<{ chat: { message: { text: string } } }>()
   */
  typed<E extends EventMap>(): RealtimeClient<E> {
    return this as unknown as RealtimeClient<E>
  }

  /**
   * Subscribes to a channel and opens the connection if needed. Events arrive in offset order,
   * never twice; missed ones are replayed after a reconnect, or `onGap` is called before newer ones.
   *
   * @example
   * const sub = realtime.subscribe('news', { onEvent: show, onGap: refetch }, { from: saved })
   * for await (const event of realtime.subscribe('news')) show(event)
   */
  subscribe<C extends keyof M & string>(
    channel: C,
    handler?: ((event: RealtimeEvent<M, C>) => void) | SubscriptionHandlers<RealtimeEvent<M, C>>,
    options?: SubscribeOptions,
  ): Subscription<RealtimeEvent<M, C>> {
    return this.#engine.subscribe(channel, handler, options)
  }

  /**
   * Publishes an event. Settles when the server acknowledges it; while disconnected it waits in the
   * bounded queue and is resent with the same id after reconnecting, so it takes effect once.
   * Rejects with a RealtimeError: `queue_full`, `publish_expired`, `client_closed` or the server's code.
   *
   * @example
   * await realtime.publish('chat', 'message', { text: 'hi' })
   */
  publish<C extends keyof M & string, N extends keyof M[C] & string>(channel: C, name: N, data: M[C][N]): Promise<void> {
    return this.#engine.publish(channel, name, data)
  }

  /** The last position delivered on a channel, to save and pass back as `from` later. */
  position(channel: string): StreamPosition | undefined {
    return this.#engine.position(channel)
  }

  /**
   * Ends everything: the socket, every timer and listener. Pending publishes reject with
   * `client_closed`; iterators finish. The client cannot be reopened.
   */
  close(): void {
    this.#engine.close()
  }

  /** A debug hook: what the client holds right now. Leak tests read it; it is cheap. */
  inspect(): RealtimeDebugInfo {
    return this.#engine.inspect()
  }
}
