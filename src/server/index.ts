/**
 * `@wirekit/sdk/server`: a production `wirekit.v1` server on `ws` (docs/server.md), mounted on your
 * http.Server or on its own port, with its storage behind one {@link Engine} interface. Node only.
 * Public subpath.
 *
 * @module
 */
import { type RealtimeServer, startRealtimeServer } from './core.js'
import type { RealtimeServerOptions } from './options.js'

export { FRAME_TOO_LARGE, SLOW_CONSUMER } from './core.js'
export type { CloseOptions, RealtimeServer } from './core.js'
export type { StreamPosition } from '../core/protocol.js'
export type { Engine, EventListener, PublishResult, Recovery, StoredEvent } from './engine.js'
export { createMemoryEngine } from './memory-engine.js'
export type { ChannelState, MemoryEngine } from './memory-engine.js'
export { createRedisEngine } from './redis/engine.js'
export type { RedisEngineOptions } from './redis/engine.js'
export { refuse } from './options.js'
export type { AuthRefusal, ChannelAction, MemoryEngineOptions, RealtimeServerOptions } from './options.js'

/**
 * Starts a `wirekit.v1` server: on `options.server` at `options.path` (default `/realtime`), or on
 * its own port. Resolves once it accepts connections.
 *
 * @example
 * const http = createServer(restHandler).listen(8080)
 * const realtime = await createRealtimeServer({
 *   server: http,
 *   authenticate: (token) => sessions.get(token) ?? refuse('unauthorized'),
 *   authorize: (user, action, channel) => channel.startsWith(`user:${user.id}:`),
 * })
 * await realtime.publish('user:7:orders', 'created', { id: 1 })
 */
export function createRealtimeServer<P = unknown>(options: RealtimeServerOptions<P> = {}): Promise<RealtimeServer> {
  return startRealtimeServer(options)
}
