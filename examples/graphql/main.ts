/**
 * Subscribes to a local graphql-yoga server with wirekit's GraphQL client and prints a countdown.
 * Run: npm run build && node examples/graphql/main.ts
 */
import { createGraphQLClient, type GraphQLDocument } from '@wirekit/sdk/realtime/graphql'
import { startYoga } from './server.ts'

/** A typed document, as graphql-codegen or gql.tada would give you. */
const Countdown = 'subscription Countdown($from: Int!) { countdown(from: $from) }' as GraphQLDocument<{ countdown: number }, { from: number }>

/** Counts down from `from` and resolves when the server completes the subscription. */
export async function countdown(url: string, from: number, print: (line: string) => void = console.log): Promise<void> {
  const gql = createGraphQLClient({ realtimeUrl: url, auth: () => 'demo' })
  try {
    await new Promise<void>((resolve, reject) => {
      gql.subscribe(Countdown, { from }, {
        onNext: ({ data }) => print(`countdown ${data?.countdown}`),
        onGap: () => print('reconnected: the countdown restarted'),
        onError: reject,
        onComplete: resolve,
      })
    })
  } finally {
    gql.close()
  }
}

if (import.meta.main) {
  const server = await startYoga()
  await countdown(server.url, 3)
  await server.close()
}
