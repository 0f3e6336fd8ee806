/**
 * Internal: the protocol seam (docs/protocols.md). The engine keeps the socket, backoff, heartbeat
 * timing, auth, the publish queue and the states; a protocol turns the engine's frames into text for
 * the socket and the socket's messages into the engine's frames, and decides what each close code
 * means. `wirekit.v1` (docs/protocol.md) is the default, frame for frame the same on the wire.
 */
import { type ClientFrame, PROTOCOL, type ServerFrame } from '../core/protocol.js'
import type { RealtimeError } from '../core/errors.js'
import { type CloseAction, closePolicy } from './close-policy.js'
import { encodeClientFrame, parseServerFrame } from './frames.js'

export type { CloseAction }

/**
 * What a protocol hands the engine: the `wirekit.v1` server frames, plus `complete` (the server ended
 * one subscription without an error). An `error` frame may carry the ready-made `error` to report.
 */
export type ProtocolFrame = ServerFrame | { type: 'complete'; id: string } | (Extract<ServerFrame, { type: 'error' }> & { error?: RealtimeError })

/**
 * A wire protocol for the realtime client. One object serves one client, so it may keep
 * per-connection state (reset in `open`).
 *
 * @example
 * const client = createRealtimeClient({ realtimeUrl }, myProtocol)
 */
export interface RealtimeProtocol {
  /** The WebSocket subprotocol asked for in the upgrade, e.g. `wirekit.v1`. */
  readonly name: string
  /** Whether a subscription resumes from its last offset after a reconnect; without it every reconnect is a gap. */
  readonly resume: boolean
  /** Whether the protocol carries `publish`. */
  readonly publish: boolean
  /** A socket opened, authenticated with `token` (undefined without auth): the first frame to send, if any. */
  open(token: string | undefined): string | undefined
  /** Encodes one engine frame; undefined when this protocol sends nothing for it. May throw for data it cannot encode. */
  encode(frame: ClientFrame): string | undefined
  /**
   * Decodes one socket message, calling `emit` for each engine frame it means and `reply` for an
   * answer the protocol owes the server itself. False when the message is malformed (logged, ignored).
   */
  decode(data: unknown, emit: (frame: ProtocolFrame) => void, reply: (text: string) => void): boolean
  /** What the engine does after a connection ended with `code` (undefined: no close frame came). */
  closeAction(code: number | undefined, reason: string, attempt: number, serverDelay?: number): CloseAction
}

/** The default protocol, `wirekit.v1` (docs/protocol.md). Stateless, so one object serves every client. */
export const wirekitV1: RealtimeProtocol = {
  name: PROTOCOL,
  resume: true,
  publish: true,
  open: (token) => (token === undefined ? undefined : encodeClientFrame({ type: 'auth', token })),
  encode: encodeClientFrame,
  decode(data, emit) {
    const frame = parseServerFrame(data)
    if (frame) emit(frame)
    return !!frame
  },
  closeAction: closePolicy,
}
