import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createMemoryEngine } from '../../src/server/index.js'

type Op = { kind: 'append'; id?: string } | { kind: 'lose' } | { kind: 'tick'; ms: number } | { kind: 'recover'; back: number; otherEpoch: boolean }

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('append' as const), id: fc.option(fc.constantFrom('p1', 'p2', 'p3', 'p4'), { nil: undefined }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'lose' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 400 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('recover' as const), back: fc.integer({ min: -2, max: 12 }), otherEpoch: fc.boolean() }) },
)

describe('the memory engine', () => {
  it('matches a model: offsets +1 from 1 per epoch, ids once, replay all-or-nothing within count and age bounds', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 80 }), fc.integer({ min: 1, max: 6 }), async (ops, keep) => {
        let time = 0
        const engine = createMemoryEngine({ history: { events: keep, ageMs: 1_000 }, clock: () => time })
        // The model: every event of the current epoch with the time it was stored, and ids taken.
        let log: Array<{ offset: number; at: number }> = []
        let ids = new Map<string, string>()
        let epoch = engine.state('c').epoch
        const live: string[] = []
        await engine.listen('c', (event) => live.push(event.offset))
        for (const step of ops) {
          if (step.kind === 'tick') time += step.ms
          if (step.kind === 'lose') {
            engine.lose('c')
            expect(engine.state('c').epoch).not.toBe(epoch)
            epoch = engine.state('c').epoch
            log = []
          }
          if (step.kind === 'append') {
            const { event, duplicate } = await engine.publish('c', 'e', null, step.id)
            if (step.id !== undefined && ids.has(step.id)) {
              expect(duplicate).toBe(true)
              expect(`${event.offset}@${event.epoch}`).toBe(ids.get(step.id))
              continue
            }
            const offset = (log.at(-1)?.offset ?? 0) + 1
            expect(event).toMatchObject({ offset: String(offset), epoch })
            expect(duplicate).toBe(false)
            log.push({ offset, at: time })
            if (step.id !== undefined) ids.set(step.id, `${event.offset}@${event.epoch}`)
            expect(live.at(-1)).toBe(String(offset))
          }
          if (step.kind === 'recover') {
            const head = log.at(-1)?.offset ?? 0
            const after = head - step.back
            const from = { offset: String(Math.max(after, 0)), epoch: step.otherEpoch ? 'other' : epoch }
            const { head: position, missed } = await engine.recover('c', from)
            expect(position).toEqual({ offset: String(head), epoch })
            const retained = log.filter((entry, index) => index >= log.length - keep && entry.at >= time - 1_000).map((entry) => entry.offset)
            const wanted = log.filter((entry) => entry.offset > Math.max(after, 0)).map((entry) => entry.offset)
            const possible = !step.otherEpoch && Math.max(after, 0) <= head && wanted.every((offset) => retained.includes(offset))
            if (possible) expect(missed?.map((event) => Number(event.offset))).toEqual(wanted)
            else expect(missed).toBeUndefined()
          }
        }
        await engine.close()
      }),
      { numRuns: 300 },
    )
  })

  it('forgets publish ids past their count, so memory stays bounded', async () => {
    const engine = createMemoryEngine({ publishIds: { count: 2 } })
    await engine.publish('c', 'e', 1, 'a')
    await engine.publish('c', 'e', 2, 'b')
    await engine.publish('c', 'e', 3, 'c')
    expect((await engine.publish('c', 'e', 4, 'c')).duplicate).toBe(true)
    expect((await engine.publish('c', 'e', 5, 'a')).duplicate).toBe(false)
  })
})
