/**
 * The `wirekit.v1` realtime protocol: frame shapes and close codes, shared by the client
 * (`@wirekit/sdk/realtime`) and the reference server (`@wirekit/sdk/testing`), which must not import each
 * other. docs/protocol.md is the normative text; this file mirrors it.
 */

/** The WebSocket subprotocol both sides ask for. */
export const PROTOCOL = 'wirekit.v1'

/** Close codes with a meaning in `wirekit.v1`. */
export const CloseCode = {
  /** The client closed on purpose. */
  normal: 1000,
  /** The server is restarting: reconnect with backoff. */
  serviceRestart: 1012,
  /** Generic server-side close: reconnect with backoff. */
  generic: 4000,
  /** The token expired: refresh it through Auth, reconnect, resume. */
  tokenExpired: 4001,
  /** The token was refused: fatal unless the token provider now yields a different token. */
  unauthorized: 4401,
  /** Not allowed: fatal, never retried. */
  forbidden: 4403,
  /** Too many connections or requests: the close reason is the wait in milliseconds. */
  tooManyRequests: 4429,
} as const

/** Where a channel's stream stands: the last offset seen within an epoch. Offsets are decimal strings. */
export interface StreamPosition {
  /** The last offset seen, a decimal string such as `"17"`; `"0"` for a channel with no event yet. */
  offset: string
  /** The channel's history epoch, an opaque string; the server changes it when it cannot vouch for the old offsets. */
  epoch: string
}

/** Frames a client sends. */
export type ClientFrame =
  | { type: 'auth'; token: string }
  | { type: 'subscribe'; id: string; channel: string; from?: StreamPosition }
  | { type: 'unsubscribe'; id: string; channel: string }
  | { type: 'publish'; id: string; channel: string; name: string; data: unknown }
  | { type: 'ping'; t: number }

/** Frames a server sends. */
export type ServerFrame =
  | { type: 'welcome'; heartbeatMs: number }
  | { type: 'authed' }
  | { type: 'subscribed'; id: string; channel: string; offset: string; epoch: string; recovered: boolean }
  | { type: 'unsubscribed'; id: string; channel: string }
  | { type: 'event'; channel: string; offset: string; epoch: string; name: string; data: unknown }
  | { type: 'ack'; id: string }
  | { type: 'error'; id?: string; code: string; message: string }
  | { type: 'pong'; t: number }
  | { type: 'reconnect'; afterMs: number }

/** True for a decimal offset string without sign or leading zeros: `"0"`, `"17"`. */
export function isOffset(value: unknown): value is string {
  return typeof value === 'string' && /^(0|[1-9][0-9]*)$/.test(value)
}

/** Orders two offsets (as produced by {@link isOffset}) without losing precision past 2^53. */
export function compareOffsets(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length
  return a < b ? -1 : a > b ? 1 : 0
}

/** The offset after `offset`. */
export function nextOffset(offset: string): string {
  // Below 2^53 plain numbers are exact and far cheaper than BigInt on the hot path.
  return offset.length < 16 ? String(Number(offset) + 1) : (BigInt(offset) + 1n).toString()
}
