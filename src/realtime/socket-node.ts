/**
 * Internal: the default WebSocket on Node, the `ws` package through isomorphic-ws. Chosen by the
 * package's `#socket` import condition; Deno, Bun, workerd and browsers get socket-native.ts instead.
 */
import IsoWebSocket from 'isomorphic-ws'

/** Which default this build uses, for `inspect()` and the runtime tests. */
export const socketKind = 'ws'

/** The constructor used when the options name none. */
export function defaultWebSocket(): typeof WebSocket {
  return IsoWebSocket as unknown as typeof WebSocket
}
