// 20,000 fuzzed client frames against a running server: every frame is answered the way
// docs/protocol.md (and its "Malformed frames" decision) says, the server never crashes, and a
// bystander client on the same server gets every event and every pong.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isOffset } from '../../src/core/protocol.js'
import { type Frame, raw, startServer, until, welcomed } from './support.js'

const FRAMES = Number(process.env.WIREKIT_FUZZ_FRAMES ?? 20_000)
const SEED = Number(process.env.WIREKIT_FUZZ_SEED ?? 20261201)
const FRAME_BYTES = 4096

type Expected = 'invalid_frame' | 'invalid_channel' | 'invalid_publish' | 'error-with-id' | 'pong' | 'authed' | 'subscribed' | 'unsubscribed' | 'ack' | 'none' | 'close-4401' | 'close-1009'
type Case = { text?: string; binary?: Uint8Array }

const validId = (id: unknown) => typeof id === 'string' && id.length > 0 && id.length <= 256
const validChannel = (channel: unknown) => typeof channel === 'string' && channel.length > 0 && channel.length <= 256

/** What the protocol says the answer to one frame is (events aside: they are fan-out, not answers). */
function expected(c: Case): Expected {
  if (c.binary) return 'invalid_frame'
  if (c.text!.length > FRAME_BYTES) return 'close-1009'
  let frame: any
  try {
    frame = JSON.parse(c.text!)
  } catch {
    return 'invalid_frame'
  }
  if (typeof frame !== 'object' || frame === null || Array.isArray(frame) || typeof frame.type !== 'string') return 'invalid_frame'
  switch (frame.type) {
    case 'auth':
      return typeof frame.token === 'string' && frame.token.length > 0 ? 'authed' : 'close-4401'
    case 'ping':
      return 'pong'
    case 'subscribe': {
      if (!validId(frame.id)) return 'invalid_frame'
      if (!validChannel(frame.channel)) return 'invalid_channel'
      const from = frame.from
      if (from !== undefined && (typeof from !== 'object' || from === null || !isOffset(from.offset) || typeof from.epoch !== 'string')) return 'error-with-id'
      return 'subscribed'
    }
    case 'unsubscribe':
      if (!validId(frame.id)) return 'invalid_frame'
      return validChannel(frame.channel) ? 'unsubscribed' : 'invalid_channel'
    case 'publish':
      if (!validId(frame.id)) return 'invalid_publish'
      return validChannel(frame.channel) && typeof frame.name === 'string' && frame.name.length > 0 ? 'ack' : 'invalid_publish'
    default:
      return 'none'
  }
}

/** The category of one answer frame. */
function category(frame: Frame): Expected {
  if (frame.type === 'error') {
    if (frame.id !== undefined && frame.code === 'invalid_frame') return 'error-with-id'
    return frame.code as Expected
  }
  return frame.type as Expected
}

const anything = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }))
const channel = fc.oneof(fc.constantFrom('a', 'b', 'c', ''), fc.string({ maxLength: 300 }), anything)
const field = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined })
const knownShape = fc.record(
  {
    type: fc.constantFrom('auth', 'subscribe', 'unsubscribe', 'publish', 'ping'),
    id: field(fc.oneof(fc.string({ minLength: 1, maxLength: 8 }), fc.string({ maxLength: 300 }), anything)),
    channel: field(channel),
    name: field(fc.oneof(fc.constantFrom('created', ''), anything)),
    token: field(fc.oneof({ weight: 8, arbitrary: fc.constant('t') }, { weight: 1, arbitrary: fc.constant('') }, { weight: 1, arbitrary: anything })),
    t: field(anything),
    data: field(anything),
    from: field(fc.oneof(fc.record({ offset: fc.oneof(fc.constantFrom('0', '1', '01', '-1', '9007199254740993'), anything), epoch: fc.oneof(fc.string({ maxLength: 8 }), anything) }), anything)),
  },
  { requiredKeys: ['type'] },
)
const caseArb: fc.Arbitrary<Case> = fc.oneof(
  { weight: 30, arbitrary: knownShape.map((frame) => ({ text: JSON.stringify(frame) })) },
  { weight: 5, arbitrary: fc.record({ type: fc.string({ maxLength: 12 }), id: field(fc.string()) }).map((frame) => ({ text: JSON.stringify(frame) })) },
  { weight: 5, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((value) => ({ text: JSON.stringify(value) ?? 'null' })) },
  { weight: 5, arbitrary: fc.string({ maxLength: 40 }).map((text) => ({ text })) },
  { weight: 5, arbitrary: fc.uint8Array({ maxLength: 40 }).map((binary) => ({ binary })) },
  { weight: 1, arbitrary: fc.integer({ min: FRAME_BYTES + 1, max: FRAME_BYTES * 4 }).map((size) => ({ text: JSON.stringify({ type: 'publish', id: 'big', channel: 'a', name: 'n', data: 'z'.repeat(size) }) })) },
  { weight: 1, arbitrary: fc.constantFrom<Case>({ text: '{"type":"auth"}' }, { text: '{"type":"auth","token":""}' }, { text: '{"type":"auth","token":5}' }) },
)

