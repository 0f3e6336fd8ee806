/**
 * Internal: the default WebSocket where the runtime has its own (Deno, Bun, workerd, browsers),
 * chosen by the package's `#socket` import condition. Read at connect time, never at import, so a
 * page or test that swaps `globalThis.WebSocket` is honoured.
 */

/** Which default this build uses, for `inspect()` and the runtime tests. */
export const socketKind = 'native'

/** The constructor used when the options name none. */
export function defaultWebSocket(): typeof WebSocket {
  return globalThis.WebSocket
}
