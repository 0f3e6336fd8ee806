/**
 * Internal: the GraphQL face of the realtime client. Each `subscribe()` is one engine channel with a
 * private name, whose operation the protocol sends; results arrive as the engine's events.
 */
import { RealtimeError } from '../../core/errors.js'
import { RealtimeClient } from '../client.js'
import type { Gap } from '../types.js'
import type { GraphQLFormattedError, GraphQLProtocol, Operation } from './protocol.js'

/**
 * A GraphQL document that knows its result and variables types: graphql-codegen's and gql.tada's
 * `TypedDocumentNode` (a `DocumentNode`), their string documents, or a plain string.
 */
export type GraphQLDocument<TResult = Record<string, unknown>, TVariables = Record<string, unknown>> = {
  /** Where typed-document tools keep the result and variables types (never present at run time). */
  readonly __apiType?: (variables: TVariables) => TResult
} & (
  | {
      /** A parsed document (graphql-js `DocumentNode`). */
      readonly kind: 'Document'
      /** Its source, sent as the query text. */
      readonly loc?: {
        /** The source text. */
        readonly source: {
          /** The query text. */
          readonly body: string
        }
      }
    }
  | string
)

/** The result type a document declares. */
export type ResultOf<D> = D extends {
  /** The typed document's types. */
  readonly __apiType?: (variables: any) => infer R
}
  ? unknown extends R
    ? Record<string, unknown>
    : R
  : Record<string, unknown>
/** The variables type a document declares. */
export type VariablesOf<D> = D extends {
  /** The typed document's types. */
  readonly __apiType?: (variables: infer V) => any
}
  ? unknown extends V
    ? Record<string, unknown>
    : V
  : Record<string, unknown>

/** One result of a subscription, as the server sent it (`next`). */
export interface GraphQLResult<TData> {
  /** The data; absent or null when execution failed for this result. */
  readonly data?: TData | null
  /** Errors raised while executing this one result; the subscription goes on. */
  readonly errors?: readonly GraphQLFormattedError[]
  /** Server extensions, as sent. */
  readonly extensions?: { readonly [key: string]: unknown }
}

/** Callbacks of one GraphQL subscription. */
export interface GraphQLHandlers<TData> {
  /** Each result, in the order sent, never twice within a connection. */
  onNext?: (result: GraphQLResult<TData>) => void
  /**
   * The connection was lost and the subscription restarted: results in between are gone. Called
   * before the first result of the restart; refetch what the subscription keeps up to date.
   */
  onGap?: (gap: Gap) => void
  /** The server ended the subscription with GraphQL errors (a GraphQLSubscriptionError), or the client failed. */
  onError?: (error: unknown) => void
  /** The server completed the subscription. */
  onComplete?: () => void
}

/** One running GraphQL subscription. */
export interface GraphQLSubscription {
  /** Resolves with the first result (the protocol has no subscribe acknowledgement); rejects if it ends first. */
  readonly ready: Promise<void>
  /** Stops it, on the server too (a `complete` message). Idempotent. */
  unsubscribe(): void
}

/**
 * A GraphQL-over-WebSocket client (`graphql-transport-ws`) with the realtime client's reconnect,
 * dead-link detection and shared auth. Get one from `createGraphQLClient()`.
 *
 * @example
 * const sub = gql.subscribe(OnMessage, { room: 'a' }, { onNext: ({ data }) => show(data), onGap: refetch })
 * sub.unsubscribe(); gql.close()
 */
export class GraphQLClient {
  /** The underlying realtime client: its `state`, `on('state' | 'error')` and `inspect()`. */
  readonly realtime: RealtimeClient
  readonly #protocol: GraphQLProtocol
  #seq = 0

  /** @internal Use `createGraphQLClient()`. */
  constructor(realtime: RealtimeClient, protocol: GraphQLProtocol) {
    this.realtime = realtime
    this.#protocol = protocol
  }

  /**
   * Starts a subscription and opens the connection if needed. After every reconnect it is started
   * again and `onGap` is called before its first new result.
   *
   * @example
   * gql.subscribe('subscription { count }', undefined, { onNext: (result) => console.log(result.data) })
   */
  subscribe<D extends GraphQLDocument<any, any>>(
    document: D,
    variables?: VariablesOf<D>,
    handlers: GraphQLHandlers<ResultOf<D>> = {},
    options: { operationName?: string } = {},
  ): GraphQLSubscription {
    const channel = `gql${++this.#seq}`
    const operation: Operation = { query: queryOf(document), variables: variables as Operation['variables'], operationName: options.operationName }
    this.#protocol.operations.set(channel, { payload: operation, complete: handlers.onComplete })
    const sub = this.realtime.subscribe(channel, {
      onEvent: (event) => handlers.onNext?.(event.data as GraphQLResult<ResultOf<D>>),
      onGap: handlers.onGap,
      onError: handlers.onError,
    })
    return {
      ready: sub.ready,
      unsubscribe: () => {
        sub.unsubscribe()
        this.#protocol.operations.delete(channel)
      },
    }
  }

  /** Closes the connection and ends every subscription (on the server too: the socket closes). */
  close(): void {
    this.realtime.close()
  }
}

/** The query text of a document: a string as is, a parsed document from its source. */
function queryOf(document: GraphQLDocument<any, any>): string {
  if (typeof document === 'string') return document
  const body = document.loc?.source.body
  if (typeof body === 'string') return body
  throw new RealtimeError('the document has no source text: pass the query as a string, or a document parsed with locations', { code: 'invalid_document' })
}
