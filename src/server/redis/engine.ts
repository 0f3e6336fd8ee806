/**
 * The Redis engine: each channel's history in a Redis Stream (`XADD … MAXLEN ~`), its head offset
 * and epoch in a hash beside it, both changed only by Lua scripts so offsets are assigned atomically
 * per channel across every process. A lost stream (Redis restarted empty, a key evicted) starts a
 * new epoch. Every process hears new events on one pub/sub channel and delivers them per channel in
 * offset order; a notification that skips offsets is preceded by the missing events, read back from
 * the stream (a process that missed a notification fills the hole first).
 */
import { createHash, randomUUID } from 'node:crypto'
import { check, count, milliseconds, record } from '../../core/checks.js'
import { ConfigError } from '../../core/errors.js'
import type { StreamPosition } from '../../core/protocol.js'
import type { Engine, EventListener, PublishResult, Recovery, StoredEvent } from '../engine.js'
import { type RedisLink, ioredisLink, isIoredis, isNodeRedis, nodeRedisLink } from './adapter.js'

/** Options of {@link createRedisEngine}. `client` is required. */
export interface RedisEngineOptions {
  /** An `ioredis` client or a connected `redis` (node-redis) client. The engine opens one more connection from it (`duplicate()`) for pub/sub. */
  client: unknown
  /**
   * Prefix of every key and of the pub/sub channel, so several apps can share one Redis.
   * @default 'wirekit:'
   */
  prefix?: string
  /** Per-channel history. */
  history?: {
    /**
     * Events kept per channel (`MAXLEN ~`: Redis may keep a few more).
     * @default 10000
     */
    events?: number
  }
  /** How long accepted client publish ids are remembered (one key each, with this expiry). */
  publishIds?: {
    /**
     * Milliseconds an id is remembered.
     * @default 600000
     */
    ageMs?: number
  }
}

/** The Redis engine's options. */
export const REDIS_ENGINE_OPTIONS = record({
  client: check<unknown>((value) => isIoredis(value) || isNodeRedis(value), 'an ioredis or node-redis client'),
  prefix: check<string>((value) => typeof value === 'string', 'a string', 'wirekit:'),
  history: record({ events: count(10_000, 1) }),
  publishIds: record({ ageMs: milliseconds(600_000, 1) }),
})

/**
 * Lua shared by both scripts (KEYS[1] the stream, KEYS[2] the meta hash): the channel's `epoch` and
 * `head`. A channel never seen, or a stream gone while the head says it held events (Redis restarted
 * empty, the key evicted), starts over at head 0 in the epoch `fresh`, so clients get a gap, never a hole.
 */
const currentEpoch = (fresh: string): string => `local epoch = redis.call('HGET', KEYS[2], 'e')
local head = tonumber(redis.call('HGET', KEYS[2], 'h') or '0')
if (not epoch) or (head > 0 and redis.call('EXISTS', KEYS[1]) == 0) then
  epoch = ${fresh}
  head = 0
  redis.call('DEL', KEYS[1])
  redis.call('HSET', KEYS[2], 'e', epoch, 'h', 0)
end`

// KEYS: stream, meta, id key (or the meta again when the publish has no id). ARGV: maxlen, name,
// data JSON, a fresh epoch, id expiry ms, notify channel, channel name, has id (1/0).
const PUBLISH = `
if ARGV[8] == '1' then
  local prev = redis.call('GET', KEYS[3])
  if prev then return {0, prev} end
end
${currentEpoch('ARGV[4]')}
head = head + 1
redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], head .. '-1', 'n', ARGV[2], 'd', ARGV[3], 'e', epoch)
redis.call('HSET', KEYS[2], 'e', epoch, 'h', head)
local position = head .. ':' .. epoch
if ARGV[8] == '1' then redis.call('SET', KEYS[3], position, 'PX', ARGV[5]) end
redis.call('PUBLISH', ARGV[6], '[' .. cjson.encode(ARGV[7]) .. ',' .. head .. ',' .. cjson.encode(epoch) .. ',' .. cjson.encode(ARGV[2]) .. ',' .. ARGV[3] .. ']')
return {1, position}
`

