/**
 * `RedisReplayStore`: delivery leases shared by every receiver process, on a Redis client the user
 * passes in (ioredis or node-redis). Imports neither: it talks to the client through
 * {@link RedisScriptClient}, one Lua script per transition, so each transition is one atomic round trip.
 */
import { check, milliseconds, record } from '../../core/checks.js'
import { ConfigError, WebhookVerificationError } from '../../core/errors.js'
import type { BeginOutcome, BeginRequest, DeliveryStore, ReplayStore } from '../replay.js'

/**
 * The slice of a Redis client this store uses: ioredis's `evalsha` / `eval`
 * (`(sha, numKeys, ...keysAndArgs)`) or node-redis's `evalSha` / `eval` (`(sha, { keys, arguments })`).
 * Both clients fit as they are.
 *
 * @example
 * const store = new RedisReplayStore(new Redis()) // ioredis
 * const store2 = new RedisReplayStore(await createClient().connect()) // node-redis
 */
export type RedisScriptClient = IoredisScripts | NodeRedisScripts

/** ioredis's script calls, as {@link RedisReplayStore} uses them. */
export interface IoredisScripts {
  /** EVALSHA: runs a script Redis already holds, by its SHA-1. */
  evalsha(sha: string, numKeys: number, ...keysAndArgs: string[]): Promise<unknown>
  /** EVAL: runs (and caches) a script by its source. */
  eval(script: string, numKeys: number, ...keysAndArgs: string[]): Promise<unknown>
}

/** node-redis's script calls, as {@link RedisReplayStore} uses them. */
export interface NodeRedisScripts {
  /** EVALSHA: runs a script Redis already holds, by its SHA-1. */
  evalSha(sha: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>
  /** EVAL: runs (and caches) a script by its source. */
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>
}

/** Options of {@link RedisReplayStore}. */
export interface RedisReplayStoreOptions {
  /**
   * Put before every key this store writes (`<prefix>d:<id>` for deliveries, `<prefix>o:<resource>` for ordering).
   * @default 'wirekit:webhooks:'
   */
  prefix?: string
  /**
   * How long one Redis call may take, in milliseconds, before the store counts Redis as unreachable
   * (`store_unavailable`): a client that queues commands while disconnected would otherwise hold the
   * sender's request open.
   * @default 2000
   */
  timeout?: number
}

/** The option check of {@link RedisReplayStore}; walked by the option-path test. */
export const REDIS_STORE_OPTIONS = /* @__PURE__ */ record({
  prefix: /* @__PURE__ */ check<string>((value) => typeof value === 'string' && value.length <= 200, 'a string of at most 200 characters', 'wirekit:webhooks:'),
  timeout: /* @__PURE__ */ milliseconds(2000, 1),
})

// The lease value is `l:<token>`, so no token can read as `done`. Versions compare as Lua numbers
// (doubles): exact for integers up to 2^53, which covers epoch milliseconds and counters.
const BEGIN = `local v = redis.call('GET', KEYS[1])
if v then
  if v == 'done' then return 'done' end
  return 'processing'
end
if #KEYS == 2 then
  local last = redis.call('HMGET', KEYS[2], 'v', 'id')
  local lv = tonumber(last[1])
  local version = tonumber(ARGV[3])
  if lv and (lv > version or (lv == version and last[2] ~= ARGV[5])) then return 'stale' end
  redis.call('HSET', KEYS[2], 'v', ARGV[3], 'id', ARGV[5])
  redis.call('PEXPIRE', KEYS[2], ARGV[4])
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 'new'`

const COMPLETE = `local v = redis.call('GET', KEYS[1])
if v and v ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], 'done', 'PX', ARGV[2])
return 1`

const RELEASE = `if ARGV[1] == '' or redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`

const CLAIM = `if redis.call('SET', KEYS[1], 'done', 'NX', 'PX', ARGV[1]) then return 1 end
return 0`

/** Each script with its SHA-1, computed once at build time (a test re-derives them), so no call needs crypto. */
interface Script {
  readonly source: string
  readonly sha: string
}
/** @internal The four transitions; exported for the test that checks each SHA-1. */
export const SCRIPTS: Readonly<Record<'begin' | 'complete' | 'release' | 'claim', Script>> = {
  begin: { source: BEGIN, sha: '298ae0b93a1f95fd87dfb1a1120ea0fe2e79000d' },
  complete: { source: COMPLETE, sha: 'a7e48319a605ba7887e765e69218b093a5f530bc' },
  release: { source: RELEASE, sha: '468f0522b3ad3bd7bba6b9851b868467c0ef3394' },
  claim: { source: CLAIM, sha: 'eabadf32fadfacdf282908c8755d8e7722abbf84' },
}

const unavailable = (cause: unknown): WebhookVerificationError =>
  // The message names no host, URL or credential; the client's own error stays in `cause` (never in toJSON).
  new WebhookVerificationError('store_unavailable', 'the delivery store (Redis) could not be reached; the sender should retry later', { cause })

/**
 * A {@link DeliveryStore} (and {@link ReplayStore}) on Redis, shared by every receiver process: each
 * transition (begin, complete, release) is one Lua script, one round trip (EVALSHA; EVAL once after a
 * Redis restart flushed its script cache). When Redis cannot be reached, or answers slower than
 * `timeout`, every call rejects with a `WebhookVerificationError` whose `reason` is `'store_unavailable'`:
 * the intake answers 503 and never runs a handler unprotected (unless you opt into `failOpen`).
 *
 * @example
 * import { Redis } from 'ioredis'
 * const store = new RedisReplayStore(new Redis(process.env.REDIS_URL), { prefix: 'shop:hooks:' })
 * const intake = webhookIntake(stripeWebhooks({ secret }), { store, handler })
 */
export class RedisReplayStore implements DeliveryStore, ReplayStore {
  readonly #run: (script: Script, keys: string[], args: string[]) => Promise<unknown>
  readonly #prefix: string

