import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createPublishQueue } from '../../src/realtime/publish-queue.js'
import { RealtimeError } from '../../src/realtime/index.js'

/** Lets queued promise callbacks run. */
const settled = () => new Promise((resolve) => setTimeout(resolve, 0))

type Command =
  | { do: 'add' }
  | { do: 'ack'; pick: number }
  | { do: 'refuse'; pick: number }
  | { do: 'flush' }
  | { do: 'drop' }
  | { do: 'wait'; ms: number }

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.constant({ do: 'add' as const }),
  fc.record({ do: fc.constant('ack' as const), pick: fc.nat() }),
  fc.record({ do: fc.constant('refuse' as const), pick: fc.nat() }),
  fc.constant({ do: 'flush' as const }),
  fc.constant({ do: 'drop' as const }),
  fc.record({ do: fc.constant('wait' as const), ms: fc.nat({ max: 400 }) }),
)

describe('publish queue', () => {
  it('holds at most `size`, settles each publish once, sends in publish order, and expires only unsent ones past their TTL', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 1_000 }), fc.array(command, { maxLength: 60 }), async (size, ttlMs, commands) => {
        const queue = createPublishQueue({ size, ttlMs })
        // The model: what should be waiting, in order, with its deadline and whether it went out.
        const model: Array<{ id: string; expiresAt: number; sent: boolean }> = []
        const outcomes = new Map<string, string[]>()
        let at = 0
        let next = 0
        for (const step of commands) {
          if (step.do === 'add') {
            const id = `p${next++}`
            const outcome: string[] = []
            outcomes.set(id, outcome)
            const full = model.length >= size
            queue.add(id, `text-${id}`, at).then(
              () => outcome.push('ok'),
              (error: RealtimeError) => outcome.push(error.code),
            )
            if (full) outcome.push('expected queue_full')
            else model.push({ id, expiresAt: at + ttlMs, sent: false })
          } else if (step.do === 'ack' || step.do === 'refuse') {
            const entry = model[step.pick % Math.max(1, model.length)]
            if (!entry) expect(queue.settle('unknown')).toBe(false)
            else {
              expect(queue.settle(entry.id, step.do === 'refuse' ? new RealtimeError('no', { code: 'refused' }) : undefined)).toBe(true)
              model.splice(model.indexOf(entry), 1)
              expect(queue.settle(entry.id)).toBe(false)
            }
          } else if (step.do === 'flush') {
            const sent: string[] = []
            queue.flush((text) => sent.push(text))
            const unsent = model.filter((entry) => !entry.sent)
            expect(sent).toEqual(unsent.map((entry) => `text-${entry.id}`))
            for (const entry of unsent) entry.sent = true
          } else if (step.do === 'drop') {
            queue.unsend()
            for (const entry of model) entry.sent = false
          } else {
            at += step.ms
            const deadline = queue.expire(at)
            const expired = model.filter((entry) => !entry.sent && entry.expiresAt <= at)
            for (const entry of expired) model.splice(model.indexOf(entry), 1)
            const waiting = model.filter((entry) => !entry.sent).map((entry) => entry.expiresAt)
            expect(deadline).toBe(waiting.length > 0 ? Math.min(...waiting) : undefined)
            for (const entry of expired) outcomes.get(entry.id)!.push('expected publish_expired')
          }
          expect(queue.pending()).toBe(model.length)
          expect(queue.pending()).toBeLessThanOrEqual(size)
        }
        queue.clear(new RealtimeError('closed', { code: 'client_closed' }))
        expect(queue.pending()).toBe(0)
        await settled()
        for (const [id, outcome] of outcomes) {
          // Exactly one settlement each, and the one the model predicted where it predicted one.
          const actual = outcome.filter((entry) => !entry.startsWith('expected '))
          const predicted = outcome.filter((entry) => entry.startsWith('expected ')).map((entry) => entry.slice('expected '.length))
          expect(actual, id).toHaveLength(1)
          if (predicted.length > 0) expect(actual, id).toEqual(predicted)
        }
      }),
      { seed: 3, numRuns: 200 },
    )
  })

  it('rejects with queue_full at once when full, and publish_expired names the TTL', async () => {
    const queue = createPublishQueue({ size: 1, ttlMs: 100 })
    const first = queue.add('a', 'A', 0)
    await expect(queue.add('b', 'B', 0)).rejects.toMatchObject({ name: 'RealtimeError', code: 'queue_full' })
    expect(queue.expire(99)).toBe(100)
    expect(queue.expire(100)).toBeUndefined()
    await expect(first).rejects.toMatchObject({ code: 'publish_expired', message: 'publish expired after 100 ms without a connection' })
  })

  it('a sent publish never expires; after a dropped connection it waits, and expires, again', async () => {
    const queue = createPublishQueue({ size: 10, ttlMs: 100 })
    const publish = queue.add('a', 'A', 0)
    queue.flush(() => {})
    expect(queue.expire(1_000)).toBeUndefined()
    expect(queue.pending()).toBe(1)
    queue.unsend()
    expect(queue.expire(1_000)).toBeUndefined()
    await expect(publish).rejects.toMatchObject({ code: 'publish_expired' })
  })
})
