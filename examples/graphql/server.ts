/**
 * A local graphql-yoga server with a counting subscription, served over WebSocket
 * (graphql-transport-ws) the way yoga's docs set it up: graphql-ws's `useServer` executing through
 * yoga's envelop. Accepts the token "demo" in `connection_init`.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { useServer } from 'graphql-ws/use/ws'
import { createSchema, createYoga } from 'graphql-yoga'
import { WebSocketServer } from 'ws'

export interface YogaServer {
  url: string
  close(): Promise<void>
}

const schema = createSchema({
  typeDefs: /* GraphQL */ `
    type Query { hello: String }
    type Subscription { countdown(from: Int!): Int! }
  `,
  resolvers: {
    Query: { hello: () => 'hi' },
    Subscription: {
      countdown: {
        subscribe: async function* (_: unknown, { from }: { from: number }) {
          for (let n = from; n >= 0; n--) {
            await new Promise((resolve) => setTimeout(resolve, 100))
            yield { countdown: n }
          }
        },
      },
    },
  },
})

export async function startYoga(): Promise<YogaServer> {
  const yoga = createYoga({ schema, graphqlEndpoint: '/graphql', logging: false })
  const http = createServer(yoga)
  const wss = new WebSocketServer({ server: http, path: '/graphql' })
  const server = useServer(
    {
      onConnect: (ctx) => (ctx.connectionParams as { authorization?: string } | undefined)?.authorization === 'Bearer demo',
      execute: (args: any) => args.rootValue.execute(args),
      subscribe: (args: any) => args.rootValue.subscribe(args),
      onSubscribe: async (ctx: any, _id, params) => {
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({ ...ctx, req: ctx.extra.request, socket: ctx.extra.socket, params })
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
  )
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  return {
    url: `ws://127.0.0.1:${(http.address() as AddressInfo).port}/graphql`,
    close: async () => {
      await server.dispose()
      await new Promise((resolve) => http.close(resolve))
    },
  }
}
