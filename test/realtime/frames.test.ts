import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compareOffsets, nextOffset } from '../../src/core/protocol.js'
import { parseServerFrame } from '../../src/realtime/frames.js'
import { judge } from '../../src/realtime/resume.js'

const offset = fc.bigInt({ min: 0n, max: 2n ** 70n }).map(String)
const epoch = fc.string({ minLength: 1, maxLength: 8 })

describe('parseServerFrame', () => {
  it('never throws, whatever the text', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.json(), fc.anything()), (text) => {
      parseServerFrame(text)
    }))
  })

  it('accepts every well-formed frame and returns it unchanged', () => {
    const frame = fc.oneof(
      fc.record({ type: fc.constant('event'), channel: fc.string(), offset, epoch, name: fc.string(), data: fc.jsonValue() }),
      fc.record({ type: fc.constant('subscribed'), id: fc.string(), channel: fc.string(), offset, epoch, recovered: fc.boolean() }),
      fc.record({ type: fc.constant('ack'), id: fc.string() }),
      fc.record({ type: fc.constant('error'), id: fc.string(), code: fc.string(), message: fc.string() }),
      fc.record({ type: fc.constant('welcome'), heartbeatMs: fc.integer({ min: 0 }) }),
      fc.record({ type: fc.constant('reconnect'), afterMs: fc.integer({ min: 0 }) }),
      fc.record({ type: fc.constant('pong'), t: fc.integer() }),
    )
    fc.assert(fc.property(frame, (f) => {
      expect(parseServerFrame(JSON.stringify(f))).toEqual(JSON.parse(JSON.stringify(f)))
    }))
  })

  it('refuses malformed known frames and unknown types', () => {
    const bad = [
      '{"type":"event","channel":"a","offset":"01","epoch":"e","name":"n"}',
      '{"type":"event","channel":"a","offset":1,"epoch":"e","name":"n"}',
      '{"type":"event","channel":"a","offset":"-1","epoch":"e","name":"n"}',
      '{"type":"subscribed","id":"s","channel":"a","offset":"1","epoch":"e"}',
      '{"type":"reconnect","afterMs":-5}',
      '{"type":"welcome"}',
      '{"type":"ack"}',
      '{"type":"from-the-future","x":1}',
      'null',
      '[1,2]',
      '{"type"',
    ]
    for (const text of bad) expect(parseServerFrame(text), text).toBeUndefined()
  })
})

describe('offsets', () => {
  it('compare and increment exactly, past 2^53 too', () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: 2n ** 80n }), fc.bigInt({ min: 0n, max: 2n ** 80n }), (a, b) => {
      expect(Math.sign(compareOffsets(String(a), String(b)))).toBe(a < b ? -1 : a > b ? 1 : 0)
      expect(nextOffset(String(a))).toBe(String(a + 1n))
    }))
  })
})

describe('resume state machine', () => {
  it('delivers each event exactly once and in order, and flags every break, whatever the server repeats or reorders', () => {
    // A server stream: epochs in sequence; within one, offsets 1..n. The transport may repeat any
    // earlier stretch (a replay after reconnect) and may skip ahead (lost history).
    const stream = fc.array(
      fc.record({ epochChange: fc.boolean(), count: fc.integer({ min: 1, max: 20 }), replayBack: fc.integer({ min: 0, max: 25 }), skip: fc.integer({ min: 0, max: 3 }) }),
      { maxLength: 30 },
    )
    fc.assert(fc.property(stream, (steps) => {
      let epochNo = 0
      let head = 0
      const sent: Array<{ offset: string; epoch: string }> = []
      let thisEpoch: number[] = []
      for (const step of steps) {
        if (step.epochChange) {
          epochNo += 1
          head = 0
          thisEpoch = []
        }
        head += step.skip
        for (let i = 0; i < step.count; i++) {
          thisEpoch.push(++head)
          sent.push({ offset: String(head), epoch: `e${epochNo}` })
        }
        // A replay of the latest events of this epoch, as after a reconnect.
        for (const o of thisEpoch.slice(-step.replayBack)) sent.push({ offset: String(o), epoch: `e${epochNo}` })
      }
      let last: { offset: string; epoch: string } | undefined
      const delivered: string[] = []
      let gaps = 0
      for (const event of sent) {
        // The first event is delivered as it comes; the client judges only once a position is known.
        const verdict = last && judge(last, event.offset, event.epoch)
        if (verdict === 'stale') continue
        if (verdict) gaps += 1
        delivered.push(`${event.epoch}/${event.offset}`)
        last = event
      }
      // Exactly once, in the order first sent.
      const firstSeen = [...new Set(sent.map((e) => `${e.epoch}/${e.offset}`))]
      expect(delivered).toEqual(firstSeen)
      // A gap is flagged exactly at each epoch change after the first event and each skip.
      let expectedGaps = 0
      let prev: { offset: string; epoch: string } | undefined
      for (const key of firstSeen) {
        const [e, o] = key.split('/') as [string, string]
        if (prev && (prev.epoch !== e || Number(o) !== Number(prev.offset) + 1)) expectedGaps += 1
        prev = { epoch: e, offset: o }
      }
      expect(gaps).toBe(expectedGaps)
    }))
  })

  it('regression: an event equal to the last offset is stale, not a gap', () => {
    expect(judge({ offset: '5', epoch: 'a' }, '5', 'a')).toBe('stale')
    expect(judge({ offset: '9', epoch: 'a' }, '10', 'a')).toBeUndefined()
    expect(judge({ offset: '9', epoch: 'a' }, '12', 'a')).toBe('offset_skipped')
    expect(judge({ offset: '9', epoch: 'a' }, '10', 'b')).toBe('epoch_changed')
  })
})
