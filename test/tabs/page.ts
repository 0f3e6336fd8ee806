// The page every tab of the Chromium suite loads: a shared client from @wirekit/sdk/realtime/tabs,
// configured from the query string, reporting what it delivers to the Node test through bindings.
import { createSharedRealtimeClient } from '../../src/realtime/tabs/index.js'

declare global {
  interface Window {
    wkReady(channel: string): void
    wkRole(role: string): void
    wk: {
      publish(count: number): Promise<number>
      published: Promise<void>[]
      /** Offsets delivered in this page load, per channel. */
      log: Record<string, number[]>
    }
  }
}

const params = new URLSearchParams(location.search)
const client = createSharedRealtimeClient({
  realtimeUrl: params.get('url')!,
  realtime: { backoff: { base: 20, cap: 200 }, tabs: { name: params.get('name')!, persist: params.has('persist') } },
})
client.on('role', (role) => window.wkRole(role))
// With `session`, every delivery is also counted in sessionStorage (synchronous, kept across reloads
// of this tab): what the app saw across reloads, counted by the app itself, not by a report in flight.
const session = params.has('session')
window.wk = {
  published: [],
  log: {},
  /** Publishes `count` events on `out`, each with its own number; returns how many were made. */
  async publish(count) {
    for (let i = 0; i < count; i++) window.wk.published.push(client.publish('out', 'made', { i }).catch(() => {}))
    // The queue is saved when the publishes are made; this waits for the writes to be handed to IndexedDB.
    await client.started()
    return count
  },
}
for (const channel of (params.get('channels') ?? '').split(',').filter(Boolean)) {
  const log: number[] = (window.wk.log[channel] = [])
  const sub = client.subscribe(channel, (event) => {
    const offset = Number(event.offset)
    log.push(offset)
    if (session) {
      const key = `seen:${channel}:${offset}`
      sessionStorage.setItem(key, String(Number(sessionStorage.getItem(key) ?? 0) + 1))
    }
  })
  void sub.ready.then(() => window.wkReady(channel))
}
