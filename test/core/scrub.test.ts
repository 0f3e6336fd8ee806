/** Redactor.scrub: the one copy-and-scrub used by log details and ApiError bodies. */
import { describe, expect, it } from 'vitest'
import { Redactor } from '../../src/core/secret.js'

const SECRET = 'tok_scrub_0123456789'

function redactor(): Redactor {
  const out = new Redactor()
  out.add(SECRET)
  return out
}

describe('Redactor.scrub', () => {
  it("copies arrays and objects with every string scrubbed, and leaves the caller's value alone", () => {
    const value = { message: `token ${SECRET} revoked`, list: [SECRET, 3, null, true], nested: { deeper: { text: SECRET } } }
    const scrubbed = redactor().scrub(value)
    expect(scrubbed).toEqual({ message: 'token [redacted] revoked', list: ['[redacted]', 3, null, true], nested: { deeper: { text: '[redacted]' } } })
    expect(value.list[0]).toBe(SECRET)
  })

  it('turns an Error into { name, message }, scrubbed', () => {
    const error = new TypeError(`bad ${SECRET}`)
    expect(redactor().scrub({ error })).toEqual({ error: { name: 'TypeError', message: 'bad [redacted]' } })
  })

  it('cuts what is nested deeper than maxDepth (6 by default), cycles included', () => {
    const deep = { a: { b: { c: { d: { e: { f: { g: SECRET } } } } } } }
    expect(JSON.stringify(redactor().scrub(deep))).toBe('{"a":{"b":{"c":{"d":{"e":{"f":"[…]"}}}}}}')
    expect(JSON.stringify(redactor().scrub(deep, 7))).toBe('{"a":{"b":{"c":{"d":{"e":{"f":{"g":"[redacted]"}}}}}}}')
    const cyclic: Record<string, unknown> = { text: SECRET }
    cyclic.self = cyclic
    const out = redactor().scrub(cyclic, 2) as Record<string, Record<string, unknown>>
    expect(out).toEqual({ text: '[redacted]', self: { text: '[redacted]', self: '[…]' } })
  })
})
