/**
 * Every webhooks option path, found by walking each factory's option record (src/webhooks/options.ts):
 * a misspelt key at any depth is refused by the factory with a ConfigError naming its full path and
 * the option meant, and createClient does the same under `webhooks.`.
 */
import { describe, expect, it } from 'vitest'
import { type Check, walkOptions } from '../../src/core/checks.js'
import { ConfigError } from '../../src/core/errors.js'
import { createClient } from '../../src/index.js'
import * as webhooks from '../../src/webhooks/index.js'
import { WEBHOOKS_SECTION, WEBHOOK_OPTION_CHECKS } from '../../src/webhooks/options.js'
import { VECTOR } from './support.js'
import { configError } from '../support.js'

/** A key one letter off `name`. */
const typo = (name: string) => `${name}x`

/** `{ a: { b: value } }` for the path `a.b`. */
function nested(path: string, value: unknown): Record<string, unknown> {
  return path.split('.').reduceRight<Record<string, unknown>>((inner, key) => ({ [key]: inner }), value as Record<string, unknown>)
}

/** Every record in an option tree, as [path ('' for the top), its field names]. */
function records(root: Check<unknown>): Array<[string, string[]]> {
  const found: Array<[string, string[]]> = [['', Object.keys(root.fields ?? {})]]
  for (const { path, check } of walkOptions(root)) if (check.fields) found.push([path, Object.keys(check.fields)])
  return found
}


describe('webhooks option records', () => {
  it('cover every verifier factory the subpath exports but the lean one, which keeps compact checks for its bundle size', () => {
    const factories = Object.keys(webhooks).filter((name) => name.endsWith('Webhooks') && typeof webhooks[name as keyof typeof webhooks] === 'function')
    expect(Object.keys(WEBHOOK_OPTION_CHECKS).sort()).toEqual(factories.sort())
    expect(() => webhooks.standardWebhooksV1Lite({ secret: VECTOR.secret, tolerence: 5 } as never)).toThrow('tolerence: is not an option')
  })

  for (const [name, optionsCheck] of Object.entries(WEBHOOK_OPTION_CHECKS)) {
    const factory = webhooks[name as keyof typeof webhooks] as (options: unknown) => unknown
    for (const [path, fields] of records(optionsCheck)) {
      const at = path || '(top level)'
      it(`${name}: a misspelt key under ${at} is refused with its full path and a did-you-mean`, () => {
        const key = typo(fields[0]!)
        const bad = path ? { secret: VECTOR.secret, ...nested(path, { [key]: 1 }) } : { secret: VECTOR.secret, [key]: 1 }
        const error = configError(() => factory(bad))
        expect(error.field).toBe(path ? `${path}.${key}` : key)
        expect(error.message).toContain(`did you mean ${fields[0]}?`)
      })
    }
  }

  for (const [path, fields] of records(WEBHOOKS_SECTION)) {
    const at = path ? `webhooks.${path}` : 'webhooks'
    it(`createClient: a misspelt key under ${at} is refused with its full path and a did-you-mean`, () => {
      const key = typo(fields[0]!)
      const error = configError(() => createClient({ webhooks: nested(at, { [key]: 1 }).webhooks as never }))
      expect(error.field).toBe(`${at}.${key}`)
      expect(error.message).toContain(`did you mean ${fields[0]}?`)
    })
  }

  it('names the nested paths the issue lists', () => {
    const store = new webhooks.MemoryReplayStore()
    expect(configError(() => createClient({ webhooks: { tolerance: { pastt: 5 } } as never })).message).toBe('webhooks.tolerance.pastt: is not an option; did you mean past?')
    expect(configError(() => createClient({ webhooks: { replay: { store, ttll: 5 } } as never })).message).toBe('webhooks.replay.ttll: is not an option; did you mean ttl?')
    expect(configError(() => webhooks.standardWebhooks({ secret: VECTOR.secret, tolerance: { pastt: 5 } as never })).message).toBe('tolerance.pastt: is not an option; did you mean past?')
  })

  it('a replay store is taken as it is or as { store, ttl }, and a ttl must be more than 0', () => {
    const store = new webhooks.MemoryReplayStore()
    const plain = { claim: () => true }
    for (const replay of [store, plain, { store }, { store: plain, ttl: 60 }]) expect(() => webhooks.standardWebhooks({ secret: VECTOR.secret, replay })).not.toThrow()
    expect(configError(() => webhooks.standardWebhooks({ secret: VECTOR.secret, replay: { store, ttl: 0 } })).field).toBe('replay.ttl')
    expect(configError(() => webhooks.standardWebhooks({ secret: VECTOR.secret, replay: { ttl: 5 } as never })).field).toBe('replay.store')
    expect(configError(() => webhooks.standardWebhooks({ secret: VECTOR.secret, replay: 5 as never })).field).toBe('replay')
  })
})
