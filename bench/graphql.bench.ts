/**
 * `npm run bench:graphql`: GraphQL subscription results per second, received and dispatched on one
 * subscription from graphql-ws's own server (in another process, so only client work shares this
 * one), `@wirekit/sdk/realtime/graphql` against graphql-ws's own client on the same stream. Each
 * round subscribes both clients in turn (order alternating) to `count(to: N)`, which the server
 * yields as fast as it can, and times the first result to the last; the figure is the median of the
 * per-round ratios, so machine load that shifts between rounds cancels out.
 *
 * Env: BENCH_RESULTS (per round, default 50,000), BENCH_REPETITIONS (default 9).
 */
import { fork } from 'node:child_process'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import { createServer } from 'node:http'
import { fileURLToPath } from 'node:url'
import type * as GraphQL from 'graphql'
import { createClient } from 'graphql-ws'
import { createGraphQLClient } from '@wirekit/sdk/realtime/graphql'
import WebSocket, { WebSocketServer } from 'ws'

const RESULTS = Number(process.env.BENCH_RESULTS ?? 50_000)
const REPETITIONS = Number(process.env.BENCH_REPETITIONS ?? 9)
const QUERY = 'subscription ($to: Int!) { count(to: $to) }'

if (process.env.GRAPHQL_BENCH_SERVER) await serve()
else await run()

/** The server process: graphql-ws `useServer` on `ws`, a schema whose subscription counts to `to`. */
async function serve() {
  const { useServer } = await import('graphql-ws/use/ws')
  const { GraphQLInt, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLString } = createRequire(import.meta.url)('graphql') as typeof GraphQL
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: { hello: { type: GraphQLString } } }),
    subscription: new GraphQLObjectType({
      name: 'Subscription',
      fields: {
        count: {
          type: GraphQLInt,
          args: { to: { type: new GraphQLNonNull(GraphQLInt) } },
          subscribe: async function* (_: unknown, { to }: { to: number }) {
            for (let n = 1; n <= to; n++) yield n
          },
          resolve: (value: unknown) => value,
        },
      },
    }),
  })
  const http = createServer()
  useServer({ schema }, new WebSocketServer({ server: http }))
  http.listen(0, '127.0.0.1', () => process.send!({ port: (http.address() as AddressInfo).port }))
}

async function run() {
  const child = fork(fileURLToPath(import.meta.url), { env: { ...process.env, GRAPHQL_BENCH_SERVER: '1' } })
  const port = await new Promise<number>((resolve) => child.once('message', (message: { port: number }) => resolve(message.port)))
  const url = `ws://127.0.0.1:${port}`
  const ours = createGraphQLClient({ realtimeUrl: url })
  const theirs = createClient({ url, webSocketImpl: WebSocket, lazy: true })

  /** Ms from the first result to the last, every result read as a user's handler would. */
  const timeOurs = () =>
    new Promise<number>((resolve, reject) => {
      let started = 0
      let sum = 0
      ours.subscribe(QUERY, { to: RESULTS }, {
        onNext: ({ data }) => {
          if (sum === 0) started = performance.now()
          sum += (data as { count: number }).count
        },
        onError: reject,
        onComplete: () => (sum === (RESULTS * (RESULTS + 1)) / 2 ? resolve(performance.now() - started) : reject(new Error(`wirekit: sum ${sum}`))),
      })
    })
  const timeTheirs = () =>
    new Promise<number>((resolve, reject) => {
      let started = 0
      let sum = 0
      theirs.subscribe<{ count: number }>({ query: QUERY, variables: { to: RESULTS } }, {
        next: ({ data }) => {
          if (sum === 0) started = performance.now()
          sum += data!.count
        },
        error: reject,
        complete: () => (sum === (RESULTS * (RESULTS + 1)) / 2 ? resolve(performance.now() - started) : reject(new Error(`graphql-ws: sum ${sum}`))),
      })
    })

  // Warm-up: connections open, JIT settled.
  await timeOurs()
  await timeTheirs()
  const ratios: number[] = []
  const oursRate: number[] = []
  const theirsRate: number[] = []
  for (let round = 0; round < REPETITIONS; round++) {
    let a: number
    let b: number
    if (round % 2 === 0) {
      a = await timeOurs()
      b = await timeTheirs()
    } else {
      b = await timeTheirs()
      a = await timeOurs()
    }
    oursRate.push((RESULTS / a) * 1000)
    theirsRate.push((RESULTS / b) * 1000)
    ratios.push(b / a)
  }
  const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!
  const f = (n: number) => Math.round(n).toLocaleString('en-US')
  console.log(`results per round: ${f(RESULTS)}, rounds: ${REPETITIONS}, node ${process.versions.node}`)
  console.log(`@wirekit/sdk/realtime/graphql: median ${f(median(oursRate))} results/s`)
  console.log(`graphql-ws client:             median ${f(median(theirsRate))} results/s`)
  console.log(`[acceptance] results/s, wirekit vs graphql-ws's client on one subscription: ${median(ratios).toFixed(2)}× (median of ${REPETITIONS} paired rounds; min ${Math.min(...ratios).toFixed(2)}, max ${Math.max(...ratios).toFixed(2)}; target ≥ 0.95×)`)
  ours.close()
  await theirs.dispose()
  child.kill()
}
