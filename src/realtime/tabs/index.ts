/**
 * `@wirekit/sdk/realtime/tabs`: one realtime connection for all of a user's tabs, and nothing lost
 * across a reload. Opt-in and on its own subpath, so `@wirekit/sdk/realtime` does not grow. Public subpath.
 *
 * @module
 */
import { EventEmitter } from '../emitter.js'
import { type CoreOptions, createContext } from '../../core/index.js'
import type { Subscription } from '../subscription.js'
import type { AnyEvents, EventMap, RealtimeEvent, StreamPosition, SubscribeOptions, SubscriptionHandlers } from '../types.js'
import { type RealtimeTabsOptions, TABS_CLIENT_OPTIONS } from './options.js'
import { type SharedRealtimeClientEvents, type TabRole, type TabsCore, createTabsCore } from './shared.js'

export type { RealtimeTabsOptions, TabsOptions } from './options.js'
export type { SharedRealtimeClientEvents, TabRole } from './shared.js'

/** Options of {@link createSharedRealtimeClient}: those of `createRealtimeClient()`, with `realtime.tabs`. */
export interface SharedRealtimeClientOptions
  extends Pick<CoreOptions, 'baseUrl' | 'realtimeUrl' | 'auth' | 'timeout' | 'WebSocket' | 'logger' | 'logLevel'> {
  /** Realtime settings, with `tabs` for sharing and persistence. */
  realtime?: RealtimeTabsOptions
}

/**
 * A realtime client whose tabs share one connection. The same calls as `RealtimeClient`; each tab
 * keeps its own subscriptions, handlers and positions, and its publishes settle in it.
 *
 * @example
 * const realtime = createSharedRealtimeClient({ realtimeUrl, realtime: { tabs: { persist: true } } })
 * realtime.subscribe('orders', (event) => show(event))
 */
export class SharedRealtimeClient<M extends EventMap = AnyEvents> extends EventEmitter<SharedRealtimeClientEvents> {
  readonly #core: TabsCore

  /** Use {@link createSharedRealtimeClient}. */
  constructor(options: SharedRealtimeClientOptions = {}) {
    super()
    this.#core = createTabsCore(createContext(options, TABS_CLIENT_OPTIONS), this)
  }

  /**
   * This tab's role: `leader` (holds the socket), `follower` (reaches it over BroadcastChannel),
   * `solo` (no Web Locks or BroadcastChannel here: its own socket), `starting` or `closed`.
   */
  get role(): TabRole {
    return this.#core.role()
  }

  /**
   * Resolves once saved state is loaded (with `tabs.persist`) and this tab has found its place;
   * starts the client if nothing did yet.
   *
   * @example
   * await realtime.started()
   */
  started(): Promise<void> {
    return this.#core.started()
  }

  /**
   * Subscribes this tab to a channel: events in offset order, never twice, also across leader
   * changes and (with `persist`) reloads.
   *
   * @example
   * const sub = realtime.subscribe('news', { onEvent: show, onGap: refetch })
   */
  subscribe<C extends keyof M & string>(
    channel: C,
    handler?: ((event: RealtimeEvent<M, C>) => void) | SubscriptionHandlers<RealtimeEvent<M, C>>,
    options?: SubscribeOptions,
  ): Subscription<RealtimeEvent<M, C>> {
    return this.#core.subscribe(channel, handler, options)
  }

  /**
   * Publishes through the leader with an id made in this tab; settles here on the server's ack.
   * With `persist`, kept until then and resent once after a reload (the server dedupes by id).
   *
   * @example
   * await realtime.publish('chat', 'message', { text: 'hi' })
   */
  publish<C extends keyof M & string, N extends keyof M[C] & string>(channel: C, name: N, data: M[C][N]): Promise<void> {
    return this.#core.publish(channel, name, data)
  }

  /** The last position this tab delivered on a channel. */
  position(channel: string): StreamPosition | undefined {
    return this.#core.position(channel)
  }

  /** Ends this tab's client; if it led, another tab takes over. Its pending publishes reject with `client_closed`. */
  close(): void {
    this.#core.close()
  }
}

/**
 * Creates a realtime client shared by every tab of this origin that uses the same `tabs.name`: one
 * elected tab (Web Locks) holds the one WebSocket, the others reach it over BroadcastChannel. Where
 * either API is missing, the tab connects on its own, as `createRealtimeClient()` does.
 *
 * @example
 * const realtime = createSharedRealtimeClient({ realtimeUrl: 'wss://api.example.com/realtime', realtime: { tabs: { persist: true } } })
 * realtime.subscribe('orders', (event) => console.log(event.name, event.data))
 */
export function createSharedRealtimeClient<M extends EventMap = AnyEvents>(options: SharedRealtimeClientOptions = {}): SharedRealtimeClient<M> {
  return new SharedRealtimeClient<M>(options)
}
