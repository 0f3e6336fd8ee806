import { describe, expect, it } from 'vitest'
import { FakeClock, countingWebSocket, until } from '../support.js'
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
      // Pongs that reached the client: the test waits for each one instead of for a stretch of real time.
      const pongs = countingWebSocket('pong')
      const client = connectGraphQL(server, { WebSocket: pongs.WebSocket, realtime: { clock, heartbeatMs, heartbeatTimeoutMs, backoff: { base: 60_000, cap: 60_000 } } })
      client.subscribe('subscription { idle }')
      await until(() => client.realtime.state === 'open' && server.active() === 1)
      // The link stays alive by ping/pong alone (idle sends no result): the ping at heartbeatMs is
      // answered, so the link outlives the deadline it would have missed without the pong.
      const answered = pongs.count()
      clock.advance(heartbeatMs)
      await until(() => pongs.count() === answered + 1, 10_000, 'the pong to the first ping')
      clock.advance(heartbeatMs + heartbeatTimeoutMs - 10)
      expect(client.realtime.state).toBe('open')
      await until(() => pongs.count() === answered + 2, 10_000, 'the pong to the second ping')
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