describe('fuzzed client frames', () => {
  it(`${FRAMES} fuzzed frames: each answered as the protocol says, no crash, a bystander unaffected`, { timeout: 180_000 }, async () => {
    const server = await startServer({ limits: { frameBytes: FRAME_BYTES, channelsPerConnection: 1_000_000 } })
    const bystander = await welcomed(server.url)
    bystander.send({ type: 'subscribe', id: 'w', channel: 'watch' })
    await bystander.next((f) => f.type === 'subscribed')
    const cases = fc.sample(caseArb, { numRuns: FRAMES, seed: SEED })
    let client = await welcomed(server.url)
    let marker = 0
    let mismatches = 0
    let closes = 0
    let published = 0
    const counts: Record<string, number> = {}
    const BATCH = 200
    for (let start = 0; start < cases.length; ) {
      // A frame that closes the connection ends its batch.
      let end = start
      const want: Expected[] = []
      // A frame that closes the connection goes alone: ws refuses an oversized frame as it reads its
      // header, before the answers to frames ahead of it in the same read are sent (docs/protocol.md).
      while (end < cases.length && end - start < BATCH) {
        const e = expected(cases[end]!)
        if (e.startsWith('close') && end > start) break
        counts[e] = (counts[e] ?? 0) + 1
        end++
        if (e.startsWith('close')) {
          want.push(e)
          break
        }
        if (e !== 'none') want.push(e)
      }
      const from = client.frames.length
      for (const c of cases.slice(start, end)) c.binary ? client.socket.send(c.binary, { binary: true }) : client.send(c.text!)
      const last = want.at(-1)
      if (last?.startsWith('close')) {
        const { code } = await client.closed
        closes++
        const answers = client.frames.slice(from).filter((f) => f.type !== 'event').map(category)
        if (code !== Number(last.slice(6)) || JSON.stringify(answers) !== JSON.stringify(want.slice(0, -1))) {
          mismatches++
          if (mismatches < 4) console.log('mismatch', code, JSON.stringify({ want, answers }))
        }
        client = await welcomed(server.url)
      } else {
        const t = -(++marker)
        client.send({ type: 'ping', t })
        await client.next((f) => f.type === 'pong' && f.t === t, from)
        const answers = client.frames.slice(from).filter((f) => f.type !== 'event').map(category).slice(0, -1)
        if (JSON.stringify(answers) !== JSON.stringify(want)) {
          mismatches++
          if (mismatches < 3) console.log('mismatch', { want, answers })
        }
      }
      start = end
      await server.publish('watch', 'tick', ++published)
    }
    bystander.send({ type: 'ping', t: 7 })
    await bystander.next((f) => f.type === 'pong' && f.t === 7)
    await until(() => bystander.frames.filter((f) => f.type === 'event').length === published)
    const ticks = bystander.frames.filter((f) => f.type === 'event').map((f) => f.data)
    console.log(
      `[acceptance] fuzz: ${cases.length} frames (seed ${SEED}): ${mismatches} answered otherwise than the protocol says, ${closes} closes as specified, server up with ${server.connections} connections; bystander got ${ticks.length}/${published} events in order. Mix: ${JSON.stringify(counts)}`,
    )
    expect(mismatches).toBe(0)
    expect(ticks).toEqual(Array.from({ length: published }, (_, index) => index + 1))
    expect(counts['close-1009']).toBeGreaterThan(0)
    expect(counts['invalid_frame']).toBeGreaterThan(0)
  })

  it('out-of-order steps on a server that requires auth: any frame before auth closes with 4401', async () => {
    const server = await startServer({ authenticate: (token) => (token === 'ok' ? { user: 1 } : undefined) })
    const firsts = fc.sample(caseArb.filter((c) => expected(c) !== 'authed' && expected(c) !== 'close-1009' && expected(c) !== 'close-4401'), { numRuns: 100, seed: SEED })
    let refused = 0
    for (const c of firsts) {
      const client = await raw(server.url)
      c.binary ? client.socket.send(c.binary, { binary: true }) : client.send(c.text!)
      if ((await client.closed).code === 4401) refused++
    }
    expect(refused).toBe(100)
    const good = await welcomed(server.url, 'ok')
    good.send({ type: 'ping', t: 1 })
    expect(await good.next((f) => f.type === 'pong')).toEqual({ type: 'pong', t: 1 })
  })
})
