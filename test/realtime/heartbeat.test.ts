import { describe, expect, it } from 'vitest'
import { FakeClock, connectClient, countingWebSocket, startServer, until } from './support.js'

describe('heartbeat', () => {
  it('pings every heartbeatMs (the smaller of ours and the server welcome)', async () => {
    const server = await startServer({ heartbeatMs: 5_000 })
    const clock = new FakeClock()
    const client = connectClient(server, { realtime: { clock, heartbeatMs: 20_000 } })
    await client.subscribe('x', () => {}).ready
    for (let i = 1; i <= 3; i++) {
      clock.advance(5_000)
      await until(() => server.counters.pings === i)
    }
    expect(client.state).toBe('open')
  })

  it('detects a black-holed connection within heartbeat + timeout + 1 s, 100 of 100 runs', async () => {
    const server = await startServer()
    const heartbeatMs = 1_000
    const heartbeatTimeoutMs = 500
    let detected = 0
    let worst = 0
    for (let run = 0; run < 100; run++) {
      const clock = new FakeClock()
      const client = connectClient(server, { realtime: { clock, heartbeatMs, heartbeatTimeoutMs, backoff: { base: 60_000, cap: 60_000 } } })
      await client.subscribe('x', () => {}).ready
      // A random point in the heartbeat cycle for the link to go silent.
      clock.advance(run * 7)
      server.blackhole()
      const silentSince = clock.time
      let elapsed = 0
      while (client.state === 'open' && elapsed <= heartbeatMs + heartbeatTimeoutMs + 1_000) {
        clock.advance(10)
        elapsed += 10
      }
      if (client.state === 'reconnecting') {
        detected += 1
        worst = Math.max(worst, clock.time - silentSince)
      }
      client.close()
      server.drop()
    }
    console.log(`[acceptance] black hole: detected in ${detected} of 100 runs, worst ${worst} ms after the last frame (bound ${heartbeatMs + heartbeatTimeoutMs + 1_000} ms)`)
    expect(detected).toBe(100)
    expect(worst).toBeLessThanOrEqual(heartbeatMs + heartbeatTimeoutMs + 1_000)
  }, 60_000)

  it('detects a black hole on real timers too', async () => {
    const server = await startServer()
    const client = connectClient(server, { realtime: { heartbeatMs: 50, heartbeatTimeoutMs: 50 } })
    const reasons: Array<string | undefined> = []
    client.on('state', (change) => change.state === 'reconnecting' && reasons.push(change.closeReason))
    await client.subscribe('x', () => {}).ready
    server.blackhole()
    await until(() => server.counters.connections === 2, 5_000)
    // The heartbeat found it (the bound itself is asserted on the fake clock above, not on real time).
    expect(reasons).toEqual(['no frame for 100 ms'])
  })

  it('after a wall-clock jump, probes instead of dropping a healthy link', async () => {
    const server = await startServer()
    const clock = new FakeClock()
    const pongs = countingWebSocket('pong')
    const client = connectClient(server, { WebSocket: pongs.WebSocket, realtime: { clock, heartbeatMs: 10_000, heartbeatTimeoutMs: 2_000 } })
    await client.subscribe('x', () => {}).ready
    // The laptop slept an hour: the wall clock jumped; the next tick runs late.
    clock.time += 3_600_000
    clock.advance(0)
    await until(() => server.counters.pings === 1)
    await until(() => pongs.count() === 1, 10_000, 'the pong to the probe')
    clock.advance(1_999)
    expect(client.state).toBe('open')
    clock.advance(10_000)
    await until(() => server.counters.pings === 2)
    expect(client.state).toBe('open')
    expect(server.counters.connections).toBe(1)
  })

  it('after a wall-clock jump, a dead link is found within the timeout of the next tick', async () => {
    const server = await startServer()
    const clock = new FakeClock()
    const client = connectClient(server, { realtime: { clock, heartbeatMs: 10_000, heartbeatTimeoutMs: 2_000, backoff: { base: 60_000, cap: 60_000 } } })
    await client.subscribe('x', () => {}).ready
    server.blackhole()
    clock.time += 3_600_000
    clock.advance(0)
    expect(client.state).toBe('open')
    clock.advance(2_000)
    expect(client.state).toBe('reconnecting')
  })
})

describe('heartbeat and a wall clock that goes back', () => {
  it('keeps its real-time budget: a black hole is still found within heartbeat + timeout', async () => {
    const server = await startServer()
    const clock = new FakeClock()
    const client = connectClient(server, { realtime: { clock, heartbeatMs: 1_000, heartbeatTimeoutMs: 500, backoff: { base: 60_000, cap: 60_000 } } })
    await client.subscribe('x', () => {}).ready
    server.blackhole()
    // NTP stepped the clock back an hour; timers still fire on time.
    clock.time -= 3_600_000
    for (const timer of clock.timers.values()) timer.at -= 3_600_000
    let elapsed = 0
    while (client.state === 'open' && elapsed < 5_000) {
      clock.advance(10)
      elapsed += 10
    }
    expect(client.state).toBe('reconnecting')
    expect(elapsed).toBeLessThanOrEqual(1_500)
  })
})