// KEYS: stream, meta. ARGV: a fresh epoch, the offset to read after ('' for the head only), the last offset to read ('' for the head).
const READ = `
${currentEpoch('ARGV[1]')}
if ARGV[2] == '' then return {epoch, head} end
local after = tonumber(ARGV[2])
local upto = head
if ARGV[3] ~= '' then upto = math.min(head, tonumber(ARGV[3])) end
if after >= upto then return {epoch, head, {}} end
return {epoch, head, redis.call('XRANGE', KEYS[1], (after + 1) .. '-1', upto .. '-1')}
`

interface Script {
  text: string
  sha: string
}
const script = (text: string): Script => ({ text, sha: createHash('sha1').update(text).digest('hex') })

interface Listened {
  listeners: Set<EventListener>
  epoch: string
  last: number
  queue: Promise<void>
}

/**
 * Creates the Redis engine over the client you pass (ioredis or node-redis, connected).
 *
 * @example
 * const engine = createRedisEngine({ client: new Redis(process.env.REDIS_URL) })
 * const server = await createRealtimeServer({ server: httpServer, engine })
 */
export function createRedisEngine(options: RedisEngineOptions): Engine {
  if (options === undefined || options === null || typeof options !== 'object') throw new ConfigError('options', 'must be an object with client')
  const config = REDIS_ENGINE_OPTIONS(options, '')
  if (config.client === undefined) throw new ConfigError('client', 'is required: an ioredis or node-redis client')
  // ioredis also has `sendCommand`, so it is recognised first, by `call`.
  const link: RedisLink = isIoredis(config.client) ? ioredisLink(config.client) : nodeRedisLink(config.client as never)
  const { prefix } = config
  const notify = `${prefix}events`
  const publishScript = script(PUBLISH)
  const readScript = script(READ)
  const listened = new Map<string, Listened>()
  let unsubscribe: Promise<() => Promise<void>> | undefined

  // Keys of one channel share a hash tag, so a Redis Cluster keeps them on one node.
  const keys = (channel: string) => [`${prefix}{${channel}}:s`, `${prefix}{${channel}}:m`]

  async function run(s: Script, keyList: string[], args: string[]): Promise<unknown> {
    try {
      return await link.command(['EVALSHA', s.sha, String(keyList.length), ...keyList, ...args])
    } catch (error) {
      if (!String((error as Error)?.message).includes('NOSCRIPT')) throw error
      return link.command(['EVAL', s.text, String(keyList.length), ...keyList, ...args])
    }
  }

  async function read(channel: string, after?: number, upto?: number): Promise<{ epoch: string; head: number; entries?: StoredEvent[] }> {
    const reply = (await run(readScript, keys(channel), [newEpoch(), after === undefined ? '' : String(after), upto === undefined ? '' : String(upto)])) as [string, number | string, Array<[string, string[]]>?]
    const epoch = String(reply[0])
    const entries = reply[2]?.map(([id, fields]) => toEvent(channel, id, fields))
    return { epoch, head: Number(reply[1]), entries }
  }

  function toEvent(channel: string, id: string, fields: string[]): StoredEvent {
    const field: Record<string, string> = {}
    for (let index = 0; index < fields.length; index += 2) field[String(fields[index])] = String(fields[index + 1])
    return { channel, offset: String(id).split('-')[0]!, epoch: field.e!, name: field.n!, data: JSON.parse(field.d!) }
  }

  /** Delivers `event` to this process's listeners in offset order, first filling any hole from the stream. */
  function arrive(state: Listened, event: StoredEvent): void {
    state.queue = state.queue
      .then(async () => {
        const offset = Number(event.offset)
        if (event.epoch === state.epoch && offset <= state.last) return
        const after = event.epoch === state.epoch ? state.last : 0
        if (offset > after + 1) {
          const { entries = [] } = await read(event.channel, after, offset - 1)
          for (const missed of entries) if (missed.epoch === event.epoch) emit(state, missed)
        }
        emit(state, event)
      })
      .catch(() => {})
  }

  function emit(state: Listened, event: StoredEvent): void {
    const offset = Number(event.offset)
    if (event.epoch === state.epoch && offset <= state.last) return
    state.epoch = event.epoch
    state.last = offset
    for (const listener of state.listeners) listener(event)
  }

  /** After the pub/sub connection came back: deliver what was published while it was away. */
  function resync(): void {
    for (const [channel, state] of listened) {
      state.queue = state.queue
        .then(async () => {
          const { epoch, head } = await read(channel)
          const after = epoch === state.epoch ? state.last : 0
          if (head <= after) return
          const { entries = [] } = await read(channel, after, head)
          for (const event of entries) if (event.epoch === epoch) emit(state, event)
        })
        .catch(() => {})
    }
  }

  function onMessage(text: string): void {
    let parsed: [string, number, string, string, unknown]
    try {
      parsed = JSON.parse(text)
    } catch {
      return
    }
    const [channel, offset, epoch, name, data] = parsed
    const state = listened.get(channel)
    if (state) arrive(state, { channel, offset: String(offset), epoch, name, data })
  }

  return {
    async publish(channel, name, data, id) {
      const [stream, meta] = keys(channel)
      const idKey = id === undefined ? meta! : `${prefix}{${channel}}:p:${id}`
      const json = JSON.stringify(data ?? null)
      const reply = (await run(publishScript, [stream!, meta!, idKey], [String(config.history.events), name, json, newEpoch(), String(config.publishIds.ageMs), notify, channel, id === undefined ? '0' : '1'])) as [
        number | string,
        string,
      ]
      const [offset, epoch] = String(reply[1]).split(':') as [string, string]
      return { event: { channel, offset, epoch }, duplicate: Number(reply[0]) === 0 } satisfies PublishResult
    },
    async recover(channel, from?: StreamPosition): Promise<Recovery> {
      if (!from) {
        const { epoch, head } = await read(channel)
        return { head: { offset: String(head), epoch }, missed: [] }
      }
      const after = Number(from.offset)
      const { epoch, head, entries } = await read(channel, Number.isSafeInteger(after) ? after : 0)
      const position = { offset: String(head), epoch }
      if (from.epoch !== epoch || !Number.isSafeInteger(after) || after > head) return { head: position, missed: undefined }
      const missed = entries ?? []
      // All or nothing: the stream must still hold every offset from after + 1 to the head.
      const complete = missed.length === head - after && missed.every((event, index) => event.epoch === epoch && Number(event.offset) === after + 1 + index)
      return { head: position, missed: complete ? missed : undefined }
    },
    async listen(channel, listener) {
      // Subscribe to notifications before reading the head, so nothing falls in between.
      unsubscribe ??= link.subscribe(notify, onMessage, resync)
      await unsubscribe
      let state = listened.get(channel)
      if (!state) {
        const { epoch, head } = await read(channel)
        state = listened.get(channel) ?? { listeners: new Set(), epoch, last: head, queue: Promise.resolve() }
        listened.set(channel, state)
      }
      state.listeners.add(listener)
      const own = state
      return () => {
        own.listeners.delete(listener)
        if (own.listeners.size === 0 && listened.get(channel) === own) listened.delete(channel)
      }
    },
    async close() {
      listened.clear()
      const stop = await unsubscribe?.catch(() => undefined)
      unsubscribe = undefined
      await stop?.()
    },
  }
}

function newEpoch(): string {
  return randomUUID().slice(0, 8)
}
