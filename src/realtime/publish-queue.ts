/**
 * Internal: the bounded queue of publishes not yet acknowledged. No timers or sockets: the engine
 * passes the time in, sends what {@link PublishQueue.flush} hands it, and arms one timer for the
 * deadline {@link PublishQueue.expire} returns.
 */
import { RealtimeError } from '../core/errors.js'

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
export class PublishQueue {
  /** By id, in publish order. */
  readonly #entries = new Map<string, Entry>()

  constructor(
    readonly size: number,
    readonly ttlMs: number,
  ) {}

  /** Publishes not yet acknowledged, sent or not. */
  get pending(): number {
    return this.#entries.size
  }

  /** Queues a publish at time `at`; settles on its ack. Rejects at once with `queue_full` when `size` are waiting. */
  add(id: string, text: string, at: number): Promise<void> {
    if (this.#entries.size >= this.size) {
      return Promise.reject(new RealtimeError(`publish refused: ${this.size} publishes are already waiting for an ack`, { code: 'queue_full' }))
    }
    return new Promise((resolve, reject) => this.#entries.set(id, { text, expiresAt: at + this.ttlMs, sent: false, resolve, reject }))
  }

  /** Settles one publish from the server's `ack` (no error) or `error` frame; false when the id is unknown. */
  settle(id: string, error?: RealtimeError): boolean {
    const entry = this.#entries.get(id)
    if (!entry) return false
    this.#entries.delete(id)
    if (error) entry.reject(error)
    else entry.resolve()
    return true
  }

  /** Hands every unsent publish to `send`, in publish order, and marks it sent. */
  flush(send: (text: string) => void): void {
    for (const entry of this.#entries.values()) {
      if (entry.sent) continue
      entry.sent = true
      send(entry.text)
    }
  }

  /** The connection ended: whatever was sent may not have arrived, so all of it goes again on the next. */
  unsend(): void {
    for (const entry of this.#entries.values()) entry.sent = false
  }

  /** Rejects unsent publishes whose deadline is `at` or earlier with `publish_expired`; returns the next deadline, if any. */
  expire(at: number): number | undefined {
    let next = Infinity
    for (const [id, entry] of this.#entries) {
      if (entry.sent) continue
      if (entry.expiresAt > at) next = Math.min(next, entry.expiresAt)
      else {
        this.#entries.delete(id)
        entry.reject(new RealtimeError(`publish expired after ${this.ttlMs} ms without a connection`, { code: 'publish_expired' }))
      }
    }
    return next < Infinity ? next : undefined
  }

  /** Rejects every publish with `error` and empties the queue. */
  clear(error: RealtimeError): void {
    for (const entry of this.#entries.values()) entry.reject(error)
    this.#entries.clear()
  }
}
