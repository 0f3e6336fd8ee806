import { describe, expect, it } from 'vitest'
import { createChannels } from '../../src/realtime/channels.js'
import type { RealtimeError, StandardSchemaV1 } from '../../src/core/index.js'
import type { Gap } from '../../src/realtime/index.js'
import type { Sink } from '../../src/realtime/subscription.js'
import type { SchemaMap } from '../../src/realtime/options.js'

type Seen = Array<[string, unknown]>

/** A sink that records what reaches it. */
function recorder(seen: Seen, onError = true): Sink<any> {
  return {
    event: (event) => seen.push(['event', event.data]),
    gap: (gap) => seen.push(['gap', gap.reason]),
    error: (error) => (onError ? (seen.push(['error', (error as { code: string }).code]), true) : false),
    ready: (error) => seen.push(['ready', error === undefined ? 'ok' : (error as { code: string }).code]),
    end: (error) => seen.push(['end', error === undefined ? 'ok' : (error as { code: string }).code]),
  }
}

const event = (offset: number, data: unknown, epoch = 'e1', name = 'n') => ({ type: 'event' as const, channel: 'c', offset: String(offset), epoch, name, data })
const subscribed = (id: string, offset: number, recovered: boolean, epoch = 'e1') =>
  ({ type: 'subscribed' as const, id, channel: 'c', offset: String(offset), epoch, recovered })

/** A Standard Schema whose validations wait until the test releases them; negative numbers fail. */
function held() {
  const waiting: Array<() => void> = []
  const schema: StandardSchemaV1 = {
    '~standard': {
      version: 1,
      vendor: 'test',
      validate: (value) =>
        new Promise((resolve) => waiting.push(() => resolve((value as number) < 0 ? { issues: [{ message: 'negative' }] } : { value: (value as number) * 10 }))),
    },
  }
  return { schema, waiting }
}

function table(schemas: SchemaMap = {}) {
  const reported: Array<Gap | string> = []
  const channels = createChannels(schemas, (event, detail) => reported.push(event === 'gap' ? (detail as Gap) : (detail as RealtimeError).code))
  return { channels, reported }
}

describe('channel table', () => {
  it('accepts events only once the current subscribe is confirmed, in offset order, never twice', () => {
    const { channels } = table()
    const seen: Seen = []
    const ch = channels.add('c', recorder(seen), undefined)!
    ch.subId = 's1'
    channels.deliver(event(1, 'early'))
    channels.confirm(subscribed('other', 0, false))
    expect(ch.live).toBe(false)
    channels.confirm(subscribed('s1', 0, false))
    for (const offset of [1, 2, 2, 1, 3]) channels.deliver(event(offset, offset))
    expect(seen).toEqual([['ready', 'ok'], ['event', 1], ['event', 2], ['event', 3]])
    expect(channels.byName.get('c')!.position).toEqual({ offset: '3', epoch: 'e1' })
  })

  it('signals a gap before anything newer: skipped offsets, a new epoch, or history the server lost', () => {
    const { channels, reported } = table()
    const seen: Seen = []
    const ch = channels.add('c', recorder(seen), { offset: '5', epoch: 'e1' })!
    ch.subId = 's1'
    channels.confirm(subscribed('s1', 9, false, 'e2'))
    channels.deliver(event(10, 'a', 'e2'))
    channels.deliver(event(12, 'b', 'e2'))
    channels.deliver(event(1, 'c', 'e3'))
    expect(seen).toEqual([
      ['gap', 'history_lost'],
      ['ready', 'ok'],
      ['event', 'a'],
      ['gap', 'offset_skipped'],
      ['event', 'b'],
      ['gap', 'epoch_changed'],
      ['event', 'c'],
    ])
    expect(reported).toEqual([
      { channel: 'c', reason: 'history_lost', from: { offset: '5', epoch: 'e1' }, epoch: 'e2' },
      { channel: 'c', reason: 'offset_skipped', from: { offset: '10', epoch: 'e2' }, epoch: 'e2' },
      { channel: 'c', reason: 'epoch_changed', from: { offset: '12', epoch: 'e2' }, epoch: 'e3' },
    ])
  })

  it('keeps arrival order when async schemas resolve out of order, gaps included', async () => {
    const { schema, waiting } = held()
    const { channels } = table({ c: { n: schema } })
    const seen: Seen = []
    const ch = channels.add('c', recorder(seen), undefined)!
    ch.subId = 's1'
    channels.confirm(subscribed('s1', 0, false))
    channels.deliver(event(1, 1))
    channels.deliver(event(2, -2))
    channels.deliver(event(4, 2))
    expect(seen).toEqual([['ready', 'ok']])
    // The last validation finishes first, the first one last: delivery still follows arrival.
    for (const release of waiting.reverse()) release()
    await ch.chain
    expect(seen).toEqual([['ready', 'ok'], ['event', 10], ['error', 'invalid_event'], ['gap', 'offset_skipped'], ['event', 20]])
    expect(ch.chain).toBeUndefined()
  })

  it('on a channel with schemas, an event without one or a throwing schema is invalid; one nobody handles is reported', () => {
    const throwing: StandardSchemaV1 = { '~standard': { version: 1, vendor: 'test', validate: () => { throw new Error('boom') } } }
    const { channels, reported } = table({ c: { n: throwing } })
    const seen: Seen = []
    const ch = channels.add('c', recorder(seen, false), undefined)!
    ch.subId = 's1'
    channels.confirm(subscribed('s1', 0, false))
    channels.deliver(event(1, 'x'))
    channels.deliver(event(2, 'y', 'e1', 'other'))
    expect(reported).toEqual(['invalid_event', 'invalid_event'])
    expect(seen).toEqual([['ready', 'ok']])
  })

  it('schemas are looked up as own keys only: a channel named like an Object method is not validated', () => {
    const { channels } = table({})
    const seen: Seen = []
    const ch = channels.add('constructor', recorder(seen), undefined)!
    expect(ch.schemas).toBeUndefined()
  })

  it('adds and removes subscriptions; the first creates the channel, the last removes it', () => {
    const { channels } = table()
    const a = recorder([])
    const b = recorder([])
    expect(channels.add('c', a, undefined)).toBeDefined()
    expect(channels.add('c', b, undefined)).toBeUndefined()
    expect(channels.remove('c', a)).toBeUndefined()
    expect(channels.remove('c', a)).toBeUndefined()
    expect(channels.remove('c', b)?.name).toBe('c')
    expect(channels.byName.size).toBe(0)
  })

  it('a refused subscribe ends that channel; reset() makes every channel wait for a new subscribe; unready() fails ready, endAll() ends all', () => {
    const { channels } = table()
    const seen: Seen = []
    const ch = channels.add('c', recorder(seen), undefined)!
    ch.subId = 's1'
    expect(channels.refuse('s2', new Error('x') as never)).toBe(false)
    channels.confirm(subscribed('s1', 0, false))
    channels.reset()
    expect(ch).toMatchObject({ live: false, subId: undefined })
    channels.unready({ code: 'connect_failed' } as never)
    ch.subId = 's3'
    expect(channels.refuse('s3', { code: 'forbidden' } as never)).toBe(true)
    expect(channels.byName.size).toBe(0)
    const other: Seen = []
    channels.add('d', recorder(other), undefined)
    channels.endAll()
    expect(seen).toEqual([['ready', 'ok'], ['ready', 'connect_failed'], ['end', 'forbidden']])
    expect(other).toEqual([['end', 'ok']])
    expect(channels.byName.size).toBe(0)
  })
})
