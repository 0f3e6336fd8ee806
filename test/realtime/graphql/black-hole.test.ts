import { describe, expect, it } from 'vitest'
import { FakeClock, until } from '../support.js'
import { connectGraphQL } from './client.js'
import { type ServerKind, startGraphQLServer } from './servers.js'

const heartbeatMs = 1_000
const heartbeatTimeoutMs = 500
const RUNS = 10

describe.each<ServerKind>(['graphql-ws', 'graphql-yoga'])('dead link against %s', (kind) => {
  it('a black-holed connection is found within heartbeat + timeout, by ping/pong', async () => {
    let detected = 0
    let worst = 0
    for (let run = 0; run < RUNS; run++) {
      const server = await startGraphQLServer(kind)
      const clock = new FakeClock()
      const client = connectGraphQL(server, { realtime: { clock, heartbeatMs, heartbeatTimeoutMs, backoff: { base: 60_000, cap: 60_000 } } })
      client.subscribe('subscription { idle }')
      await until(() => client.realtime.state === 'open' && server.active() === 1)
      // The link stays alive by ping/pong alone (idle sends no result): the ping at heartbeatMs is
      // answered, so the link outlives the deadline it would have missed without the pong.
      clock.advance(heartbeatMs)
      await new Promise((resolve) => setTimeout(resolve, 50))
      clock.advance(heartbeatMs + heartbeatTimeoutMs - 10)
      expect(client.realtime.state).toBe('open')
      await new Promise((resolve) => setTimeout(resolve, 50))
      clock.advance(run * 37)
      server.blackhole()
      const silentSince = clock.time
      while (client.realtime.state === 'open' && clock.time - silentSince <= heartbeatMs + heartbeatTimeoutMs) clock.advance(10)
      if (client.realtime.state === 'reconnecting') {
        detected += 1
        worst = Math.max(worst, clock.time - silentSince)
      }
      client.close()
      await server.close()
    }
    console.log(`[acceptance] ${kind}: black hole detected in ${detected} of ${RUNS} runs, worst ${worst} ms after the link went silent (bound ${heartbeatMs + heartbeatTimeoutMs} ms)`)
    expect(detected).toBe(RUNS)
    expect(worst).toBeLessThanOrEqual(heartbeatMs + heartbeatTimeoutMs)
  }, 60_000)
})
