/**
 * The example platform's webhook sender: every change is signed as a Standard Webhooks delivery and
 * POSTed to each registered receiver, retried with backoff until the receiver answers 2xx — the
 * retries are why receivers need replay protection.
 */
import { standardWebhooks } from '@wirekit/sdk/webhooks'

export interface Delivery {
  id: string
  url: string
  type: string
  attempts: number
  status: 'pending' | 'delivered' | 'failed'
  lastStatus?: number
}

export interface WebhookSenderOptions {
  /** The `whsec_…` secret deliveries are signed with. */
  secret: string
  /** Attempts per delivery before it is marked failed. @default 5 */
  maxAttempts?: number
  /** The first retry delay, in ms; doubled each time. @default 200 */
  retryBase?: number
}

export function createWebhookSender(options: WebhookSenderOptions) {
  const signer = standardWebhooks({ secret: options.secret })
  const maxAttempts = options.maxAttempts ?? 5
  const retryBase = options.retryBase ?? 200
  const receivers = new Set<string>()
  const deliveries: Delivery[] = []
  const inflight = new Set<Promise<void>>()
  const waits = new Map<ReturnType<typeof setTimeout>, () => void>()
  let closed = false
  let sequence = 0

  async function attempt(delivery: Delivery, body: string, headers: Record<string, string>): Promise<void> {
    delivery.attempts++
    try {
      const response = await fetch(delivery.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
        signal: AbortSignal.timeout(5_000),
      })
      delivery.lastStatus = response.status
      await response.body?.cancel()
      if (response.ok) {
        delivery.status = 'delivered'
        return
      }
    } catch {
      // A refused or reset connection is retried like a 5xx.
    }
    if (delivery.attempts >= maxAttempts || closed) {
      delivery.status = 'failed'
      return
    }
    // The same id and signature go out again: a receiver that saw the first one must not act twice.
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        waits.delete(timer)
        resolve()
      }, retryBase * 2 ** (delivery.attempts - 1))
      waits.set(timer, resolve)
    })
    if (closed) {
      delivery.status = 'failed'
      return
    }
    return attempt(delivery, body, headers)
  }

  return {
    deliveries,
    /** Adds a receiver URL; every later change is delivered to it. */
    register(url: string): void {
      receivers.add(new URL(url).href)
    },
    /** Signs `data` as a `type` event and delivers it to every receiver. */
    async send(type: string, data: unknown): Promise<void> {
      const id = `msg_${String(++sequence).padStart(8, '0')}`
      const body = JSON.stringify({ type, timestamp: new Date().toISOString(), data })
      const headers = await signer.sign(body, { id })
      for (const url of receivers) {
        const delivery: Delivery = { id, url, type, attempts: 0, status: 'pending' }
        deliveries.push(delivery)
        const run = attempt(delivery, body, headers).finally(() => inflight.delete(run))
        inflight.add(run)
      }
    },
    /** Resolves when every delivery so far has been delivered or has failed for good. */
    async settle(): Promise<void> {
      while (inflight.size > 0) await Promise.all([...inflight])
    },
    /** Stops retrying: deliveries still waiting for a retry are marked failed, and `settle()` returns. */
    close(): void {
      closed = true
      for (const [timer, resolve] of waits) {
        clearTimeout(timer)
        resolve()
      }
      waits.clear()
    },
  }
}
