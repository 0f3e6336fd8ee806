// Generated from the option checks themselves: every option path of every entry point, nested
// records and dictionaries included, is probed with a misspelled key and with values of the wrong
// type, through the public entry point a user calls. Every probe must be refused with a ConfigError
// that names the exact path (and, for a misspelling, suggests the intended name).
import { afterAll, describe, expect, it } from 'vitest'
import { type Check, record, walkOptions } from '../../src/core/checks.js'
import { CLIENT_OPTIONS } from '../../src/client-options.js'
import { CORE_OPTIONS } from '../../src/core/config.js'
import { ConfigError, resolveConfig } from '../../src/core/index.js'
import { createClient } from '../../src/index.js'
import { createRealtimeClient } from '../../src/realtime/index.js'
import { createGraphQLClient } from '../../src/realtime/graphql/index.js'
import { GRAPHQL_CLIENT_OPTIONS } from '../../src/realtime/graphql/options.js'
import { REALTIME_OPTIONS } from '../../src/realtime/options.js'
import { createSharedRealtimeClient } from '../../src/realtime/tabs/index.js'
import { TABS_CLIENT_OPTIONS } from '../../src/realtime/tabs/options.js'
import { REST_OPTIONS, createRestClient } from '../../src/rest/client.js'
import { rateLimitOptions, rateLimits } from '../../src/rest/budget.js'
import { revalidationCache, revalidationCacheOptions } from '../../src/rest/cache.js'
import { withOptionsOptions } from '../../src/rest/options.js'
import * as webhooks from '../../src/webhooks/index.js'
import * as intake from '../../src/webhooks/intake/index.js'
import { INTAKE_OPTIONS } from '../../src/webhooks/intake/intake.js'
import { MEMORY_STORE_OPTIONS } from '../../src/webhooks/replay.js'
import { WEBHOOK_OPTION_CHECKS } from '../../src/webhooks/options.js'
import { REDIS_STORE_OPTIONS } from '../../src/webhooks/intake/redis-store.js'
import { Redis } from 'ioredis'
import { createMemoryEngine, createRealtimeServer, createRedisEngine } from '../../src/server/index.js'
import { MEMORY_ENGINE_OPTIONS, SERVER_OPTIONS } from '../../src/server/options.js'
import { REDIS_ENGINE_OPTIONS } from '../../src/server/redis/engine.js'
import { TEST_SERVER_OPTIONS, createTestRealtimeServer } from '../../src/testing/server.js'

interface EntryPoint {
  name: string
  /** The entry point's option checks, by option name. */
  fields: Record<string, Check<unknown>>
  /** Calls the entry point as a user does; an async entry point's refusal is its rejection. */
  make: (options: Record<string, unknown>) => unknown
  /** Options every probe starts from (what the entry point requires). */
  base?: Record<string, unknown>
  /** What the entry point's errors put before an option's path (`withOptions.`). */
  prefix?: string
  /** Options whose wrong values are refused by another documented error than a ConfigError. */
  otherRefusals?: Record<string, (error: unknown) => boolean>
}

// Each verifier factory needs a secret; a v1 one serves the Standard Webhooks factory.
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'

const ENTRY_POINTS: EntryPoint[] = [
  ...Object.entries(WEBHOOK_OPTION_CHECKS).map(([factory, check]) => ({
    name: factory,
    fields: check.fields!,
    make: (options: Record<string, unknown>) => (webhooks[factory as keyof typeof webhooks] as (options: object) => unknown)(options),
    base: { secret: SECRET, replay: { store: new webhooks.MemoryReplayStore() } },
    // A secret is checked by the scheme's key parser: `invalid_secret`, the reason a rotated-in bad key gets too.
    otherRefusals: { secret: (error: unknown) => error instanceof webhooks.WebhookVerificationError && error.reason === 'invalid_secret' },
  })),
  {
    name: 'webhookIntake',
    fields: INTAKE_OPTIONS.fields!,
    make: (options) => intake.webhookIntake(webhooks.standardWebhooks({ secret: SECRET }), options as never),
    base: { store: new webhooks.MemoryReplayStore(), handler: () => undefined },
  },
  { name: 'MemoryReplayStore', fields: MEMORY_STORE_OPTIONS.fields!, make: (options) => new webhooks.MemoryReplayStore(options) },
  {
    name: 'RedisReplayStore',
    fields: REDIS_STORE_OPTIONS.fields!,
    // A structural client is enough: the options are checked before any call.
    make: (options) => new intake.RedisReplayStore({ call: async () => null }, options),
  },
  { name: 'resolveConfig', fields: CORE_OPTIONS, make: (options) => resolveConfig(options) },
  { name: 'createClient', fields: CLIENT_OPTIONS, make: (options) => createClient(options), base: { webhooks: { replay: { store: new webhooks.MemoryReplayStore() } } } },
  { name: 'createRestClient', fields: REST_OPTIONS, make: (options) => createRestClient(options) },
  {
    name: 'rest.withOptions',
    fields: withOptionsOptions.fields!,
    make: (options) => createRestClient({ baseUrl: 'https://api.example.com' }).withOptions(options),
    prefix: 'withOptions.',
  },
  { name: 'createRealtimeClient', fields: REALTIME_OPTIONS, make: (options) => createRealtimeClient(options) },
  { name: 'createSharedRealtimeClient', fields: TABS_CLIENT_OPTIONS, make: (options) => createSharedRealtimeClient(options) },
  { name: 'createGraphQLClient', fields: GRAPHQL_CLIENT_OPTIONS, make: (options) => createGraphQLClient(options) },
  { name: 'rateLimits', fields: rateLimitOptions.fields!, make: (options) => rateLimits(options), prefix: 'rateLimits.' },
  { name: 'revalidationCache', fields: revalidationCacheOptions.fields!, make: (options) => revalidationCache(options), prefix: 'revalidationCache.' },
  { name: 'createRealtimeServer', fields: SERVER_OPTIONS.fields!, make: (options) => createRealtimeServer(options) },
  { name: 'createTestRealtimeServer', fields: TEST_SERVER_OPTIONS.fields!, make: (options) => createTestRealtimeServer(options) },
  { name: 'createMemoryEngine', fields: MEMORY_ENGINE_OPTIONS.fields!, make: (options) => createMemoryEngine(options) },
  // A client that never connects (lazyConnect): the probes are refused before the engine uses it.
  { name: 'createRedisEngine', fields: REDIS_ENGINE_OPTIONS.fields!, make: (options) => createRedisEngine(options as never), base: { client: new Redis({ lazyConnect: true }) } },
]

