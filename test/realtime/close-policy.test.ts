import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CloseCode } from '../../src/realtime/index.js'
import { closePolicy } from '../../src/realtime/close-policy.js'

const named = new Set<number>([CloseCode.forbidden, CloseCode.unauthorized, CloseCode.tokenExpired, CloseCode.tooManyRequests])
const anyCode = fc.option(fc.oneof(fc.integer({ min: 1000, max: 4999 }), fc.constantFrom(...named)), { nil: undefined })

describe('close-code policy', () => {
  it('names each protocol close code’s action (docs/protocol.md, "Close codes")', () => {
    expect(closePolicy(4403, 'not yours', 0)).toBe('shut down')
    expect(closePolicy(4401, 'bad token', 0)).toBe('refresh')
    expect(closePolicy(4001, 'expired', 0)).toBe('refresh now')
    expect(closePolicy(4001, 'expired', 1)).toBe('refresh')
    expect(closePolicy(4429, '2500', 3)).toBe(2_500)
    expect(closePolicy(1012, 'restart', 0)).toBe(0)
    expect(closePolicy(undefined, 'server asked to reconnect', 0, 700)).toBe(700)
  })

  it('4403 always shuts down, whatever the reason and attempt', () => {
    fc.assert(fc.property(fc.string(), fc.nat(), (reason, attempt) => closePolicy(4403, reason, attempt) === 'shut down'))
  })

  it('auth codes always refresh the token first; only the first 4001 in a row skips the backoff', () => {
    fc.assert(
      fc.property(fc.string(), fc.nat(), (reason, attempt) => {
        expect(closePolicy(4401, reason, attempt)).toBe('refresh')
        expect(closePolicy(4001, reason, attempt)).toBe(attempt === 0 ? 'refresh now' : 'refresh')
      }),
    )
  })

  it('4429 waits the milliseconds its reason names, and falls back to the backoff alone for anything else', () => {
    fc.assert(
      fc.property(fc.nat(), (ms) => closePolicy(4429, String(ms), 0) === ms),
      { seed: 4 },
    )
    fc.assert(
      fc.property(fc.string().filter((reason) => !/^\s*[+-]?\d/.test(reason)), (reason) => closePolicy(4429, reason, 0) === 0),
      { seed: 4 },
    )
    expect(closePolicy(4429, '-5', 0)).toBe(0)
  })

  it('every other code (or none) waits exactly the server-asked delay, and no wait is ever negative or NaN', () => {
    fc.assert(
      fc.property(anyCode, fc.string(), fc.nat(), fc.nat({ max: 600_000 }), (code, reason, attempt, serverDelay) => {
        const action = closePolicy(code, reason, attempt, serverDelay)
        if (typeof action === 'number') expect(action >= 0 && Number.isFinite(action)).toBe(true)
        if (code === undefined || !named.has(code)) expect(action).toBe(serverDelay)
      }),
      { seed: 4 },
    )
  })
})
