/**
 * `@wirekit/sdk/testing`: a reference `wirekit.v1` server for tests, yours and ours. Node only (it listens
 * on a real socket through the `ws` package). Public subpath.
 *
 * @module
 */
export { createTestRealtimeServer } from './server.js'
export type {
  FaultAction,
  ReceivedFrame,
  TestClientInfo,
  TestRealtimeCounters,
  TestRealtimeServer,
  TestRealtimeServerOptions,
} from './server.js'
export type { ChannelHistory, StoredEvent } from './history.js'
