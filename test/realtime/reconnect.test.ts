import { afterEach, describe, expect, it, vi } from 'vitest'
import { backoffWindow } from '../../src/core/backoff.js'
import type { WebSocketConstructor } from '../../src/core/config.js'
import { type StateChange, createRealtimeClient } from '../../src/realtime/index.js'
import { FakeClock, connectClient, onCleanup, seeded, startServer, until } from './support.js'

/** A WebSocket that never connects: it reports an abnormal close (1006) right away. */
class RefusedSocket {
  onopen: unknown = null
  onmessage: unknown = null
  onerror: unknown = null
  onclose: ((event: { code: number; reason: string }) => void) | null = null
  constructor() {
    queueMicrotask(() => this.onclose?.({ code: 1006, reason: '' }))
  }
  send(): void {}
  close(): void {}
}
const Refused = RefusedSocket as unknown as WebSocketConstructor

function nextState(client: { once(event: 'state', fn: (change: StateChange) => void): unknown }): Promise<StateChange> {
  return new Promise((resolve) => client.once('state', resolve))
}

describe('reconnect timing', () => {
  it('keeps every full-jitter delay inside [0, min(cap, base·2^n)) over 10,000 scheduled reconnects', async () => {
    const clock = new FakeClock()
    const client = createRealtimeClient({
      realtimeUrl: 'ws://127.0.0.1:9',
      WebSocket: Refused,
      realtime: { clock, random: seeded(3), backoff: { base: 500, cap: 30_000 } },
    })
    onCleanup(() => client.close())
    const delays: Array<[attempt: number, delay: number]> = []
    client.on('state', (change) => {
      if (change.state === 'reconnecting' && change.delay !== undefined) delays.push([change.attempt - 1, change.delay])
    })
    client.subscribe('x', () => {})
    while (delays.length < 10_000) {
      const before = delays.length
      // The refused socket reports its close in a microtask; one macrotask later the next delay is armed.
      await new Promise((resolve) => setImmediate(resolve))
      expect(delays.length).toBe(before + 1)
      // The armed timer is the delay the state event announced: the real scheduling path.
      expect(clock.nextDelay()).toBe(delays.at(-1)![1])
      clock.advance(delays.at(-1)![1])
    }
    const outside = delays.filter(([attempt, delay]) => delay < 0 || delay >= backoffWindow(attempt, { base: 500, cap: 30_000 }))
    const capped = delays.filter(([attempt]) => attempt >= 6)
    const mean = capped.reduce((sum, [, delay]) => sum + delay, 0) / capped.length
    console.log(`[acceptance] full jitter: ${delays.length} scheduled delays, ${outside.length} outside [0, window); mean at the 30 s cap ${Math.round(mean)} ms`)
    expect(outside).toEqual([])
    expect(Math.abs(mean - 15_000) / 15_000).toBeLessThan(0.05)
  }, 60_000)

  it('spreads the first reconnect of 500 clients dropped at once: no 50 ms slice holds more than 15 %', async () => {
    const server = await startServer()
    const clock = new FakeClock()
    const random = seeded(500)
    const delays: number[] = []
    const clients = Array.from({ length: 500 }, () => {
      const client = createRealtimeClient({ realtimeUrl: server.url, realtime: { clock, random } })
      onCleanup(() => client.close())
      client.on('state', (change) => {
        if (change.state === 'reconnecting' && change.attempt === 1) delays.push(change.delay!)
      })
      return client
    })
    await Promise.all(clients.map((client) => client.subscribe('all', () => {}).ready))
    server.drop()
    await until(() => delays.length === 500, 20_000)
    const slices = new Array<number>(10).fill(0)
    for (const delay of delays) slices[Math.floor(delay / 50)]! += 1
    const largest = Math.max(...slices) / 500
    console.log(`[acceptance] 500 clients dropped at once: first reconnects per 50 ms slice of the 500 ms window ${slices.join(' ')}; largest slice ${(largest * 100).toFixed(1)} %`)
    expect(delays.every((delay) => delay >= 0 && delay < 500)).toBe(true)
    expect(largest).toBeLessThanOrEqual(0.15)
    expect(clock.timers.size).toBe(500)
  }, 60_000)

  it('never undercuts reconnect.afterMs: no attempt before it, over 30 requests', async () => {
    const server = await startServer()
    const clock = new FakeClock()
    const random = seeded(9)
    const client = connectClient(server, { realtime: { clock, random, backoff: { base: 500, cap: 30_000 } } })
    await client.subscribe('x', () => {}).ready
    let shortest = Infinity
    for (let i = 0; i < 30; i++) {
      const afterMs = 1_000 + Math.floor(random() * 5_000)
      const scheduled = nextState(client)
      const connections = server.counters.connections
      server.requestReconnect(afterMs)
      const change = await scheduled
      expect(change.state).toBe('reconnecting')
      shortest = Math.min(shortest, change.delay! - afterMs)
      clock.advance(afterMs - 1)
      // No wait needed: an attempt disarms the reconnect timer and makes its socket synchronously.
      expect(client.inspect()).toMatchObject({ state: 'reconnecting', socket: false })
      expect(client.inspect().timers).toContain('reconnect')
      expect(server.counters.connections).toBe(connections)
      clock.advance(change.delay! - afterMs + 1)
      await until(() => client.state === 'open')
    }
    console.log(`[acceptance] reconnect.afterMs: 30 requests, earliest attempt ${shortest} ms after the asked delay (never before)`)
    expect(shortest).toBeGreaterThanOrEqual(0)
  })

  it('4429: waits the delay in the close reason before the next attempt', async () => {
    const server = await startServer()
    const clock = new FakeClock()
    const client = connectClient(server, { realtime: { clock, random: () => 0.5, backoff: { base: 500, cap: 30_000 } } })
    await client.subscribe('x', () => {}).ready
    const scheduled = nextState(client)
    server.closeWith(4429, '2000')
    const change = await scheduled
    expect(change).toMatchObject({ state: 'reconnecting', closeCode: 4429, closeReason: '2000', delay: 2_000 + 250 })
    clock.advance(2_249)
    // No wait needed: an attempt disarms the reconnect timer and makes its socket synchronously.
    expect(client.inspect()).toMatchObject({ state: 'reconnecting', timers: ['reconnect'], socket: false })
    expect(server.counters.connections).toBe(1)
    clock.advance(1)
    await until(() => client.state === 'open')
    expect(server.counters.connections).toBe(2)
    console.log('[acceptance] 4429 "2000": no attempt at 2,249 ms (2,000 asked + 249 jitter), reconnected at 2,250 ms')
  })

  it('resets the attempt count after a stable period, not before', async () => {
    const server = await startServer()
    const clock = new FakeClock()
    const client = connectClient(server, { realtime: { clock, stableAfterMs: 10_000 } })
    await client.subscribe('x', () => {}).ready
    const attempts: number[] = []
    client.on('state', (change) => change.state === 'reconnecting' && attempts.push(change.attempt))
    for (const stayOpen of [0, 0, 10_000, 0]) {
      clock.advance(stayOpen)
      server.drop()
      await until(() => client.state === 'reconnecting')
      clock.advance(0)
      await until(() => client.state === 'open')
    }
    expect(attempts).toEqual([1, 2, 1, 2])
  })

  it('stops with retries_exhausted after maxRetries attempts in a row', async () => {
    const clock = new FakeClock()
    const client = createRealtimeClient({ realtimeUrl: 'ws://127.0.0.1:9', WebSocket: Refused, realtime: { clock, maxRetries: 3 } })
    onCleanup(() => client.close())
    const errors: unknown[] = []
    client.on('error', (error) => errors.push(error))
    const sub = client.subscribe('x', () => {})
    for (let i = 0; i < 3; i++) {
      await until(() => clock.timers.size > 0)
      clock.advance(clock.nextDelay()!)
    }
    await until(() => client.state === 'closed')
    expect(errors).toMatchObject([{ code: 'retries_exhausted', closeCode: 1006 }])
    await expect(sub.ready).rejects.toMatchObject({ code: 'retries_exhausted' })
    expect(client.inspect().timers).toEqual([])
  })

  it('1012 service restart: reconnects and resumes', async () => {
    const server = await startServer()
    const client = connectClient(server)
    const seen: unknown[] = []
    await client.subscribe('x', (event) => seen.push(event.data)).ready
    server.publish('x', 'e', 1)
    await until(() => seen.length === 1)
    await server.restart()
    server.publish('x', 'e', 2)
    await until(() => seen.length === 2)
    expect(seen).toEqual([1, 2])
  })
})

