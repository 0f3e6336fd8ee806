import { RealtimeError } from '../core/errors.js'

interface Entry {
  readonly text: string
  readonly expiresAt: number
  sent: boolean
  resolve(): void
  reject(error: RealtimeError): void
}

/**
 * Publishes not yet acknowledged, in publish order. Bounded by count; each entry has a deadline
 * that applies while it waits for a connection. Nothing leaves it without its promise settling.
 */
export class PublishQueue {
  readonly #entries = new Map<string, Entry>()
  readonly #size: number
  readonly #ttl: number

  constructor(size: number, ttlMs: number) {
    this.#size = size
    this.#ttl = ttlMs
  }

  get size(): number {
    return this.#entries.size
  }

  /** Adds a publish; rejects at once with `queue_full` when `size` are already waiting. */
  add(id: string, text: string, now: number): Promise<void> {
    if (this.#entries.size >= this.#size) {
      return Promise.reject(
        new RealtimeError(`publish refused: ${this.#size} publishes are already waiting for an ack`, { code: 'queue_full' }),
      )
    }
    return new Promise((resolve, reject) => {
      this.#entries.set(id, { text, expiresAt: now + this.#ttl, sent: false, resolve, reject })
    })
  }

  /** Settles one publish from the server's `ack` (no error) or `error` frame. False when unknown. */
  settle(id: string, error?: RealtimeError): boolean {
    const entry = this.#entries.get(id)
    if (!entry) return false
    this.#entries.delete(id)
    if (error) entry.reject(error)
    else entry.resolve()
    return true
  }

  /** Every unsent publish, in order, marked sent. Called once a connection is ready. */
  *drain(): Generator<string> {
    for (const entry of this.#entries.values()) {
      if (entry.sent) continue
      entry.sent = true
      yield entry.text
    }
  }

  /** The connection is gone: whatever was sent may not have arrived, so all of it goes again. */
  unsend(): void {
    for (const entry of this.#entries.values()) entry.sent = false
  }

  /** Rejects unsent publishes past their deadline; returns the next deadline, if any. */
  expire(now: number): number | undefined {
    let next: number | undefined
    for (const [id, entry] of this.#entries) {
      if (entry.sent) continue
      if (entry.expiresAt <= now) {
        this.#entries.delete(id)
        entry.reject(new RealtimeError(`publish expired after ${this.#ttl} ms without a connection`, { code: 'publish_expired' }))
      } else if (next === undefined || entry.expiresAt < next) next = entry.expiresAt
    }
    return next
  }

  /** Rejects everything: the client closed or failed. */
  clear(error: RealtimeError): void {
    const entries = [...this.#entries.values()]
    this.#entries.clear()
    for (const entry of entries) entry.reject(error)
  }
}
