import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { backoffDelay, backoffWindow } from '../../src/core/backoff.js'
import { seeded } from '../support.js'


describe('backoffDelay (full jitter)', () => {
  it('draws from [0, min(cap, base·2^attempt)) over 10,000 samples, mean within 5 % of theory', () => {
    const random = seeded(42)
    const options = { base: 500, cap: 30_000 }
    for (const attempt of [0, 1, 3, 5, 6, 10, 40]) {
      const window = Math.min(options.cap, options.base * 2 ** attempt)
      let sum = 0
      for (let i = 0; i < 10_000; i++) {
        const delay = backoffDelay(attempt, options, random)
        expect(delay).toBeGreaterThanOrEqual(0)
        expect(delay).toBeLessThan(window)
        sum += delay
      }
      const mean = sum / 10_000
      const theory = (window - 1) / 2
      expect(Math.abs(mean - theory) / theory).toBeLessThan(0.05)
    }
  })

  it('uses the injected random source at both ends of its range', () => {
    expect(backoffDelay(2, { base: 100, cap: 10_000 }, () => 0)).toBe(0)
    expect(backoffDelay(2, { base: 100, cap: 10_000 }, () => 0.999999)).toBe(399)
    expect(backoffDelay(20, { base: 100, cap: 10_000 }, () => 0.999999)).toBe(9_999)
  })

  it('stays finite and capped for any attempt count, even huge or fractional ones', () => {
    fc.assert(
      fc.property(fc.double({ min: -10, max: 1e6, noNaN: true }), fc.double({ min: 0, max: 0.9999999, noNaN: true }), (attempt, r) => {
        const delay = backoffDelay(attempt, { base: 250, cap: 4_000 }, () => r)
        return Number.isFinite(delay) && delay >= 0 && delay < backoffWindow(attempt, { base: 250, cap: 4_000 })
      }),
    )
  })

  it('base 0 means no wait at any attempt, never NaN (0 × 2^1024 would be)', () => {
    for (const attempt of [0, 1, 63, 64, 1023, 1024, 1e9]) {
      expect(backoffDelay(attempt, { base: 0, cap: 30_000 }, () => 0.5)).toBe(0)
      expect(backoffWindow(attempt, { base: 0 })).toBe(0)
    }
  })

  it('defaults to base 500 ms and cap 30 s', () => {
    expect(backoffWindow(0)).toBe(500)
    expect(backoffWindow(100)).toBe(30_000)
  })
})
