import { runInNewContext } from 'node:vm'
import { setFlagsFromString } from 'node:v8'
import { describe, expect, it } from 'vitest'
import { connectClient, startServer, until } from './support.js'

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

describe('leaks', () => {
  it('1,000 connect/drop cycles leave no timers, listeners or sockets behind, and heap growth under 5 MB', async () => {
    const server = await startServer()
    const client = connectClient(server)
    let events = 0
    await client.subscribe('x', () => events++).ready
    const warmup = async (cycles: number) => {
      for (let i = 0; i < cycles; i++) {
        const connections = server.counters.connections
        server.drop()
        await until(() => server.counters.connections > connections && server.clients[0]?.channels.has('x') === true)
        server.publish('x', 'e', i)
      }
    }
    await warmup(50)
    gc()
    const before = process.memoryUsage().heapUsed
    const started = Date.now()
    await warmup(1_000)
    await until(() => events === 1_050)
    gc()
    const growth = process.memoryUsage().heapUsed - before
    const info = client.inspect()
    console.log(
      `[acceptance] leaks: 1,000 connect/drop cycles in ${Date.now() - started} ms: timers ${JSON.stringify(info.timers)}, open sockets on the server ${server.counters.open}, heap growth ${(growth / 1024 / 1024).toFixed(2)} MB`,
    )
    expect(info).toMatchObject({ state: 'open', timers: ['heartbeat'], socket: true, channels: 1, pendingPublishes: 0 })
    expect(server.counters.open).toBe(1)
    expect(growth).toBeLessThan(5 * 1024 * 1024)

    client.close()
    await until(() => server.counters.open === 0)
    expect(client.inspect()).toMatchObject({ state: 'closed', timers: [], socket: false, browserListeners: 0, channels: 0 })
  }, 60_000)
})