  constructor(client: RedisScriptClient, options: RedisReplayStoreOptions = {}) {
    const settings = REDIS_STORE_OPTIONS(options, '')
    this.#prefix = settings.prefix
    const target = client as unknown as Record<string, unknown> | null
    let call: (script: Script, keys: string[], args: string[], bySha: boolean) => Promise<unknown>
    if (typeof target?.evalSha === 'function' && typeof target.eval === 'function') {
      const io = client as { evalSha(sha: string, o: object): Promise<unknown>; eval(s: string, o: object): Promise<unknown> }
      call = (script, keys, args, bySha) => (bySha ? io.evalSha(script.sha, { keys, arguments: args }) : io.eval(script.source, { keys, arguments: args }))
    } else if (typeof target?.evalsha === 'function' && typeof target.eval === 'function') {
      const io = client as { evalsha(sha: string, n: number, ...a: string[]): Promise<unknown>; eval(s: string, n: number, ...a: string[]): Promise<unknown> }
      call = (script, keys, args, bySha) => (bySha ? io.evalsha(script.sha, keys.length, ...keys, ...args) : io.eval(script.source, keys.length, ...keys, ...args))
    } else {
      throw new ConfigError('client', 'must be an ioredis or node-redis client (with evalsha/evalSha and eval)')
    }
    const { timeout } = settings
    this.#run = async (script, keys, args) => {
      let timer: ReturnType<typeof setTimeout> | undefined
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeout} ms`)), timeout)
      })
      try {
        const attempt = async () => {
          try {
            return await call(script, keys, args, true)
          } catch (error) {
            // A restarted Redis forgot its scripts: EVAL loads it again, and later calls use the SHA.
            if (!String((error as { message?: unknown } | null)?.message).startsWith('NOSCRIPT')) throw error
            return call(script, keys, args, false)
          }
        }
        return await Promise.race([attempt(), late])
      } catch (error) {
        throw unavailable(error)
      } finally {
        clearTimeout(timer)
      }
    }
  }

  #key(id: string): string {
    return `${this.#prefix}d:${id}`
  }

  /** Takes the lease on `id` (one EVALSHA); see {@link DeliveryStore.begin}. */
  async begin(id: string, request: BeginRequest): Promise<BeginOutcome> {
    const { token, leaseMs, order } = request
    const keys = [this.#key(id)]
    const args = [`l:${token}`, String(Math.max(1, Math.ceil(leaseMs)))]
    if (order) {
      keys.push(`${this.#prefix}o:${order.resource}`)
      args.push(String(order.version), String(Math.max(1, Math.ceil(order.ttlMs))), id)
    }
    const outcome = String(await this.#run(SCRIPTS.begin, keys, args))
    if (outcome === 'new' || outcome === 'processing' || outcome === 'done' || outcome === 'stale') return outcome
    throw unavailable(new Error(`unexpected answer from the begin script: ${outcome.slice(0, 40)}`))
  }

  /** Marks `id` done for `doneMs` (one EVALSHA), unless another attempt's lease holds it. */
  async complete(id: string, token: string, doneMs: number): Promise<void> {
    await this.#run(SCRIPTS.complete, [this.#key(id)], [`l:${token}`, String(Math.max(1, Math.ceil(doneMs)))])
  }

  /** Drops `token`'s lease on `id`; without a token, forgets `id` whatever its state (the {@link ReplayStore} use). */
  async release(id: string, token?: string): Promise<void> {
    await this.#run(SCRIPTS.release, [this.#key(id)], [token === undefined ? '' : `l:${token}`])
  }

  /** The {@link ReplayStore} mark for a verifier's `replay` option: set-if-absent with expiry, one round trip. */
  async claim(id: string, ttlSeconds: number): Promise<boolean> {
    return Number(await this.#run(SCRIPTS.claim, [this.#key(id)], [String(Math.max(1, Math.ceil(ttlSeconds * 1000)))])) === 1
  }
}
