/**
 * `@wirekit/sdk/testing`: the `@wirekit/sdk/server` server with the fault controls tests need, yours
 * and ours. Node only (it listens on a real socket through the `ws` package). Public subpath.
 *
 * @module
 */
export { createTestRealtimeServer } from './server.js'
export type { TestClientInfo, TestRealtimeCounters, TestRealtimeServer, TestRealtimeServerOptions } from './server.js'
export type { FaultAction, ReceivedFrame } from '../server/core.js'
export type { ChannelAction, ChannelState, StoredEvent } from '../server/index.js'
