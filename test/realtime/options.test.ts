import { describe, expect, it } from 'vitest'
import { walkOptions } from '../../src/core/checks.js'
import { createClient } from '../../src/index.js'
import { createRealtimeClient } from '../../src/realtime/index.js'
import { realtimeSection } from '../../src/realtime/options.js'

const both = [
  ['createClient', (realtime: unknown) => createClient({ realtime } as never)],
  ['createRealtimeClient', (realtime: unknown) => createRealtimeClient({ realtime } as never)],
] as const

describe('realtime options', () => {
  it.each(both)('%s refuses a misspelled nested option with its full path and the nearest name', (_, create) => {
    expect(() => create({ backoff: { baseMs: 5 } })).toThrow(expect.objectContaining({ name: 'ConfigError', field: 'realtime.backoff.baseMs' }))
    expect(() => create({ backoff: { baseMs: 5 } })).toThrow('realtime.backoff.baseMs: is not an option; did you mean base?')
    expect(() => create({ queue: { sizee: 5 } })).toThrow('realtime.queue.sizee: is not an option; did you mean size?')
    expect(() => create({ heartbeatMS: 5 })).toThrow('realtime.heartbeatMS: is not an option; did you mean heartbeatMs?')
    expect(() => create({ failedOpensBeforeErr: 2 })).toThrow('realtime.failedOpensBeforeErr: is not an option; did you mean failedOpensBeforeError?')
  })

  it.each(both)('%s refuses wrong values, naming the path and what it must be', (_, create) => {
    expect(() => create({ queue: { ttlMs: 0 } })).toThrow('realtime.queue.ttlMs: must be a number of milliseconds, at least 1, got 0')
    expect(() => create({ failedOpensBeforeError: 0 })).toThrow('realtime.failedOpensBeforeError: must be a whole number, 1 or more, got 0')
    expect(() => create({ maxRetries: 1.5 })).toThrow('realtime.maxRetries: must be a whole number, 0 or more')
    expect(() => create({ random: null })).toThrow(/^realtime\.random: must be a function returning \[0, 1\)/)
    expect(() => create({ clock: { now: () => 0 } })).toThrow(/^realtime\.clock: must be/)
    expect(() => create({ schemas: { chat: 'zod' } })).toThrow(/^realtime\.schemas\.chat: must be/)
    expect(() => create({ backoff: 5 })).toThrow(/^realtime\.backoff: must be an object with base, cap/)
    expect(() => create('fast')).toThrow(/^realtime: must be an object/)
  })

  it('applies every default, checked once, and freezes the result without touching the caller’s object', () => {
    const given = { queue: { size: 3 } }
    const settings = realtimeSection(given, 'realtime')
    expect(settings).toMatchObject({
      heartbeatMs: 25_000,
      heartbeatTimeoutMs: 10_000,
      backoff: { base: 500, cap: 30_000 },
      maxRetries: Infinity,
      failedOpensBeforeError: 5,
      stableAfterMs: 10_000,
      queue: { size: 3, ttlMs: 30_000 },
      schemas: {},
    })
    expect(Object.isFrozen(settings) && Object.isFrozen(settings.queue)).toBe(true)
    expect(given).toEqual({ queue: { size: 3 } })
  })

  it('lists every option path for the generated option tests, nested records and schemas included', () => {
    expect(walkOptions(realtimeSection, 'realtime').map(({ path }) => path)).toEqual([
      'realtime.heartbeatMs',
      'realtime.heartbeatTimeoutMs',
      'realtime.backoff',
      'realtime.backoff.base',
      'realtime.backoff.cap',
      'realtime.maxRetries',
      'realtime.failedOpensBeforeError',
      'realtime.stableAfterMs',
      'realtime.queue',
      'realtime.queue.size',
      'realtime.queue.ttlMs',
      'realtime.schemas',
      'realtime.schemas.*',
      'realtime.schemas.*.*',
      'realtime.random',
      'realtime.clock',
    ])
  })

  it('is not exported from the public subpath', async () => {
    expect(Object.keys(await import('../../src/realtime/index.js'))).not.toContain('realtimeSection')
  })
})
