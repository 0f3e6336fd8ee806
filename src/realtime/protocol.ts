/**
 * Internal: the protocol seam (docs/protocols.md). The engine keeps the socket, backoff, heartbeat
 * timing, auth, the publish queue and the states; a protocol turns the engine's frames into text for
 * the socket and the socket's messages into the engine's frames, and decides what each close code
 * means. `wirekit.v1` (docs/protocol.md, frames.ts) is the default, frame for frame the same on the wire.
 */
import type { RealtimeError } from '../core/errors.js'
import type { ClientFrame, ServerFrame } from '../core/protocol.js'
import type { CloseAction } from './close-policy.js'

export type { CloseAction }

/**
 * What a protocol hands the engine: the `wirekit.v1` server frames, plus `complete` (the server ended
 * one subscription without an error). An `error` frame may carry the ready-made `error` to report.
 */
export type ProtocolFrame =
  | ServerFrame
  | {
      /** `complete`: the server ended a subscription normally. */
      type: 'complete'
      /** The subscribe frame's id. */
      id: string
    }
  | {
      /** `error`, with the error to report ready-made. */
      type: 'error'
      /** The publish or subscribe frame's id it refuses. */
      id?: string
      /** A machine-readable code. */
      code: string
      /** What went wrong. */
      message: string
      /** The error to report instead of one made from `code` and `message`. */
      error?: RealtimeError
    }

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
  /** A socket opened, authenticated with `token` (undefined without auth): the first frame to send, if any. */
  open(token: string | undefined): string | undefined
  /**
   * Encodes one engine frame; undefined when this protocol sends nothing for it. Throws for data it
   * cannot encode, and for a `publish` when the protocol has none: `publish()` rejects with that error.
   */
  encode(frame: ClientFrame): string | undefined
  /**
   * Decodes one socket message into the engine frame (or frames, in order) it means; `[]` for none.
   * `reply` sends an answer the protocol owes the server itself (a pong). Undefined when the message
   * is malformed: the engine logs and ignores it.
   */
  decode(data: unknown, reply: (text: string) => void): ProtocolFrame | ProtocolFrame[] | undefined
  /** What the engine does after a connection ended with `code` (undefined: no close frame came). */
  closeAction(code: number | undefined, reason: string, attempt: number, serverDelay?: number): CloseAction
}
