import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'
import { createTestRealtimeServer } from '@wirekit/sdk/testing'
import { followOrders } from '../../examples/realtime/node-subscriber.js'
import { onCleanup, until } from './support.js'

describe('examples/realtime', () => {
  it('the Node subscriber prints live events and resumes from its saved position', async () => {
    const server = await createTestRealtimeServer({ authenticate: (token) => token === 'demo' })
    onCleanup(() => server.close())
    const lines: string[] = []
    const first = followOrders({ url: server.url, token: 'demo', limit: 2, print: (line) => lines.push(line) })
    await until(() => server.clients[0]?.channels.has('orders') === true)
    server.publish('orders', 'created', { id: 1, total: 30 })
    server.publish('orders', 'cancelled', { id: 1 })
    const saved = await first
    expect(lines).toContain('order 1 created, total 30 (offset 1)')
    expect(lines).toContain('order 1 cancelled (offset 2)')
    expect(saved).toEqual({ offset: '2', epoch: server.history('orders').epoch })

    // While it was down, one more order; the next run starts where the last one stopped.
    server.publish('orders', 'created', { id: 2, total: 12 })
    lines.length = 0
    await followOrders({ url: server.url, token: 'demo', from: saved, limit: 1, print: (line) => lines.push(line) })
    expect(lines.filter((line) => line.startsWith('order'))).toEqual(['order 2 created, total 12 (offset 3)'])
  })

  it('the browser page script bundles for the browser', async () => {
    const result = await build({
      entryPoints: ['examples/realtime/browser/app.ts'],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
    })
    expect(result.errors).toEqual([])
    expect(result.outputFiles[0]!.text).toContain('visibilitychange')
  })
})