describe('browser triggers', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
  })

  function stubBrowser() {
    const win = new EventTarget()
    const doc = Object.assign(new EventTarget(), { visibilityState: 'visible' as DocumentVisibilityState })
    let listeners = 0
    const counted = (target: EventTarget) => ({
      add: (type: string, fn: EventListener) => (listeners++, target.addEventListener(type, fn)),
      remove: (type: string, fn: EventListener) => (listeners--, target.removeEventListener(type, fn)),
    })
    const w = counted(win)
    const d = counted(doc)
    vi.stubGlobal('addEventListener', w.add)
    vi.stubGlobal('removeEventListener', w.remove)
    vi.stubGlobal('document', { get visibilityState() { return doc.visibilityState }, addEventListener: d.add, removeEventListener: d.remove })
    return { win, doc, listeners: () => listeners }
  }

  it('reconnects at once on `online` and when a hidden page becomes visible; removes its listeners on close', async () => {
    const browser = stubBrowser()
    const server = await startServer()
    const clock = new FakeClock()
    const client = connectClient(server, { realtime: { clock, backoff: { base: 60_000, cap: 60_000 } } })
    await client.subscribe('x', () => {}).ready
    expect(browser.listeners()).toBe(2)
    expect(client.inspect().browserListeners).toBe(2)

    server.drop()
    await until(() => client.state === 'reconnecting')
    browser.win.dispatchEvent(new Event('online'))
    await until(() => client.state === 'open')
    expect(server.counters.connections).toBe(2)

    server.drop()
    await until(() => client.state === 'reconnecting')
    browser.doc.visibilityState = 'hidden'
    browser.doc.dispatchEvent(new Event('visibilitychange'))
    // No wait needed: listeners run inside dispatchEvent, and an attempt disarms the reconnect timer
    // and makes its socket synchronously.
    expect(client.inspect()).toMatchObject({ state: 'reconnecting', socket: false })
    expect(client.inspect().timers).toContain('reconnect')
    browser.doc.visibilityState = 'visible'
    browser.doc.dispatchEvent(new Event('visibilitychange'))
    await until(() => client.state === 'open')
    expect(server.counters.connections).toBe(3)

    client.close()
    expect(browser.listeners()).toBe(0)
    expect(client.inspect().browserListeners).toBe(0)
  })

  it('probes an open link when the page becomes visible, and finds a dead one within the timeout', async () => {
    const browser = stubBrowser()
    const server = await startServer()
    const clock = new FakeClock()
    const client = connectClient(server, { realtime: { clock, heartbeatMs: 60_000, heartbeatTimeoutMs: 2_000 } })
    await client.subscribe('x', () => {}).ready
    server.blackhole()
    browser.doc.dispatchEvent(new Event('visibilitychange'))
    clock.advance(1_999)
    expect(client.state).toBe('open')
    clock.advance(1)
    expect(client.state).toBe('reconnecting')
  })
})

describe('reconnect timing over very long outages', () => {
  it('keeps delays finite past 1,024 attempts in a row, with a zero base too', async () => {
    for (const backoff of [{ base: 0, cap: 0 }, { base: 500, cap: 30_000 }]) {
      const clock = new FakeClock()
      const client = createRealtimeClient({ realtimeUrl: 'ws://127.0.0.1:9', WebSocket: Refused, realtime: { clock, backoff } })
      onCleanup(() => client.close())
      const delays: number[] = []
      client.on('state', (change) => change.delay !== undefined && delays.push(change.delay))
      client.subscribe('x', () => {})
      while (delays.length < 1_100) {
        await new Promise((resolve) => setImmediate(resolve))
        clock.advance(delays.at(-1) ?? 0)
      }
      expect(delays.every((delay) => Number.isFinite(delay) && delay >= 0 && delay <= backoff.cap)).toBe(true)
      client.close()
    }
  })
})
