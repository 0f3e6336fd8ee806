import { parse } from 'graphql'
import { describe, expectTypeOf, it } from 'vitest'
import { type GraphQLResult, createGraphQLClient } from '../../../src/realtime/graphql/index.js'

/** graphql-codegen's TypedDocumentNode, structurally: a DocumentNode that carries its types. */
type TypedDocumentNode<R, V> = ReturnType<typeof parse> & { readonly __apiType?: (variables: V) => R }

describe('results typed from the document', () => {
  it('a TypedDocumentNode types onNext and the variables', () => {
    const OnPrice = parse('subscription ($s: String!) { price(symbol: $s) }') as TypedDocumentNode<{ price: number }, { s: string }>
    const gql = createGraphQLClient({ realtimeUrl: 'ws://127.0.0.1:1/graphql' })
    const sub = gql.subscribe(OnPrice, { s: 'ACME' }, { onNext: (result) => expectTypeOf(result).toEqualTypeOf<GraphQLResult<{ price: number }>>() })
    sub.unsubscribe()
    // @ts-expect-error: the variables are the document's
    gql.subscribe(OnPrice, { symbol: 'ACME' }).unsubscribe()
    gql.close()
  })

  it('a plain string gives untyped data', () => {
    const gql = createGraphQLClient({ realtimeUrl: 'ws://127.0.0.1:1/graphql' })
    gql.subscribe('subscription { n }', undefined, { onNext: (result) => expectTypeOf(result.data).toEqualTypeOf<Record<string, unknown> | null | undefined>() }).unsubscribe()
    gql.close()
  })
})
