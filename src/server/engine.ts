/**
 * The one interface every engine implements (memory, and later Redis). The connection code of the
 * server talks only to this, the way socket.io's adapters and Centrifugo's engines are cut.
 */
import type { StreamPosition } from '../core/protocol.js'

/** One stored event, as an engine keeps it and the server sends it. */
export interface StoredEvent {
  /** The channel it was published on. */
  channel: string
  /** Its offset in the channel: a decimal string counting from `"1"` within the epoch. */
  offset: string
  /** The channel's epoch when it was stored. */
  epoch: string
  /** The event name. */
  name: string
  /** The payload, as published. */
  data: unknown
}

/** What {@link Engine.publish} reports: the event, and whether its publish id had already taken effect. */
export interface PublishResult {
  /** The stored event (for a duplicate: where the first publish with this id landed, `name`/`data` as first stored). */
  event: Pick<StoredEvent, 'channel' | 'offset' | 'epoch'>
  /** True when the publish id was already accepted: nothing was appended this time. */
  duplicate: boolean
}

/** What {@link Engine.recover} answers for a subscribe. */
export interface Recovery {
  /** The channel's head now: the offset of its newest event (`"0"` before the first) and its epoch. */
  head: StreamPosition
  /** Every event after `from`, oldest first, or `undefined` when they cannot all be replayed. */
  missed: StoredEvent[] | undefined
}

/** Called with every new event of a channel, in offset order, exactly once per event. */
export type EventListener = (event: StoredEvent) => void

/**
 * Storage and fan-out of channel events. Implementations: the in-process memory engine (the default)
 * and engines over shared storage for several processes.
 *
 * @example
 * const engine = createMemoryEngine({ history: { events: 1000 } })
 * const server = createRealtimeServer({ engine, port: 0 })
 */
export interface Engine {
  /**
   * Appends an event at the channel's next offset and fans it out to every listener. With `id`, the
   * append happens at most once per `(channel, id)` while the engine remembers the id.
   */
  publish(channel: string, name: string, data: unknown, id?: string): Promise<PublishResult>
  /** The channel's head and, when `from` is given, every event after it if the history still holds them all. */
  recover(channel: string, from?: StreamPosition): Promise<Recovery>
  /** Starts calling `listener` with the channel's new events; returns the function that stops it. */
  listen(channel: string, listener: EventListener): Promise<() => void>
  /** Releases what the engine holds (timers, connections it opened itself). */
  close(): Promise<void>
}
