import { type ServerFrame, isOffset } from '../core/protocol.js'

type Check = (value: any) => boolean
const str: Check = (value) => typeof value === 'string'
const num: Check = Number.isFinite
const bool: Check = (value) => typeof value === 'boolean'

/** The fields each server frame type must carry (docs/protocol.md); other fields pass through. */
const SHAPES: Record<string, Record<string, Check>> = {
  event: { channel: str, offset: isOffset, epoch: str, name: str },
  subscribed: { id: str, channel: str, offset: isOffset, epoch: str, recovered: bool },
  unsubscribed: { id: str, channel: str },
  ack: { id: str },
  error: { code: str, message: str, id: (value) => value === undefined || str(value) },
  welcome: { heartbeatMs: num },
  reconnect: { afterMs: (value) => num(value) && value >= 0 },
  pong: {},
  authed: {},
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
  const shape = Object.hasOwn(SHAPES, frame?.type) ? SHAPES[frame.type]! : undefined
  if (!shape) return undefined
  for (const field in shape) if (!shape[field]!(frame[field])) return undefined
  return frame
}
