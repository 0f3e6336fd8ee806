/**
 * The default engine: every channel's history in this process's memory, bounded by count and/or age.
 * No other software needed; one process only (use a shared engine to run several).
 */
import type { StreamPosition } from '../core/protocol.js'
import { MEMORY_ENGINE_OPTIONS, type MemoryEngineOptions } from './options.js'
import type { Engine, EventListener, PublishResult, Recovery, StoredEvent } from './engine.js'

/** Where one channel stands, read synchronously from the memory engine. */
export interface ChannelState {
  /** The channel name. */
  readonly channel: string
  /** Its current epoch; a lost history gets a new one. */
  readonly epoch: string
  /** The offset of its newest event, as a number; 0 before the first. */
  readonly head: number
  /** How many events its history holds now. */
  readonly retained: number
}

/**
 * The memory engine, with synchronous access for code in the same process (tests, a single-process
 * app that wants the stored event at once).
 */
export interface MemoryEngine extends Engine {
  /** Like {@link Engine.publish}, synchronously: the event is stored and fanned out before it returns. */
  append(channel: string, name: string, data: unknown, id?: string): PublishResult
  /** Where a channel stands now (an unknown channel is reported empty, in the epoch it will get). */
  state(channel: string): ChannelState
  /** Forgets a channel's history: a new epoch begins, so a resuming client is told of a gap. */
  lose(channel: string): void
}

interface Channel {
  name: string
  epoch: string
  head: number
  /** Stored events, oldest first, each with the time it was stored. */
  events: Array<{ event: StoredEvent; at: number }>
  /** Index of the oldest retained event in `events` (trimmed lazily, in chunks). */
  start: number
  listeners: Set<EventListener>
}

/**
 * Creates the in-process engine (the server's default).
 *
 * @example
 * const engine = createMemoryEngine({ history: { events: 500, ageMs: 60_000 } })
 * const server = createRealtimeServer({ engine, server: httpServer })
 */
export function createMemoryEngine(options: MemoryEngineOptions = {}): MemoryEngine {
  const config = MEMORY_ENGINE_OPTIONS(options, '')
  const now = config.clock
  const channels = new Map<string, Channel>()
  // Accepted publish ids, oldest first (Map keeps insertion order): bounded by count and age.
  const accepted = new Map<string, { offset: string; epoch: string; channel: string; at: number }>()

  function channel(name: string): Channel {
    let found = channels.get(name)
    if (!found) channels.set(name, (found = { name, epoch: newEpoch(), head: 0, events: [], start: 0, listeners: new Set() }))
    return found
  }

  function trim(ch: Channel): void {
    const { events: maxEvents, ageMs } = config.history
    let start = Math.max(ch.start, ch.events.length - maxEvents)
    if (ageMs !== false) {
      const oldest = now() - ageMs
      while (start < ch.events.length && ch.events[start]!.at < oldest) start++
    }
    ch.start = start
    // Compact in chunks so a full history does not shift the array on every append.
    if (ch.start > 1024 && ch.start * 2 > ch.events.length) {
      ch.events = ch.events.slice(ch.start)
      ch.start = 0
    }
  }

  function forgetOldIds(): void {
    const { count, ageMs } = config.publishIds
    const oldest = now() - ageMs
    for (const [key, entry] of accepted) {
      if (accepted.size <= count && entry.at >= oldest) break
      accepted.delete(key)
    }
  }

  function append(name: string, eventName: string, data: unknown, id?: string): PublishResult {
    const key = id === undefined ? undefined : `${name}\u0000${id}`
    if (key !== undefined) {
      const first = accepted.get(key)
      if (first) return { event: { channel: name, offset: first.offset, epoch: first.epoch }, duplicate: true }
    }
    const ch = channel(name)
    ch.head += 1
    const event: StoredEvent = { channel: name, offset: String(ch.head), epoch: ch.epoch, name: eventName, data }
    const at = now()
    ch.events.push({ event, at })
    trim(ch)
    if (key !== undefined) {
      accepted.set(key, { offset: event.offset, epoch: event.epoch, channel: name, at })
      forgetOldIds()
    }
    for (const listener of ch.listeners) listener(event)
    return { event, duplicate: false }
  }

  function since(ch: Channel, from: StreamPosition): StoredEvent[] | undefined {
    if (from.epoch !== ch.epoch) return undefined
    const after = Number(from.offset)
    if (!Number.isSafeInteger(after) || after < 0 || after > ch.head) return undefined
    if (after === ch.head) return []
    trim(ch)
    const retained = ch.events.length - ch.start
    if (after + 1 < ch.head - retained + 1) return undefined
    return ch.events.slice(ch.events.length - (ch.head - after)).map((entry) => entry.event)
  }

  return {
    append,
    async publish(name, eventName, data, id) {
      return append(name, eventName, data, id)
    },
    async recover(name, from): Promise<Recovery> {
      const ch = channel(name)
      return { head: { offset: String(ch.head), epoch: ch.epoch }, missed: from ? since(ch, from) : [] }
    },
    async listen(name, listener) {
      const ch = channel(name)
      ch.listeners.add(listener)
      return () => ch.listeners.delete(listener)
    },
    state(name) {
      const ch = channel(name)
      trim(ch)
      return { channel: name, epoch: ch.epoch, head: ch.head, retained: ch.events.length - ch.start }
    },
    lose(name) {
      const ch = channel(name)
      ch.epoch = newEpoch()
      ch.head = 0
      ch.events = []
      ch.start = 0
    },
    async close() {
      channels.clear()
      accepted.clear()
    },
  }
}

/** A fresh epoch: random, so two processes (or two runs) never share one by accident. */
export function newEpoch(): string {
  return crypto.randomUUID().slice(0, 8)
}
