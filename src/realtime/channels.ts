/**
 * Internal: the channel table. Which channels the client holds, where each stands, and delivery:
 * events in offset order and never twice (`judge`), a gap signalled before anything newer, payloads
 * validated by the channel's Standard Schemas, and async validations kept in arrival order.
 * No socket: the engine sends the subscribe frames and passes the server's frames in.
 */
import type { RealtimeError } from '../core/errors.js'
import { type StandardSchemaResult, type StandardSchemaV1, formatIssuePath } from '../core/schema.js'
import type { ServerFrame, StreamPosition } from '../core/protocol.js'
import type { SchemaMap } from './options.js'
import { fail } from './fail.js'
import { judge } from './resume.js'
import type { Sink } from './subscription.js'
import type { Gap } from './types.js'

type Frame<T extends ServerFrame['type']> = Extract<ServerFrame, { type: T }>

/** One channel the client holds, with every subscription to it. */
export interface Channel {
  readonly name: string
  /** The last position delivered; always set once the channel is live. */
  position: StreamPosition | undefined
  readonly sinks: Set<Sink<any>>
  /** The id of the subscribe frame in flight or confirmed on the current connection. */
  subId?: string | undefined
  /** The server confirmed `subId`; events are accepted only then. */
  live: boolean
  /** The channel's event schemas from `realtime.schemas`; undefined when it has none. */
  readonly schemas: { readonly [name: string]: StandardSchemaV1 } | undefined
  /** Pending async schema validations; later deliveries queue behind them to keep order. */
  chain?: Promise<void> | undefined
}

/**
 * Where the table reports what is not tied to one subscription (the client's `emit`): `gap` when a
 * channel missed events, in delivery order, before the sinks' `gap`; `error` for an invalid event
 * that no subscription's `onError` took.
 */
export type ChannelEvents = (event: 'gap' | 'error', detail: Gap | RealtimeError) => unknown

/** The channels of one client. */
export interface Channels {
  /** The channels with at least one subscription, by name. */
  readonly byName: ReadonlyMap<string, Channel>
  /** Adds a subscription; returns the channel when this created it (it needs a subscribe frame). */
  add(name: string, sink: Sink<any>, from: StreamPosition | undefined): Channel | undefined
  /** Removes a subscription; returns the channel when that was its last one (the server should hear). */
  remove(name: string, sink: Sink<any>): Channel | undefined
  /** The server confirmed a subscribe; a stale confirmation (another id) is ignored. */
  confirm(frame: Frame<'subscribed'>): void
  /**
   * The server refused the subscribe `id` (or, without `error`, completed it): that channel ends and is
   * not retried. False when no channel waits on `id`.
   */
  refuse(id: string, error?: RealtimeError): boolean
  /** One event: dropped when stale, else a gap first if one is due, then validated and delivered in order. */
  deliver(frame: Frame<'event'>): void
  /** The connection ended: every channel must be subscribed again on the next. */
  reset(): void
  /** Rejects `ready` of every subscription not yet confirmed; they stay and go live when a connection opens. */
  unready(error: RealtimeError): void
  /** Ends every subscription (with `error` after a failure) and empties the table. */
  endAll(error?: RealtimeError): void
}

