/**
 * `@wirekit/sdk/realtime/graphql`: GraphQL subscriptions over `graphql-transport-ws` (Apollo Server,
 * graphql-yoga, Hasura, Mercurius, graphql-ws) on the realtime client's reconnect, dead-link
 * detection and shared auth. Its own subpath, so `@wirekit/sdk/realtime` carries none of it.
 * Public subpath; docs/protocols.md.
 *
 * @module
 */
import { type OptionFields, createContext } from '../../core/index.js'
import { RealtimeClient } from '../client.js'
import { GraphQLClient } from './client.js'
import { GRAPHQL_CLIENT_OPTIONS, type GraphQLClientOptions, type GraphQLOptions } from './options.js'
import { graphqlTransportWs } from './protocol.js'

export { GraphQLClient } from './client.js'
export type { GraphQLDocument, GraphQLHandlers, GraphQLResult, GraphQLSubscription, ResultOf, VariablesOf } from './client.js'
export { GRAPHQL_TRANSPORT_WS, GraphQLSubscriptionError } from './protocol.js'
export type { GraphQLFormattedError } from './protocol.js'
export type { GraphQLClientOptions, GraphQLOptions } from './options.js'

/**
 * Creates a GraphQL subscriptions client. Nothing connects until the first `subscribe()`.
 *
 * @example
 * const gql = createGraphQLClient({ realtimeUrl: 'wss://api.example.com/graphql', auth: getToken })
 * gql.subscribe(OnOrder, { shop: 7 }, { onNext: ({ data }) => render(data), onGap: refetch })
 */
export function createGraphQLClient(options: GraphQLClientOptions = {}): GraphQLClient {
  const context = createContext(options as never, GRAPHQL_CLIENT_OPTIONS as unknown as OptionFields)
  const { connectionParams } = (context.config as unknown as { graphql: Required<GraphQLOptions> }).graphql
  const protocol = graphqlTransportWs(connectionParams)
  return new GraphQLClient(new RealtimeClient(context as never, protocol), protocol)
}
