import { afterEach, describe, expect, it, vi } from 'vitest'

afterEach(() => {
  vi.restoreAllMocks()
})

describe('importing @wirekit/sdk/realtime', () => {
  it('does no work: no Math.random, no timer, no socket — and neither does creating a client', async () => {
    vi.resetModules()
    const random = vi.spyOn(Math, 'random')
    const timeout = vi.spyOn(globalThis, 'setTimeout')
    const interval = vi.spyOn(globalThis, 'setInterval')
    const sockets: unknown[] = []
    const Spy = class {
      constructor(url: unknown) {
        sockets.push(url)
      }
    }
    const realtime = await import('../../src/realtime/index.js')
    const root = await import('../../src/index.js')
    const client = realtime.createRealtimeClient({ realtimeUrl: 'ws://127.0.0.1:9', WebSocket: Spy as never })
    const shared = root.createClient({ realtimeUrl: 'ws://127.0.0.1:9', WebSocket: Spy as never })
    expect(client.state).toBe('idle')
    expect(shared.realtime.state).toBe('idle')
    expect(random).not.toHaveBeenCalled()
    expect(timeout).not.toHaveBeenCalled()
    expect(interval).not.toHaveBeenCalled()
    expect(sockets).toEqual([])
    client.close()
  })
})
