import { type GraphQLClient, type GraphQLClientOptions, createGraphQLClient } from '../../../src/realtime/graphql/index.js'
import { onCleanup } from '../support.js'
import type { GraphQLTestServer } from './servers.js'

/** A GraphQL client on `server`, closed after the test. Fast defaults: backoff base 0. */
export function connectGraphQL(server: GraphQLTestServer, options: GraphQLClientOptions = {}): GraphQLClient {
  const client = createGraphQLClient({ ...options, realtimeUrl: server.url, realtime: { backoff: { base: 0, cap: 0 }, ...options.realtime } })
  onCleanup(() => client.close())
  return client
}

export const COUNT = 'subscription Count($every: Int, $fail: Boolean) { count(every: $every, fail: $fail) }'