/** `options` with `value` written at `path`, copying only the records along the path (values such as stores keep their class). */
function withValue(options: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> {
  const [key, ...rest] = path
  if (rest.length === 0) return { ...options, [key!]: value }
  const inner = options[key!]
  const record = typeof inner === 'object' && inner !== null && !Array.isArray(inner) && Object.getPrototypeOf(inner) === Object.prototype
  return { ...options, [key!]: withValue(record ? (inner as Record<string, unknown>) : {}, rest, value) }
}

/** Two misspellings a hand makes: two letters swapped, one letter doubled. */
function misspellings(key: string): string[] {
  const swapped = key.length > 2 ? key.slice(0, -2) + key.at(-1) + key.at(-2) : `${key}${key}`
  return [...new Set([swapped, key + key.at(-1)])].filter((typo) => typo !== key)
}

/** What `run` throws or rejects with (undefined when it succeeds). */
async function thrown(run: () => unknown): Promise<unknown> {
  try {
    await run()
  } catch (error) {
    return error
  }
  return undefined
}

/** The ConfigError `run` throws or rejects with, or a description of what happened instead. */
async function refusal(run: () => unknown): Promise<ConfigError | string> {
  const error = await thrown(run)
  if (error === undefined) return 'accepted'
  return error instanceof ConfigError ? error : `threw ${String(error)}`
}

/** A valid entry of each option that takes a list, beside which a wrong one is probed. */
const LIST_ENTRIES: Record<string, unknown> = { realtimeUrl: 'wss://rt.example.com/realtime', webhookSecret: SECRET }

const WRONG_TYPES: ReadonlyArray<[string, unknown]> = [
  ['a symbol', Symbol('probe')],
  ['a bigint', 10n],
]

const counts = { paths: 0, probes: 0, other: 0 }
afterAll(() => console.log(`[acceptance] option paths: ${counts.paths} paths, ${counts.probes} probes, 100 % refused with the path named (${counts.other} by the documented non-config refusal)`))

describe.each(ENTRY_POINTS)('$name', ({ name, fields, make, base = {}, prefix = '', otherRefusals = {} }: EntryPoint) => {
  const root: Check<unknown> = record(fields)
  const paths = walkOptions(root)

  it('has option paths to probe', () => {
    expect(paths.length).toBeGreaterThan(0)
  })

  it.each(paths.map(({ path }) => path))('%s: a wrong type is refused naming the path', async (path) => {
    counts.paths++
    const segments = path.split('.').map((segment) => (segment === '*' ? 'x-probe' : segment))
    for (const [what, value] of WRONG_TYPES) {
      counts.probes++
      const other = otherRefusals[path]
      if (other) {
        counts.other++
        expect(other(await thrown(() => make(withValue(base, segments, value)))), `${name}: ${path} given ${what}`).toBe(true)
        continue
      }
      const error = await refusal(() => make(withValue(base, segments, value)))
      expect(error, `${name}: ${path} given ${what}`).toBeInstanceOf(ConfigError)
      expect((error as ConfigError).field, `${name}: ${path} given ${what}`).toBe(prefix + segments.join('.'))
    }
  })

  // Options that also take a list (`realtimeUrl`, `webhookSecret`): a wrong entry is refused naming
  // `<path>[<index>]`, an empty list naming the option itself.
  const lists = Object.keys(LIST_ENTRIES).filter((key) => Object.hasOwn(fields, key))
  // Defined only where there are lists: an entry point without one has no such test, not a skipped one.
  if (lists.length > 0) {
    it.each(lists)('%s: a wrong entry in a list, or an empty list, is refused naming the path', async (key) => {
      for (const [what, value] of WRONG_TYPES) {
        counts.probes++
        const error = await refusal(() => make(withValue(base, [key], [LIST_ENTRIES[key], value])))
        expect(error, `${name}: ${key}[1] given ${what}`).toBeInstanceOf(ConfigError)
        expect((error as ConfigError).field).toBe(`${prefix}${key}[1]`)
      }
      counts.probes++
      expect(await refusal(() => make(withValue(base, [key], [])))).toMatchObject({ field: prefix + key })
    })
  }

  const keyed = paths.map(({ path }) => path).filter((path) => !path.endsWith('*'))
  it.each(keyed)('%s: a misspelling is refused naming the path and the right name', async (path) => {
    const segments = path.split('.').map((segment) => (segment === '*' ? 'x-probe' : segment))
    const key = segments.at(-1)!
    for (const typo of misspellings(key)) {
      counts.probes++
      const typed = [...segments.slice(0, -1), typo]
      const error = await refusal(() => make(withValue(base, typed, 1)))
      expect(error, `${name}: ${typed.join('.')}`).toBeInstanceOf(ConfigError)
      expect((error as ConfigError).field).toBe(prefix + typed.join('.'))
      expect((error as ConfigError).message).toContain(`did you mean ${key}?`)
    }
  })
})
