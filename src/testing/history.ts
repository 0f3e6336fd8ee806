import type { StreamPosition } from '../core/protocol.js'

/** One event as the reference server stores and sends it. */
export interface StoredEvent {
  /** The channel it was published on. */
  channel: string
  /** Its offset in the channel, a decimal string counting from `"1"` within the epoch. */
  offset: string
  /** The channel's epoch when it was stored. */
  epoch: string
  /** The event name. */
  name: string
  /** The payload, as published. */
  data: unknown
}

/**
 * One channel's bounded history. Offsets count up by exactly one from 1 within an epoch; losing the
 * history starts a new epoch, so a client resuming from the old one is told it missed events.
 */
export class ChannelHistory {
  /** The channel this history belongs to. */
  readonly channel: string
  /** The current epoch, a random string; {@link ChannelHistory.lose} replaces it. */
  epoch: string
  /** The offset of the newest event; 0 before the first. */
  head = 0
  readonly #limit: number
  #events: StoredEvent[] = []

  constructor(channel: string, limit: number) {
    this.channel = channel
    this.#limit = limit
    this.epoch = newEpoch()
  }

  /** Stores an event at the next offset and returns it; the oldest events are trimmed past the limit. */
  append(name: string, data: unknown): StoredEvent {
    this.head += 1
    const event: StoredEvent = { channel: this.channel, offset: String(this.head), epoch: this.epoch, name, data }
    this.#events.push(event)
    // Trim in chunks so a full history does not shift the array on every append.
    if (this.#events.length > this.#limit * 1.25) this.#events = this.#events.slice(-this.#limit)
    return event
  }

  /**
   * Every event after `from`, oldest first, when this history can prove it still has all of them;
   * `undefined` when it cannot (another epoch, an offset ahead of the head, or events trimmed away).
   */
  since(from: StreamPosition): StoredEvent[] | undefined {
    if (from.epoch !== this.epoch) return undefined
    const after = Number(from.offset)
    if (!Number.isSafeInteger(after) || after > this.head) return undefined
    if (after === this.head) return []
    const oldest = this.head - Math.min(this.#events.length, this.#limit) + 1
    if (after + 1 < oldest) return undefined
    return this.#events.slice(this.#events.length - (this.head - after))
  }

  /** Forgets everything: a new epoch, offsets counting from 1 again. */
  lose(): void {
    this.epoch = newEpoch()
    this.head = 0
    this.#events = []
  }
}

function newEpoch(): string {
  return Math.random().toString(36).slice(2, 10)
}
