import { type ServerFrame, isOffset } from '../core/protocol.js'

const str = (value: unknown): value is string => typeof value === 'string'
const num = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value)

/**
 * Parses one server frame. Returns `undefined` for anything that is not a well-formed `wirekit.v1`
 * frame, including unknown types, so a newer server's extra frames are ignored instead of fatal.
 * Never throws.
 */
export function parseServerFrame(text: unknown): ServerFrame | undefined {
  if (!str(text)) return undefined
  let f: Record<string, unknown>
  try {
    f = JSON.parse(text)
  } catch {
    return undefined
  }
  if (typeof f !== 'object' || f === null) return undefined
  switch (f.type) {
    case 'event':
      return str(f.channel) && isOffset(f.offset) && str(f.epoch) && str(f.name) ? (f as ServerFrame) : undefined
    case 'subscribed':
      return str(f.id) && str(f.channel) && isOffset(f.offset) && str(f.epoch) && typeof f.recovered === 'boolean'
        ? (f as ServerFrame)
        : undefined
    case 'unsubscribed':
      return str(f.id) && str(f.channel) ? (f as ServerFrame) : undefined
    case 'ack':
      return str(f.id) ? (f as ServerFrame) : undefined
    case 'error':
      return str(f.code) && str(f.message) && (f.id === undefined || str(f.id)) ? (f as ServerFrame) : undefined
    case 'welcome':
      return num(f.heartbeatMs) ? (f as ServerFrame) : undefined
    case 'reconnect':
      return num(f.afterMs) && f.afterMs >= 0 ? (f as ServerFrame) : undefined
    case 'pong':
    case 'authed':
      return f as ServerFrame
    default:
      return undefined
  }
}
