// The cache counts a stored body's UTF-8 bytes without encoding it (src/rest/cache.ts, utf8Length):
// the count must equal what TextEncoder produces, or `maxBytes` and `bytesSaved` would drift.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { utf8Length, utf8Size } from '../../src/rest/cache.js'

const encoded = (text: string) => new TextEncoder().encode(text).byteLength

describe('utf8Length', () => {
  // utf8Size is the runtime's native count where there is one (Buffer.byteLength here), else utf8Length.
  it.each([
    ['utf8Length', utf8Length],
    ['utf8Size', utf8Size],
  ])('%s equals TextEncoder on every string, lone surrogates included', (_, count) => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (text) => count(text) === encoded(text)), { numRuns: 2000 })
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (text) => count(text) === encoded(text)), { numRuns: 2000 })
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 0xffff })), (codes) => {
      const text = String.fromCharCode(...codes)
      return count(text) === encoded(text)
    }), { numRuns: 2000 })
  })

  it('counts each width: 1, 2, 3 and 4 bytes, and a lone surrogate as U+FFFD (3)', () => {
    expect(utf8Length('')).toBe(0)
    expect(utf8Length('{"a":1}')).toBe(7)
    expect(utf8Length('é')).toBe(2)
    expect(utf8Length('€')).toBe(3)
    expect(utf8Length('😀')).toBe(4)
    expect(utf8Length('\ud800')).toBe(3)
    expect(utf8Length('\udc00\ud800')).toBe(6)
    expect(utf8Length('a\ud83dx')).toBe(5)
  })
})
