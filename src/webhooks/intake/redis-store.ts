/**
 * `RedisReplayStore`: delivery leases shared by every receiver process, on a Redis client the user
 * passes in (ioredis or node-redis). Imports neither: it talks to the client through
 * {@link RedisCommandClient}, one atomic command (or Lua script) per transition, one round trip each.
 */
import { check, milliseconds, record } from '../../core/checks.js'
import { ConfigError, WebhookVerificationError } from '../../core/errors.js'
import type { BeginOutcome, BeginRequest, DeliveryStore, ReplayStore } from '../replay.js'

/**
 * The slice of a Redis client this store uses: one way to send any command — ioredis's
 * `call(command, args)` or node-redis's `sendCommand([command, ...args])`. Both clients fit as they are.
 *
 * @example
 * const store = new RedisReplayStore(new Redis()) // ioredis
 * const store2 = new RedisReplayStore(await createClient().connect()) // node-redis
 */
export type RedisCommandClient = IoredisCommands | NodeRedisCommands

/** ioredis's generic command call, as {@link RedisReplayStore} uses it. */
export interface IoredisCommands {
  /** Sends `command` with `args` and resolves with Redis's reply. */
  call(command: string, ...args: string[]): Promise<unknown>
}

/**
 * node-redis's generic command call, as {@link RedisReplayStore} uses it: a client from
 * `createClient()`. node-redis's cluster and sentinel clients take other `sendCommand` arguments
 * (a first key, a read-only flag) and do not fit this type.
 */
