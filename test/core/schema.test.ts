import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { type StandardSchemaV1, formatIssuePath, isStandardSchema, runSchema } from '../../src/core/schema.js'

/** A hand-written Standard Schema: no library, so each field of the interface is what the test says. */
function schema<Output>(validate: StandardSchemaV1<unknown, Output>['~standard']['validate']): StandardSchemaV1<unknown, Output> {
  return { '~standard': { version: 1, vendor: 'test', validate } }
}

describe('isStandardSchema', () => {
  it('recognises schemas from validator libraries and by hand', () => {
    expect(isStandardSchema(z.object({ id: z.string() }))).toBe(true)
    expect(isStandardSchema(v.object({ id: v.string() }))).toBe(true)
    expect(isStandardSchema(schema(() => ({ value: 1 })))).toBe(true)
    // arktype's schemas are functions carrying `~standard`.
    expect(isStandardSchema(Object.assign(() => {}, { '~standard': { version: 1, vendor: 'fn', validate: () => ({ value: 1 }) } }))).toBe(true)
  })

  it('refuses anything without a `~standard.validate` function', () => {
    for (const value of [undefined, null, 0, 'schema', true, {}, () => {}, { '~standard': null }, { '~standard': {} }, { '~standard': { validate: 'no' } }, { validate: () => ({ value: 1 }) }]) {
      expect(isStandardSchema(value), String(JSON.stringify(value))).toBe(false)
    }
  })
})

describe('formatIssuePath', () => {
  it('names the root when there is no path', () => {
    expect(formatIssuePath({ message: 'bad' })).toBe('(root)')
    expect(formatIssuePath({ message: 'bad', path: undefined })).toBe('(root)')
    expect(formatIssuePath({ message: 'bad', path: [] })).toBe('(root)')
  })

  it('joins bare keys and `{ key }` segments with dots', () => {
    expect(formatIssuePath({ message: 'bad', path: ['items', 0, 'id'] })).toBe('items.0.id')
    expect(formatIssuePath({ message: 'bad', path: [{ key: 'items' }, { key: 3 }, 'total'] })).toBe('items.3.total')
    expect(formatIssuePath({ message: 'bad', path: [Symbol('meta')] })).toBe('Symbol(meta)')
  })

  it('reads the paths real validators report', async () => {
    const Order = { items: [{ id: 'a' }, { id: 7 }] }
    const fromZod = await runSchema(z.object({ items: z.array(z.object({ id: z.string() })) }), Order)
    const fromValibot = await runSchema(v.object({ items: v.array(v.object({ id: v.string() })) }), Order)
    for (const result of [fromZod, fromValibot]) {
      expect('issues' in result && result.issues.map(formatIssuePath)).toEqual(['items.1.id'])
    }
  })
})

describe('runSchema', () => {
  it('resolves to the validator\'s output, not the input', async () => {
    const Note = z.object({ id: z.string(), count: z.string().transform(Number) })
    expect(await runSchema(Note, { id: 'n1', count: '2', extra: true })).toEqual({ value: { id: 'n1', count: 2 } })
  })

  it('resolves to the issues on failure, with nothing else', async () => {
    const result = await runSchema(z.object({ id: z.string() }), { id: 1 })
    expect(Object.keys(result)).toEqual(['issues'])
    expect('issues' in result && result.issues).toHaveLength(1)
  })

  it('awaits an async validator, on success and on failure', async () => {
    const positive = schema(async (value) => (typeof value === 'number' && value > 0 ? { value } : { issues: [{ message: 'not positive', path: ['n'] }] }))
    expect(await runSchema(positive, 5)).toEqual({ value: 5 })
    expect(await runSchema(positive, -1)).toEqual({ issues: [{ message: 'not positive', path: ['n'] }] })
  })

  it('passes a validator\'s own exception through untouched', async () => {
    const failure = new Error('validator bug')
    const throwing = schema(() => {
      throw failure
    })
    await expect(runSchema(throwing, 1)).rejects.toBe(failure)
  })
})
