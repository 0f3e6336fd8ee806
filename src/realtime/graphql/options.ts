/**
 * Internal: the options of `createGraphQLClient()`: the realtime client's, plus the `graphql`
 * section, each checked by the validation kit.
 */
import { type Check, fn, record } from '../../core/checks.js'
import type { RealtimeClientOptions } from '../index.js'
import { REALTIME_OPTIONS } from '../options.js'

/** Options of the GraphQL protocol, under `graphql`. */
export interface GraphQLOptions {
  /**
   * The `connection_init` payload for the shared Auth's token (undefined without auth). Return
   * undefined to send no payload.
   * @default (token) => token === undefined ? undefined : { authorization: `Bearer ${token}` }
   * @example
   * connectionParams: (token) => ({ headers: { Authorization: `Bearer ${token}` } }) // Hasura
   */
  connectionParams?: (token: string | undefined) => unknown
}

/** Options of {@link createGraphQLClient}: the realtime client's, plus `graphql`. */
export interface GraphQLClientOptions extends RealtimeClientOptions {
  /** GraphQL protocol settings. */
  graphql?: GraphQLOptions
}

const bearer = (token: string | undefined) => (token === undefined ? undefined : { authorization: `Bearer ${token}` })

/** The `graphql` section's check. */
export const graphqlSection: Check<Required<GraphQLOptions>> = record({
  connectionParams: fn<GraphQLOptions['connectionParams']>('a function (token) => connection_init payload', bearer),
}) as Check<Required<GraphQLOptions>>

/** The options `createGraphQLClient()` reads, each with its check. */
export const GRAPHQL_CLIENT_OPTIONS = { ...REALTIME_OPTIONS, graphql: graphqlSection }