export interface NodeRedisCommands {
  /** Sends `[command, ...args]` and resolves with Redis's reply. */
  sendCommand(args: string[]): Promise<unknown>
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

// A delivery key holds `l:<token>` while leased and `done` once handled, so no token can read as
// `done`. Versions compare as Lua numbers (doubles): exact for integers up to 2^53, which covers epoch
// milliseconds and counters. The script answers as `SET … NX GET` does (nil: the lease is ours; else
// what holds the id), or `stale`.
const BEGIN_ORDERED = `local v = redis.call('GET', KEYS[1])
if v then return v end
local last = redis.call('HMGET', KEYS[2], 'v', 'id')
local lv = tonumber(last[1])
local version = tonumber(ARGV[3])
if lv and (lv > version or (lv == version and last[2] ~= ARGV[5])) then return 'stale' end
redis.call('HSET', KEYS[2], 'v', ARGV[3], 'id', ARGV[5])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return false`

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`

/** A Lua script with its SHA-1, computed once at build time (a test re-derives them), so no call needs crypto. */
interface Script {
  readonly source: string
  readonly sha: string
}
/**
 * @internal The two transitions that need a script (everything else is one native command); exported
 * for the test that checks each SHA-1.
 */
export const SCRIPTS: Readonly<Record<'beginOrdered' | 'release', Script>> = {
  beginOrdered: { source: BEGIN_ORDERED, sha: '230a006aa42b5c08d957efb3290e95de1687a4d7' },
  release: { source: RELEASE, sha: '7f8f6677b8f2b4b65b9b9905151ced126e6b7e49' },
}

const unavailable = (cause: unknown): WebhookVerificationError =>
  // The message names no host, URL or credential; the client's own error stays in `cause` (never in toJSON).
  new WebhookVerificationError('store_unavailable', 'the delivery store (Redis) could not be reached; the sender should retry later', { cause })

/** A TTL in whole milliseconds, at least 1, as Redis takes it. */
const px = (ms: number): string => String(Math.max(1, Math.ceil(ms)))

/** Begin's answer, from `SET … NX GET` or the ordering script: nil when the lease is ours, else what holds the id. */
function outcomeOf(held: unknown): BeginOutcome {
  if (held === null) return 'new'
  if (held === 'done' || held === 'stale') return held
  if (typeof held === 'string' && held.startsWith('l:')) return 'processing'
  throw new Error(`unexpected answer to begin: ${String(held).slice(0, 40)}`)
}

const nothing = (): void => undefined

/** A command waiting for its reply: when it is overdue, and how to fail it then. */
interface Waiting {
  readonly due: number
  readonly fail: (error: WebhookVerificationError) => void
}

/**
 * A {@link DeliveryStore} (and {@link ReplayStore}) on Redis 7.0 or newer, shared by every receiver
 * process. Each transition is one atomic round trip: begin is `SET key l:<token> NX PX lease GET`,
 * complete `SET key done PX ttl`, a verifier's claim `SET key done NX PX ttl`; only begin with
 * `ordering` and a release by token run a Lua script (EVALSHA; EVAL once after a Redis restart flushed
 * its script cache). When Redis cannot be reached, or answers slower than `timeout`, every call rejects
 * with a `WebhookVerificationError` whose `reason` is `'store_unavailable'`: the intake answers 503 and
 * never runs a handler unprotected (unless you opt into `failOpen`).
 *
 * @example
 * import { Redis } from 'ioredis'
 * const store = new RedisReplayStore(new Redis(process.env.REDIS_URL), { prefix: 'shop:hooks:' })
 * const intake = webhookIntake(stripeWebhooks({ secret }), { store, handler })
 */
export class RedisReplayStore implements DeliveryStore, ReplayStore {
  readonly #send: (args: string[]) => Promise<unknown>
  readonly #prefix: string
  readonly #timeout: number
  /** Commands waiting for Redis, oldest first: with one timeout for all, also the soonest due first. */
  readonly #waiting = new Set<Waiting>()
  /** One watchdog timer while commands wait, never one per command. perf: docs/performance.md#webhooks-one-watchdog-timer */
  #watchdog: ReturnType<typeof setTimeout> | undefined

  constructor(client: RedisCommandClient, options: RedisReplayStoreOptions = {}) {
    const settings = REDIS_STORE_OPTIONS(options, '')
    this.#prefix = settings.prefix
    this.#timeout = settings.timeout
    const target = client as Partial<IoredisCommands & NodeRedisCommands> | null
    // node-redis first: ioredis has a `sendCommand` too, but it takes a Command object.
    if (typeof target?.sendCommand === 'function' && typeof target.call !== 'function') {
      const node = client as NodeRedisCommands
      this.#send = (args) => node.sendCommand(args)
    } else if (typeof target?.call === 'function') {
      const io = client as IoredisCommands
      this.#send = (args) => io.call(...(args as [string, ...string[]]))
    } else {
      throw new ConfigError('client', 'must be an ioredis client (call) or a node-redis client (sendCommand)')
    }
  }

  /**
   * Sends one command and resolves with `read(reply)`; rejects with `store_unavailable` when the command
   * fails, `read` throws, or no answer comes within `timeout`.
   */
  #run<T>(args: string[], read: (reply: unknown) => T): Promise<T> {
    return new Promise((resolve, reject) => {
      const waiting: Waiting = { due: performance.now() + this.#timeout, fail: reject }
      this.#waiting.add(waiting)
      this.#watchdog ??= this.#arm(this.#timeout)
      const failed = (error: unknown) => {
        this.#waiting.delete(waiting)
        reject(unavailable(error))
      }
      try {
        this.#send(args).then((reply) => {
          this.#waiting.delete(waiting)
          try {
            resolve(read(reply))
          } catch (error) {
            reject(unavailable(error))
          }
        }, failed)
      } catch (error) {
        failed(error)
      }
    })
  }

  #arm(delay: number): ReturnType<typeof setTimeout> {
    const timer = setTimeout(() => this.#overdue(), delay)
    // The watchdog alone never keeps a process alive (Node, Bun; elsewhere timers have no unref).
    ;(timer as { unref?: () => void }).unref?.()
    return timer
  }

  /** Fails every command past its due time, and re-arms for the next one still waiting. */
  #overdue(): void {
    this.#watchdog = undefined
    const now = performance.now()
    for (const waiting of this.#waiting) {
      if (waiting.due > now) {
        this.#watchdog = this.#arm(waiting.due - now)
        return
      }
      this.#waiting.delete(waiting)
      waiting.fail(unavailable(new Error(`no answer within ${this.#timeout} ms`)))
    }
  }

  /** Runs a script by its SHA-1; a restarted Redis forgot it, so EVAL loads it again and later calls use the SHA. */
  async #script<T>(script: Script, keys: string[], args: string[], read: (reply: unknown) => T): Promise<T> {
    const tail = [String(keys.length), ...keys, ...args]
    try {
      return await this.#run(['evalsha', script.sha, ...tail], read)
    } catch (error) {
      if (!String(((error as Error).cause as { message?: unknown } | null)?.message).startsWith('NOSCRIPT')) throw error
      return this.#run(['eval', script.source, ...tail], read)
    }
  }

  #key(id: string): string {
    return `${this.#prefix}d:${id}`
  }

  /** Takes the lease on `id` (one round trip); see {@link DeliveryStore.begin}. */
  begin(id: string, request: BeginRequest): Promise<BeginOutcome> {
    const { token, leaseMs, order } = request
    const key = this.#key(id)
    // `SET … NX GET` takes the lease when the id is free and answers what holds it otherwise, as the
    // ordering script does. perf: docs/performance.md#webhooks-native-redis-commands
    return order
      ? this.#script(SCRIPTS.beginOrdered, [key, `${this.#prefix}o:${order.resource}`], [`l:${token}`, px(leaseMs), String(order.version), px(order.ttlMs), id], outcomeOf)
      : this.#run(['set', key, `l:${token}`, 'PX', px(leaseMs), 'NX', 'GET'], outcomeOf)
  }

  /**
   * Marks `id` done for `doneMs` (one `SET`), whatever holds it now: the handler ran to its end, so the
   * delivery is handled even when this lease had expired and another attempt took the id (that
   * attempt's own complete, or release, then changes nothing).
   */
  complete(id: string, _token: string, doneMs: number): Promise<void> {
    return this.#run(['set', this.#key(id), 'done', 'PX', px(doneMs)], nothing)
  }

  /** Drops `token`'s lease on `id` (a script: it never deletes a lease another attempt holds); without a token, forgets `id` whatever its state (`DEL`). */
  release(id: string, token?: string): Promise<void> {
    return token === undefined ? this.#run(['del', this.#key(id)], nothing) : this.#script(SCRIPTS.release, [this.#key(id)], [`l:${token}`], nothing)
  }

  /** The {@link ReplayStore} mark for a verifier's `replay` option: `SET key done NX PX ttl`, one round trip. */
  claim(id: string, ttlSeconds: number): Promise<boolean> {
    return this.#run(['set', this.#key(id), 'done', 'NX', 'PX', px(ttlSeconds * 1000)], (reply) => reply !== null)
  }
}