/** Makes the channel table of one client, validating payloads with `schemas` and reporting to `events`. */
export function createChannels(schemas: SchemaMap, report: ChannelEvents): Channels {
  const byName = new Map<string, Channel>()

  const gap = (ch: Channel, reason: Gap['reason'], epoch: string) => {
    const gap: Gap = { channel: ch.name, reason, from: { ...ch.position! }, epoch }
    inOrder(ch, () => {
      report('gap', gap)
      for (const sink of ch.sinks) sink.gap(gap)
    })
  }

  const invalid = (ch: Channel, frame: Frame<'event'>, issues: ReadonlyArray<{ message: string; path?: any }>) => {
    const detail = issues.map((item) => `${formatIssuePath(item)}: ${item.message}`).join('; ')
    const error = fail(`event "${frame.name}" on "${ch.name}" at offset ${frame.offset} is invalid: ${detail}`, 'invalid_event', { cause: issues })
    let handled = false
    for (const sink of ch.sinks) if (sink.error(error)) handled = true
    if (!handled) report('error', error)
  }

  /** Runs deliveries in arrival order, also when an async schema made an earlier one wait. */
  const inOrder = (ch: Channel, step: () => void | Promise<void>) => {
    const pending = ch.chain ? ch.chain.then(step) : step()
    if (!pending) return
    const chain: Promise<void> = pending.then(() => {
      if (ch.chain === chain) ch.chain = undefined
    })
    ch.chain = chain
  }

  return {
    byName,

    add(name, sink, from) {
      const existing = byName.get(name)
      if (existing) {
        existing.sinks.add(sink)
        if (existing.live) sink.ready()
        return undefined
      }
      const created: Channel = {
        name,
        position: from && { ...from },
        sinks: new Set([sink]),
        live: false,
        // perf: docs/performance.md#realtime-schemas-looked-up-per-channel
        schemas: Object.hasOwn(schemas, name) ? schemas[name] : undefined,
      }
      byName.set(name, created)
      return created
    },

    remove(name, sink) {
      const ch = byName.get(name)
      if (!ch?.sinks.delete(sink) || ch.sinks.size > 0) return undefined
      byName.delete(name)
      return ch
    },

    confirm(frame) {
      const ch = byName.get(frame.channel)
      if (!ch || ch.subId !== frame.id) return
      ch.live = true
      const last = ch.position
      if (!last || !frame.recovered || frame.epoch !== last.epoch) {
        // The missed events are gone: say so before anything newer is delivered.
        if (last) gap(ch, 'history_lost', frame.epoch)
        ch.position = { offset: frame.offset, epoch: frame.epoch }
      }
      for (const sink of ch.sinks) sink.ready()
    },

    refuse(id, error) {
      for (const ch of byName.values()) {
        if (ch.subId !== id) continue
        byName.delete(ch.name)
        for (const sink of ch.sinks) sink.end(error)
        return true
      }
      return false
    },

    deliver(frame) {
      const ch = byName.get(frame.channel)
      if (!ch?.live) return
      const position = ch.position!
      const verdict = judge(position, frame.offset, frame.epoch)
      if (verdict === 'stale') return
      if (verdict) gap(ch, verdict, frame.epoch)
      position.offset = frame.offset
      position.epoch = frame.epoch
      if (!ch.schemas) return inOrder(ch, () => fanOut(ch, frame))
      const schema = Object.hasOwn(ch.schemas, frame.name) ? ch.schemas[frame.name] : undefined
      const check = (result: StandardSchemaResult<unknown>) =>
        result.issues ? invalid(ch, frame, result.issues) : fanOut(ch, { ...frame, data: result.value })
      let result: StandardSchemaResult<unknown> | Promise<StandardSchemaResult<unknown>>
      try {
        result = schema ? schema['~standard'].validate(frame.data) : issue(`no schema for event "${frame.name}"`)
      } catch (error) {
        result = issue(error)
      }
      inOrder(ch, () => (result instanceof Promise ? result.then(check, (error) => check(issue(error))) : check(result)))
    },

    reset() {
      for (const ch of byName.values()) {
        ch.live = false
        ch.subId = undefined
      }
    },

    unready(error) {
      for (const ch of byName.values()) for (const sink of ch.sinks) sink.ready(error)
    },

    endAll(error) {
      const ended = [...byName.values()]
      byName.clear()
      for (const ch of ended) for (const sink of ch.sinks) sink.end(error)
    },
  }
}

const fanOut = (ch: Channel, event: unknown) => {
  for (const sink of ch.sinks) sink.event(event)
}

const issue = (error: unknown) => ({ issues: [{ message: String(error) }] })
