/**
 * A Node service that follows a channel and keeps its place across restarts: it prints each event,
 * saves the last position after each one, and passes it back as `from` next time, so nothing is
 * missed while it was down. A gap (history lost) is where it would refetch over REST.
 *
 * In an app, import from '@wirekit/sdk/realtime'. Run it against the reference server with the test in
 * test/examples/realtime.test.ts, or against your service:
 *   REALTIME_URL=wss://api.example.com/realtime API_TOKEN=… npx tsx examples/realtime/node-subscriber.ts
 */
import { type StreamPosition, createRealtimeClient } from '@wirekit/sdk/realtime'

type Events = { orders: { created: { id: number; total: number }; cancelled: { id: number } } }

export interface FollowOptions {
  url: string
  token?: string
  /** Where the last run stopped. */
  from?: StreamPosition
  /** Stop after this many events (for the demo and the test). */
  limit: number
  print: (line: string) => void
}

/** Follows `orders` until `limit` events arrived; resolves with the position to save. */
export async function followOrders(options: FollowOptions): Promise<StreamPosition | undefined> {
  const realtime = createRealtimeClient<Events>({
    realtimeUrl: options.url,
    ...(options.token !== undefined && { auth: options.token }),
  })
  // `cause` says why connecting failed: a wrong URL answers 404, a closed port refuses.
  realtime.on('state', (change) =>
    options.print(`[state] ${change.state}${change.delay !== undefined ? ` in ${change.delay} ms` : ''}${change.cause ? ` (${change.cause})` : ''}`),
  )
  let seen = 0
  let position = options.from
  const subscription = realtime.subscribe(
    'orders',
    {
      onGap: (gap) => options.print(`[gap] ${gap.reason}: refetch orders over REST`),
      onError: (error) => options.print(`[error] ${String(error)}`),
    },
    { ...(options.from && { from: options.from }) },
  )
  try {
    for await (const event of subscription) {
      if (event.name === 'created') options.print(`order ${event.data.id} created, total ${event.data.total} (offset ${event.offset})`)
      else options.print(`order ${event.data.id} cancelled (offset ${event.offset})`)
      // Save it where the next run can read it (a file, a database row); here, the return value.
      position = { offset: event.offset, epoch: event.epoch }
      if (++seen >= options.limit) break
    }
    return position
  } finally {
    realtime.close()
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) {
  const url = process.env.REALTIME_URL
  if (!url) throw new Error('set REALTIME_URL')
  await followOrders({ url, token: process.env.API_TOKEN, limit: Infinity, print: console.log })
}
