/**
 * Internal: the bounded queue of publishes not yet acknowledged. No timers or sockets: the engine
 * passes the time in, sends what `flush` hands it, and arms one timer for the deadline `expire`
 * returns.
 */
import type { RealtimeError } from '../core/errors.js'
import { fail } from './fail.js'

interface Entry {
  /** The encoded publish frame, resent unchanged (same id) after a reconnect. */
  readonly text: string
  readonly expiresAt: number
  /** Sent on the current connection; unsent ones wait for the next and may expire. */
  sent: boolean
  resolve(): void
  reject(error: RealtimeError): void
}

/** At most `size` publishes at once, each waiting for a connection at most `ttlMs` since it was added. */
export interface PublishQueue {
  /** Publishes not yet acknowledged, sent or not. */
  pending(): number
  /** Queues a publish at time `at`; settles on its ack. Rejects at once with `queue_full` when `size` are waiting. */
  add(id: string, text: string, at: number): Promise<void>
  /** Settles one publish from the server's `ack` (no error) or `error` frame; false when the id is unknown. */
  settle(id: string, error?: RealtimeError): boolean
  /** Hands every unsent publish to `send`, in publish order, and marks it sent. */
  flush(send: (text: string) => void): void
  /** The connection ended: whatever was sent may not have arrived, so all of it goes again on the next. */
  unsend(): void
  /** Rejects unsent publishes whose deadline is `at` or earlier with `publish_expired`; returns the next deadline, if any. */
  expire(at: number): number | undefined
  /** Rejects every publish with `error` and empties the queue. */
  clear(error: RealtimeError): void
}

export function createPublishQueue({ size, ttlMs }: { readonly size: number; readonly ttlMs: number }): PublishQueue {
  /** By id, in publish order. */
  const entries = new Map<string, Entry>()
  return {
    pending: () => entries.size,

    add: (id, text, at) =>
      entries.size >= size
        ? Promise.reject(fail(`publish refused: ${size} publishes are already waiting for an ack`, 'queue_full'))
        : new Promise((resolve, reject) => entries.set(id, { text, expiresAt: at + ttlMs, sent: false, resolve, reject })),

    settle(id, error) {
      const entry = entries.get(id)
      if (!entry) return false
      entries.delete(id)
      if (error) entry.reject(error)
      else entry.resolve()
      return true
    },

    flush(send) {
      for (const entry of entries.values()) {
        if (entry.sent) continue
        entry.sent = true
        send(entry.text)
      }
    },

    unsend() {
      for (const entry of entries.values()) entry.sent = false
    },

    expire(at) {
      let next = Infinity
      for (const [id, entry] of entries) {
        if (entry.sent) continue
        if (entry.expiresAt > at) next = Math.min(next, entry.expiresAt)
        else {
          entries.delete(id)
          entry.reject(fail(`publish expired after ${ttlMs} ms without a connection`, 'publish_expired'))
        }
      }
      return next < Infinity ? next : undefined
    },

    clear(error) {
      for (const entry of entries.values()) entry.reject(error)
      entries.clear()
    },
  }
}
