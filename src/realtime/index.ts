/**
 * `@wirekit/sdk/realtime`: an auto-reconnecting WebSocket client for the `wirekit.v1` protocol
 * (docs/protocol.md) that resumes every subscription without losing or repeating an event.
 * Public subpath; usable alone through {@link createRealtimeClient}.
 *
 * @module
 */
import { type CoreOptions, createContext } from '../core/index.js'
import { RealtimeClient } from './client.js'
import { REALTIME_OPTIONS, type RealtimeOptions, type SchemaMap } from './options.js'
import type { RealtimeProtocol } from './protocol.js'
import type { AnyEvents, EventMap, InferEvents } from './types.js'

export { RealtimeClient } from './client.js'
export type { Clock, RealtimeOptions, SchemaMap } from './options.js'
export type { RealtimeConfig, RealtimeUrlProvider } from '../core/config.js'
export type { Subscription } from './subscription.js'
export { wirekitV1 } from './frames.js'
export type { CloseAction, ProtocolFrame, RealtimeProtocol } from './protocol.js'
export type {
  AnyEvents,
  RealtimeDebugInfo,
  ConnectionState,
  EventMap,
  Gap,
  InferEvents,
  RealtimeClientEvents,
  RealtimeEvent,
  StateChange,
  StreamPosition,
  SubscribeOptions,
  SubscriptionHandlers,
} from './types.js'
export { CloseCode, PROTOCOL } from '../core/protocol.js'
export { RealtimeError } from '../core/errors.js'

/**
 * Options of {@link createRealtimeClient}: the shared options realtime reads, plus the `realtime`
 * section. REST-only options (`retry`, `headers`, `fetch`, …) are refused here; `createClient()` takes them.
 */
export interface RealtimeClientOptions
  extends Pick<CoreOptions, 'baseUrl' | 'realtimeUrl' | 'auth' | 'timeout' | 'WebSocket' | 'logger' | 'logLevel'> {
  /** Realtime-specific settings. */
  realtime?: RealtimeOptions
}

/**
 * Creates a realtime client on its own, without REST or webhooks. Nothing connects until the first
 * `subscribe()` or `publish()`. With `realtime.schemas`, the event map is inferred from them; or
 * name it: `createRealtimeClient<Events>(options)`. `protocol` is the wire protocol, `wirekit.v1` by
 * default (docs/protocols.md: how to write another).
 *
 * @example
 * const realtime = createRealtimeClient({ realtimeUrl: 'wss://api.example.com/realtime', auth: getToken })
 * realtime.subscribe('orders', (event) => console.log(event.name, event.data))
 */
export function createRealtimeClient<S extends SchemaMap>(
  options: RealtimeClientOptions & { realtime: RealtimeOptions & { schemas: S } },
  protocol?: RealtimeProtocol,
): RealtimeClient<InferEvents<S>>
export function createRealtimeClient<M extends EventMap = AnyEvents>(options?: RealtimeClientOptions, protocol?: RealtimeProtocol): RealtimeClient<M>
export function createRealtimeClient(options: RealtimeClientOptions = {}, protocol?: RealtimeProtocol): RealtimeClient<EventMap> {
  return new RealtimeClient(createContext(options, REALTIME_OPTIONS), protocol)
}
