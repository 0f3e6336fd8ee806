import { afterEach } from 'vitest'
import WebSocket from 'ws'
import type { WebSocketConstructor } from '../../src/core/config.js'
import { type RealtimeClient, type RealtimeClientOptions, createRealtimeClient } from '../../src/realtime/index.js'
import type { Clock } from '../../src/realtime/options.js'
import { type TestRealtimeServer, type TestRealtimeServerOptions, createTestRealtimeServer } from '../../src/testing/index.js'

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!()
})

/** A reference server closed after the test. */
export async function startServer(options?: TestRealtimeServerOptions): Promise<TestRealtimeServer> {
  const server = await createTestRealtimeServer(options)
  cleanups.push(() => server.close())
  return server
}

/** A client on `server`, closed after the test. Fast defaults: backoff base 0. */
export function connectClient(server: TestRealtimeServer, options: RealtimeClientOptions = {}): RealtimeClient {
  const client = createRealtimeClient({
    ...options,
    realtimeUrl: server.url,
    realtime: { backoff: { base: 0, cap: 0 }, ...options.realtime },
  })
  cleanups.push(() => client.close())
  return client
}

/** Registers a cleanup. */
export function onCleanup(fn: () => unknown): void {
  cleanups.push(fn)
}

/** Waits until `predicate` holds, polling on real time; fails after `ms`. */
export async function until(predicate: () => boolean, ms = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 2))
  }
}

/**
 * A WebSocket class (the `WebSocket` option) that counts the frames of one `type` its sockets
 * receive, so a test can wait for a frame itself instead of for a stretch of real time.
 */
export function countingWebSocket(type: string): { WebSocket: WebSocketConstructor; count: () => number } {
  let received = 0
  class Counting extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols)
      this.addEventListener('message', (message) => {
        if ((JSON.parse(String(message.data)) as { type?: unknown }).type === type) received += 1
      })
    }
  }
  return { WebSocket: Counting as unknown as WebSocketConstructor, count: () => received }
}

/** A manual clock for the client's own timers only; sockets stay real. */
export class FakeClock implements Clock {
  time = 1_700_000_000_000
  #next = 1
  readonly timers = new Map<number, { at: number; callback: () => void }>()

  now = (): number => this.time
  setTimeout = (callback: () => void, ms: number): unknown => {
    const id = this.#next++
    this.timers.set(id, { at: this.time + ms, callback })
    return id
  }
  clearTimeout = (handle: unknown): void => {
    this.timers.delete(handle as number)
  }

  /** Moves time forward by `ms`, running due timers in order. */
  advance(ms: number): void {
    const end = this.time + ms
    for (;;) {
      let first: [number, { at: number; callback: () => void }] | undefined
      for (const entry of this.timers) if (entry[1].at <= end && (!first || entry[1].at < first[1].at)) first = entry
      if (!first) break
      this.timers.delete(first[0])
      this.time = Math.max(this.time, first[1].at)
      first[1].callback()
    }
    this.time = end
  }

  /** The delay of the one pending timer due soonest. */
  nextDelay(): number | undefined {
    let min: number | undefined
    for (const { at } of this.timers.values()) if (min === undefined || at < min) min = at
    return min === undefined ? undefined : min - this.time
  }
}

export { seeded } from '../support.js'
