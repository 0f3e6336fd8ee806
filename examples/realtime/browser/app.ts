/**
 * A browser page that shows orders as they happen. The connection opens on the first subscribe,
 * comes back by itself (at once when the network returns or the tab is shown again), and resumes
 * without losing or repeating an order. The realtime endpoint is this origin's /realtime, unless the
 * page names another in <meta name="wirekit-realtime-url">.
 */
import { createRealtimeClient } from '@wirekit/sdk/realtime'

type Events = { orders: { created: { id: number; total: number }; cancelled: { id: number } } }

const status = document.querySelector<HTMLParagraphElement>('#status')!
const list = document.querySelector<HTMLUListElement>('#orders')!

const realtime = createRealtimeClient<Events>({
  realtimeUrl:
    document.querySelector<HTMLMetaElement>('meta[name="wirekit-realtime-url"]')?.content ??
    new URL('/realtime', location.href.replace(/^http/, 'ws')).href,
  // A token provider: called on every (re)connect, and again when the server says it expired.
  auth: async () => {
    const response = await fetch('/session/realtime-token', { credentials: 'include' })
    return (await response.json()) as { token: string; expiresIn: number }
  },
})

realtime.on('state', (change) => {
  status.dataset.state = change.state
  status.textContent = change.state === 'reconnecting' ? `reconnecting in ${Math.round((change.delay ?? 0) / 1000)} s` : change.state
})

realtime.subscribe('orders', {
  onEvent(event) {
    const item = document.createElement('li')
    item.textContent = event.name === 'created' ? `#${event.data.id} created — ${event.data.total}` : `#${event.data.id} cancelled`
    list.prepend(item)
  },
  async onGap() {
    // Events were lost for good (the server's history did not reach back far enough): reload the list.
    const response = await fetch('/api/orders?limit=50')
    const orders = (await response.json()) as Array<{ id: number; total: number }>
    list.replaceChildren(...orders.map((order) => Object.assign(document.createElement('li'), { textContent: `#${order.id} — ${order.total}` })))
  },
})

addEventListener('pagehide', () => realtime.close())
