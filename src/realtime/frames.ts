/**
 * Internal: the `wirekit.v1` wire format (docs/protocol.md) as the engine's default protocol
 * (protocol.ts): client frames are encoded here and server frames parsed and checked here.
 */
import { type ClientFrame, PROTOCOL, type ServerFrame, isOffset } from '../core/protocol.js'
import { closePolicy } from './close-policy.js'
import type { RealtimeProtocol } from './protocol.js'

const str = (value: unknown) => typeof value === 'string'
const num = Number.isFinite as (value: unknown) => value is number
const yes = () => true

/** What each server frame type must carry (docs/protocol.md); other fields pass through. */
const SHAPES: Record<string, (frame: any) => boolean> = {
  event: (f) => str(f.channel) && isOffset(f.offset) && str(f.epoch) && str(f.name),
  subscribed: (f) => str(f.id) && str(f.channel) && isOffset(f.offset) && str(f.epoch) && typeof f.recovered === 'boolean',
  unsubscribed: (f) => str(f.id) && str(f.channel),
  ack: (f) => str(f.id),
  error: (f) => str(f.code) && str(f.message) && (f.id === undefined || str(f.id)),
  welcome: (f) => num(f.heartbeatMs),
  reconnect: (f) => num(f.afterMs) && f.afterMs >= 0,
  pong: yes,
  authed: yes,
}

/**
 * Parses one server frame. Returns `undefined` for anything that is not a well-formed `wirekit.v1`
 * frame, including unknown types, so a newer server's extra frames are ignored instead of fatal.
 * Never throws.
 */
export function parseServerFrame(text: unknown): ServerFrame | undefined {
  let frame
  try {
    frame = typeof text === 'string' && JSON.parse(text)
  } catch {
    return undefined
  }
  return Object.hasOwn(SHAPES, frame?.type) && SHAPES[frame.type]!(frame) ? frame : undefined
}

/** Encodes one client frame for the socket. Throws the serialiser's own error for data it cannot encode. */
export const encodeClientFrame: (frame: ClientFrame) => string = JSON.stringify

/** The default protocol, `wirekit.v1`. Stateless, so one object serves every client. */
export const wirekitV1: RealtimeProtocol = {
  name: PROTOCOL,
  resume: true,
  // Tokens are never empty (Auth refuses them), so `&&` is the "no auth, no frame" test.
  open: (token) => token && encodeClientFrame({ type: 'auth', token }),
  encode: encodeClientFrame,
  decode: parseServerFrame,
  closeAction: closePolicy,
}
