import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createHeartbeat } from '../../src/realtime/heartbeat.js'

const T0 = 1_700_000_000_000

/** Runs the rule the way the engine does: fire at `due()` (plus `late`), answer pings when the link is up. */
function run(interval: number, timeout: number, ticks: number, late: (n: number) => number, linkUp: (at: number) => boolean) {
  const beat = createHeartbeat(interval, timeout, T0)
  const log: Array<{ at: number; verdict: string }> = []
  for (let n = 0; n < ticks; n++) {
    const at = beat.due() + late(n)
    const verdict = beat.tick(at)
    log.push({ at, verdict })
    if (verdict === 'dead') break
    if (verdict === 'ping' && linkUp(at)) beat.heard(at + 1)
  }
  return log
}

describe('heartbeat rule', () => {
  it('pings every interval on a healthy link and never calls it dead', () => {
    const log = run(1_000, 500, 20, () => 0, () => true)
    // Between pings the timer also wakes at the old deadline, finds the answer, and waits.
    expect(log.map(({ verdict }) => verdict)).toEqual(Array(10).fill(['ping', 'wait']).flat())
    const pings = log.filter(({ verdict }) => verdict === 'ping').map(({ at }) => at - T0)
    expect(pings).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => n * 1_000))
  })

  it('first fires at the interval, then judges a silent link dead at interval + timeout after the last frame', () => {
    const beat = createHeartbeat(1_000, 500, T0)
    expect(beat.due()).toBe(T0 + 1_000)
    expect(beat.tick(T0 + 1_000)).toBe('ping')
    expect(beat.due()).toBe(T0 + 1_500)
    expect(beat.tick(T0 + 1_500)).toBe('dead')
  })

  it('any frame moves the deadline: heard() at t makes t + interval + timeout the new one', () => {
    const beat = createHeartbeat(1_000, 500, T0)
    expect(beat.tick(T0 + 1_000)).toBe('ping')
    beat.heard(T0 + 1_400)
    expect(beat.due()).toBe(T0 + 1_500)
    expect(beat.tick(T0 + 1_500)).toBe('wait')
    expect(beat.due()).toBe(T0 + 2_000)
    expect(beat.tick(T0 + 2_000)).toBe('ping')
    expect(beat.due()).toBe(T0 + 2_900)
    expect(beat.tick(T0 + 2_900)).toBe('dead')
  })

  it('a tick that runs far too late (the machine slept) probes instead of judging, and allows the timeout for an answer', () => {
    const beat = createHeartbeat(10_000, 2_000, T0)
    const woke = T0 + 3_600_000
    expect(beat.tick(woke)).toBe('ping')
    expect(beat.due()).toBe(woke + 2_000)
    expect(beat.tick(woke + 2_000)).toBe('dead')

    const answered = createHeartbeat(10_000, 2_000, T0)
    expect(answered.tick(woke)).toBe('ping')
    answered.heard(woke + 50)
    expect(answered.tick(woke + 2_000)).toBe('wait')
  })

  it('a wall clock that went back keeps the real-time budgets', () => {
    const beat = createHeartbeat(1_000, 500, T0)
    // The timer fires on time, but the clock now reads an hour earlier.
    const back = T0 + 1_000 - 3_600_000
    expect(beat.tick(back)).toBe('ping')
    expect(beat.due()).toBe(back + 500)
    expect(beat.tick(back + 500)).toBe('dead')
  })

  it('probe() keeps the earlier of the deadline and now + timeout', () => {
    const beat = createHeartbeat(10_000, 2_000, T0)
    beat.probe(T0 + 100)
    expect(beat.due()).toBe(T0 + 2_100)
    expect(beat.tick(T0 + 2_100)).toBe('dead')
    const late = createHeartbeat(10_000, 2_000, T0)
    late.probe(T0 + 11_000)
    expect(late.due()).toBe(T0 + 10_000)
  })

  it('calls a link dead only once it fell silent: interval + timeout after its last frame, plus at most the timer’s lateness', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60_000 }),
        fc.integer({ min: 1, max: 30_000 }),
        fc.integer({ min: 0, max: 40 }),
        fc.array(fc.nat({ max: 500 }), { minLength: 60, maxLength: 60 }),
        (interval, timeout, silentAfter, lateness) => {
          // Timers run less than `timeout` late here: later than that is a sleep, tested above.
          const late = (n: number) => Math.min(lateness[n]!, timeout - 1)
          let lastFrame = T0
          let pings = 0
          const log = run(interval, timeout, 60, late, (at) => {
            if (++pings > silentAfter) return false
            lastFrame = at + 1
            return true
          })
          const dead = log.find(({ verdict }) => verdict === 'dead')
          if (dead) {
            expect(pings).toBeGreaterThan(silentAfter)
            expect(dead.at - lastFrame).toBeGreaterThanOrEqual(interval + timeout)
            expect(dead.at - lastFrame).toBeLessThan(interval + 2 * timeout)
          } else expect(log.at(-1)!.at - lastFrame).toBeLessThan(interval + timeout)
        },
      ),
      { seed: 12 },
    )
  })
})
