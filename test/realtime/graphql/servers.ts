/**
 * GraphQL-over-WebSocket servers written by others, on 127.0.0.1 port 0: graphql-ws's own
 * `useServer` on `ws`, and graphql-yoga executing through graphql-ws (yoga's documented WebSocket
 * setup). Both serve one schema whose subscriptions count, and count on the server side the
 * subscriptions running right now.
 */
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import type { AddressInfo, Socket } from 'node:net'
import type * as GraphQL from 'graphql'
import { useServer } from 'graphql-ws/use/ws'
import { createYoga } from 'graphql-yoga'
import { WebSocketServer } from 'ws'
import { onCleanup } from '../support.js'

export type ServerKind = 'graphql-ws' | 'graphql-yoga'

export interface GraphQLTestServer {
  readonly url: string
  /** Subscriptions running on the server right now (their source generators not yet finished). */
  active(): number
  /** Subscriptions the server started, ever. */
  started(): number
  /** WebSocket connections accepted, ever. */
  connections(): number
  /** `connection_init` payloads received, in order. */
  readonly inits: unknown[]
  /** Cuts every connection at once, without a close frame. */
  drop(): void
  /** Stops reading from every open connection: pings go unanswered, nothing is sent. */
  blackhole(): void
  close(): Promise<void>
}

// The copy of graphql that graphql-ws and graphql-yoga load (Node's resolution, CommonJS): a schema
// built with another copy is refused ("from another module or realm").
const { GraphQLBoolean, GraphQLError, GraphQLInt, GraphQLObjectType, GraphQLSchema, GraphQLString } = createRequire(import.meta.url)('graphql') as typeof GraphQL
type GraphQLSchema = GraphQL.GraphQLSchema

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** `count(every, fail)`: 1, 2, 3, … one each `every` ms; `fail` refuses the subscription; `idle` never yields. */
function countingSchema(counters: { active: number; started: number }): GraphQLSchema {
  return new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: { hello: { type: GraphQLString, resolve: () => 'hi' } } }),
    subscription: new GraphQLObjectType({
      name: 'Subscription',
      fields: {
        count: {
          type: GraphQLInt,
          args: { every: { type: GraphQLInt }, fail: { type: GraphQLBoolean } },
          subscribe: async function* (_root: unknown, args: { every?: number; fail?: boolean }) {
            if (args.fail) throw new GraphQLError('boom: this subscription is refused', { extensions: { code: 'REFUSED' } })
            counters.active += 1
            counters.started += 1
            try {
              for (let n = 1; ; n++) {
                await sleep(args.every ?? 10)
                yield n
              }
            } finally {
              counters.active -= 1
            }
          },
          resolve: (value: unknown) => value,
        },
        idle: {
          type: GraphQLInt,
          subscribe: async function* () {
            counters.active += 1
            try {
              await new Promise(() => {})
              yield 0
            } finally {
              counters.active -= 1
            }
          },
          resolve: (value: unknown) => value,
        },
      },
    }),
  })
}

/**
 * Starts one server. `authorize` sees each `connection_init` payload: `true` accepts, `false` refuses
 * (graphql-ws closes 4403), a number closes with that code.
 */
export async function startGraphQLServer(kind: ServerKind, authorize: (params: unknown) => boolean | number = () => true): Promise<GraphQLTestServer> {
  const counters = { active: 0, started: 0, connections: 0 }
  const schema = countingSchema(counters)
  const inits: unknown[] = []
  const sockets = new Set<Socket>()
  const http = createServer()
  const wss = new WebSocketServer({ server: http, path: '/graphql' })
  wss.on('connection', (_ws, request) => {
    counters.connections += 1
    sockets.add(request.socket)
    request.socket.on('close', () => sockets.delete(request.socket))
  })
  const onConnect = (ctx: { connectionParams?: unknown; extra: { socket: { close(code: number, reason: string): void } } }) => {
    inits.push(ctx.connectionParams)
    const verdict = authorize(ctx.connectionParams)
    if (typeof verdict === 'number') {
      ctx.extra.socket.close(verdict, 'token expired')
      return false
    }
    return verdict
  }
  let dispose: () => unknown
  if (kind === 'graphql-ws') {
    dispose = useServer({ schema, onConnect }, wss).dispose
  } else {
    const yoga = createYoga({ schema, graphqlEndpoint: '/graphql', logging: false, maskedErrors: false })
    http.on('request', yoga)
    dispose = useServer(
      {
        execute: (args: any) => args.rootValue.execute(args),
        subscribe: (args: any) => args.rootValue.subscribe(args),
        onConnect,
        onSubscribe: async (ctx: any, _id, params) => {
          const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
            ...ctx,
            req: ctx.extra.request,
            socket: ctx.extra.socket,
            params,
          })
          const args = {
            schema,
            operationName: params.operationName,
            document: parse(params.query),
            variableValues: params.variables,
            contextValue: await contextFactory(),
            rootValue: { execute, subscribe },
          }
          const errors = validate(args.schema, args.document)
          return errors.length > 0 ? errors : args
        },
      },
      wss,
    ).dispose
  }
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  const { port } = http.address() as AddressInfo
  const server: GraphQLTestServer = {
    url: `ws://127.0.0.1:${port}/graphql`,
    active: () => counters.active,
    started: () => counters.started,
    connections: () => counters.connections,
    inits,
    drop: () => {
      for (const ws of wss.clients) ws.terminate()
    },
    blackhole: () => {
      for (const socket of sockets) socket.pause()
    },
    close: async () => {
      if (!http.listening) return
      for (const socket of sockets) socket.destroy()
      await dispose()
      await new Promise((resolve) => http.close(resolve))
    },
  }
  onCleanup(() => server.close())
  return server
}
