import { runInNewContext } from 'node:vm'
import { setFlagsFromString } from 'node:v8'
import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { startServer, until } from './support.js'

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

const CYCLES = Number(process.env.WIREKIT_LEAK_CYCLES ?? 1_000)

/** Timers and sockets this process holds, by kind (Node's own view, no private fields). */
const resources = () => {
  const counts: Record<string, number> = {}
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1
  return counts
}

describe('server leaks', () => {
  it(`${CYCLES} connect/close cycles leave no timers, listeners or sockets on the server, heap growth < 5 MB`, { timeout: 120_000 }, async () => {
    const server = await startServer({ authenticate: (token) => (token === 'ok' ? { id: 1 } : undefined) })
    const cycle = async (i: number) => {
      const socket = new WebSocket(server.url, 'wirekit.v1')
      await new Promise((resolve) => socket.once('open', resolve))
      socket.send(JSON.stringify({ type: 'auth', token: 'ok' }))
      socket.send(JSON.stringify({ type: 'subscribe', id: 's', channel: `c${i % 10}` }))
      await new Promise<void>((resolve) =>
        socket.on('message', (data) => {
          if (JSON.parse(data.toString()).type === 'subscribed') resolve()
        }),
      )
      // Half close cleanly, half vanish (no close frame), as real clients do.
      if (i % 2 === 0) socket.close(1000)
      else socket.terminate()
      await new Promise((resolve) => socket.once('close', resolve))
    }
    for (let i = 0; i < 50; i++) await cycle(i)
    await until(() => server.connections === 0)
    gc()
    const before = { heap: process.memoryUsage().heapUsed, resources: resources() }
    for (let i = 0; i < CYCLES; i++) await cycle(i)
    await until(() => server.connections === 0)
    // Closed sockets and their timers are released in later turns: wait for the counts to come back
    // down. A leak never does; the assertions below then fail with the counts.
    const settled = () => {
      const now = resources()
      return (now.TCPSocketWrap ?? 0) <= (before.resources.TCPSocketWrap ?? 0) && (now.Timeout ?? 0) <= (before.resources.Timeout ?? 0)
    }
    await until(settled, 10_000, 'sockets and timers back to their count before the cycles').catch(() => {})
    gc()
    const growth = process.memoryUsage().heapUsed - before.heap
    const after = resources()
    console.log(
      `[acceptance] server leaks: ${CYCLES} connect/close cycles: ${server.connections} connections left, resources before ${JSON.stringify(before.resources)} after ${JSON.stringify(after)}, heap growth ${(growth / 1024 / 1024).toFixed(2)} MB`,
    )
    expect(server.connections).toBe(0)
    expect(after.TCPSocketWrap ?? 0).toBeLessThanOrEqual(before.resources.TCPSocketWrap ?? 0)
    expect(after.Timeout ?? 0).toBeLessThanOrEqual(before.resources.Timeout ?? 0)
    expect(growth).toBeLessThan(5 * 1024 * 1024)
  })
})
