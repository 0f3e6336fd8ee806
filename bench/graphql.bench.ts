/**
 * `npm run bench:graphql`: GraphQL subscription results per second, received and dispatched on one
 * subscription from graphql-ws's own server (in another process, so only client work shares this
 * one), `@wirekit/sdk/realtime/graphql` against graphql-ws's own client on the same stream. Each
 * round subscribes both clients in turn (order alternating) to `count(to: N)`, which the server
 * yields as fast as it can, and times the first result to the last; the figure is the median of the
 * per-round ratios, so machine load that shifts between rounds cancels out.
 *
 * Where the server process is the bottleneck, results/s measures the server more than the client, so
 * each round also takes this process's CPU time (`process.cpuUsage`, user + system) over the same
 * window: the client's own cost per result, the second figure.
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
import { machineLine } from './lib/report.ts'

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

  /** One round's window, from the first result to the last: wall-clock ms and this process's CPU µs. */
  interface Round {
    ms: number
    cpuUs: number
  }
  /** Times one subscription's results, every one read as a user's handler would; `name` labels a wrong sum. */
  const window = (name: string, subscribe: (next: (count: number) => void, done: (error?: unknown) => void) => void) =>
    new Promise<Round>((resolve, reject) => {
      let started = 0
      let cpu: NodeJS.CpuUsage | undefined
      let sum = 0
      subscribe(
        (count) => {
          if (sum === 0) {
            started = performance.now()
            cpu = process.cpuUsage()
          }
          sum += count
        },
        (error) => {
          if (error !== undefined) return reject(error)
          const used = process.cpuUsage(cpu)
          if (sum !== (RESULTS * (RESULTS + 1)) / 2) return reject(new Error(`${name}: sum ${sum}`))
          resolve({ ms: performance.now() - started, cpuUs: used.user + used.system })
        },
      )
    })
  const timeOurs = () =>
    window('wirekit', (next, done) =>
      ours.subscribe(QUERY, { to: RESULTS }, { onNext: ({ data }) => next((data as { count: number }).count), onError: done, onComplete: () => done() }),
    )
  const timeTheirs = () =>
    window('graphql-ws', (next, done) =>
      theirs.subscribe<{ count: number }>({ query: QUERY, variables: { to: RESULTS } }, { next: ({ data }) => next(data!.count), error: done, complete: () => done() }),
    )

  // Warm-up: connections open, JIT settled.
  await timeOurs()
  await timeTheirs()
  const ratios: number[] = []
  const cpuRatios: number[] = []
  const oursRate: number[] = []
  const theirsRate: number[] = []
  const oursCpu: number[] = []
  const theirsCpu: number[] = []
  for (let round = 0; round < REPETITIONS; round++) {
    let a: Round
    let b: Round
    if (round % 2 === 0) {
      a = await timeOurs()
      b = await timeTheirs()
    } else {
      b = await timeTheirs()
      a = await timeOurs()
    }
    oursRate.push((RESULTS / a.ms) * 1000)
    theirsRate.push((RESULTS / b.ms) * 1000)
    ratios.push(b.ms / a.ms)
    oursCpu.push(a.cpuUs / RESULTS)
    theirsCpu.push(b.cpuUs / RESULTS)
    cpuRatios.push(b.cpuUs / a.cpuUs)
  }
  const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!
  const f = (n: number) => Math.round(n).toLocaleString('en-US')
  const spread = (values: number[]) => `median of ${REPETITIONS} paired rounds; min ${Math.min(...values).toFixed(2)}, max ${Math.max(...values).toFixed(2)}`
  console.log(machineLine())
  console.log(`results per round: ${f(RESULTS)}, rounds: ${REPETITIONS}`)
  console.log(`@wirekit/sdk/realtime/graphql: median ${f(median(oursRate))} results/s, ${median(oursCpu).toFixed(2)} µs client CPU per result`)
  console.log(`graphql-ws client:             median ${f(median(theirsRate))} results/s, ${median(theirsCpu).toFixed(2)} µs client CPU per result`)
  console.log(`[acceptance] results/s, wirekit vs graphql-ws's client on one subscription: ${median(ratios).toFixed(2)}× (${spread(ratios)}; target ≥ 0.95×)`)
  console.log(`[acceptance] client CPU per result, graphql-ws's client ÷ wirekit's: ${median(cpuRatios).toFixed(2)}× (${spread(cpuRatios)}; above 1: wirekit spends less)`)
  ours.close()
  await theirs.dispose()
  child.kill()
}
