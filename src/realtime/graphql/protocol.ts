/**
 * Internal: `graphql-transport-ws` (the graphql-ws PROTOCOL.md) behind the realtime protocol seam.
 * The engine's channels are subscriptions here: each holds one GraphQL operation, and its results are
 * numbered per connection so the engine's ordering and gap logic apply unchanged. The protocol cannot
 * replay: after every reconnect each subscription starts again, reported as a `history_lost` gap
 * before its first new result.
 */
import { RealtimeError } from '../../core/errors.js'
import type { ProtocolFrame, RealtimeProtocol } from '../protocol.js'

/** The subprotocol name servers check in the upgrade. */
export const GRAPHQL_TRANSPORT_WS = 'graphql-transport-ws'

/** One GraphQL error as a server sends it (graphql-js's `GraphQLFormattedError`). */
export interface GraphQLFormattedError {
  /** What went wrong. */
  readonly message: string
  /** Where in the document. */
  readonly locations?: ReadonlyArray<{
    /** 1-based line. */
    readonly line: number
    /** 1-based column. */
    readonly column: number
  }>
  /** The result field it concerns. */
  readonly path?: ReadonlyArray<string | number>
  /** Server-specific details (a `code`, often). */
  readonly extensions?: { readonly [key: string]: unknown }
}

/**
 * A subscription the server ended with GraphQL errors (an `error` message): `errors` holds them as
 * sent. The subscription ends; the others on the connection go on.
 */
export class GraphQLSubscriptionError extends RealtimeError {
  /** `'GraphQLSubscriptionError'`, to branch on where `instanceof` fails. */
  override name = 'GraphQLSubscriptionError'
  /** The GraphQL errors the server sent. */
  readonly errors: readonly GraphQLFormattedError[]

  constructor(errors: readonly GraphQLFormattedError[]) {
    super(errors.map((error) => error.message).join('; ') || 'the subscription failed', { code: 'graphql_errors', cause: errors })
    this.errors = errors
  }
}

/** What a subscribe message carries: the operation. */
export interface Operation {
  readonly query: string
  readonly variables?: Readonly<Record<string, unknown>> | undefined
  readonly operationName?: string | undefined
}

/** One registered subscription: what to send, and whom to tell when the server completes it. */
export interface Registered {
  readonly payload: Operation
  readonly complete?: (() => void) | undefined
}

/** The graphql-transport-ws protocol of one client, with the registry of its operations by channel. */
export interface GraphQLProtocol extends RealtimeProtocol {
  /** The operation each channel subscribes to; the client registers one before subscribing. */
  readonly operations: Map<string, Registered>
}

/** The close codes of graphql-transport-ws (PROTOCOL.md), by name. */
const Close = {
  badRequest: 4400,
  unauthorized: 4401,
  forbidden: 4403,
  subprotocolNotAcceptable: 4406,
  initTimeout: 4408,
  subscriberExists: 4409,
  tooManyInits: 4429,
  internalError: 4500,
} as const

type Message = { type?: unknown; id?: unknown; payload?: unknown }

/**
 * Makes the protocol for one client. `connectionParams` turns the shared Auth's token into the
 * `connection_init` payload.
 */
export function graphqlTransportWs(connectionParams: (token: string | undefined) => unknown): GraphQLProtocol {
  const operations = new Map<string, Registered>()
  /** Per connection: each subscribe id's channel and results so far (-1 until the first). */
  let byId = new Map<string, { channel: string; n: number }>()
  let byChannel = new Map<string, string>()
  let connection = 0
  let epoch = ''

  const text = (message: object) => JSON.stringify(message)

  return {
    name: GRAPHQL_TRANSPORT_WS,
    resume: false,
    operations,

    open(token) {
      byId = new Map()
      byChannel = new Map()
      // A new epoch each connection: the engine sees each restart as a new history.
      epoch = `c${++connection}`
      const payload = connectionParams(token)
      return text(payload === undefined ? { type: 'connection_init' } : { type: 'connection_init', payload })
    },

    encode(frame) {
      switch (frame.type) {
        case 'subscribe': {
          const operation = operations.get(frame.channel)
          if (!operation) return undefined
          byId.set(frame.id, { channel: frame.channel, n: -1 })
          byChannel.set(frame.channel, frame.id)
          return text({ id: frame.id, type: 'subscribe', payload: operation.payload })
        }
        case 'unsubscribe': {
          const id = byChannel.get(frame.channel)
          operations.delete(frame.channel)
          if (id === undefined) return undefined
          byChannel.delete(frame.channel)
          byId.delete(id)
          return text({ id, type: 'complete' })
        }
        case 'ping':
          return '{"type":"ping"}'
        case 'publish':
          throw new RealtimeError(`${GRAPHQL_TRANSPORT_WS} has no publish: use a mutation over HTTP`, { code: 'unsupported' })
      }
      // `auth`: no in-band re-auth in this protocol; an expired token is refused at the next connection_init.
      return undefined
    },

    decode(data, reply) {
      let message: Message
      try {
        message = typeof data === 'string' ? JSON.parse(data) : undefined
      } catch {
        return undefined
      }
      if (typeof message !== 'object' || message === null) return undefined
      const { type, id, payload } = message
      if (type === 'connection_ack') return { type: 'welcome', heartbeatMs: 0 }
      if (type === 'ping') return reply('{"type":"pong"}'), []
      if (type === 'pong') return []
      if (typeof id !== 'string' || (type !== 'next' && type !== 'error' && type !== 'complete')) return undefined
      const sub = byId.get(id)
      // A message for a subscription already completed on our side: nothing to do.
      if (!sub) return []
      const frames: ProtocolFrame[] = []
      if (type === 'next') {
        if (typeof payload !== 'object' || payload === null) return undefined
        if (sub.n < 0) {
          // This protocol has no subscribe acknowledgement: the first result confirms the subscription
          // (and, after a reconnect, the engine reports the gap before it).
          sub.n = 0
          frames.push({ type: 'subscribed', id, channel: sub.channel, offset: '0', epoch, recovered: false })
        }
        frames.push({ type: 'event', channel: sub.channel, offset: `${++sub.n}`, epoch, name: 'next', data: payload })
        return frames
      }
      byId.delete(id)
      byChannel.delete(sub.channel)
      const registered = operations.get(sub.channel)
      operations.delete(sub.channel)
      if (type === 'complete') {
        registered?.complete?.()
        frames.push({ type: 'complete', id })
      } else {
        const errors = Array.isArray(payload) ? (payload as GraphQLFormattedError[]) : []
        frames.push({ type: 'error', id, code: 'graphql_errors', message: '', error: new GraphQLSubscriptionError(errors) })
      }
      return frames
    },

    closeAction(code, _reason, attempt) {
      switch (code) {
        // Retrying cannot help: the server did not understand us, or does not speak the protocol.
        case Close.badRequest:
        case Close.subprotocolNotAcceptable:
        case Close.forbidden:
          return 'shut down'
        // The credential was refused: ask the shared Auth for a fresh one (the same one again is fatal).
        case Close.unauthorized:
          return attempt === 0 ? 'refresh now' : 'refresh'
      }
      // 4408, 4409, 4429, 4500, 1xxx and a dead link: transient, so reconnect after the full-jitter backoff.
      return 0
    },
  }
}
