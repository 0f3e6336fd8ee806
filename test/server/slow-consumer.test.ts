import { describe, expect, it } from 'vitest'
import { type ConnectionHandle, startRealtimeServer } from '../../src/server/core.js'
import { SLOW_CONSUMER } from '../../src/server/index.js'
import { type Frame, onCleanup, raw, until, welcomed } from './support.js'

// Full scale is the 50 MB; CI runs 20 MB (WIREKIT_SLOW_MB=50 for the full run).
const MEGABYTES = Number(process.env.WIREKIT_SLOW_MB ?? 20)
const PAYLOAD = 50_000
const BUFFER = 1_048_576

describe('a slow consumer', () => {
  it('is cut off with 4008 before its queue passes the buffer, then catches up with 0 lost', { timeout: 120_000 }, async () => {
    const handles: ConnectionHandle[] = []
    const server = await startRealtimeServer({ port: 0, limits: { sendBufferBytes: BUFFER }, idleTimeoutMs: false }, { open: (connection) => handles.push(connection) })
    onCleanup(() => server.close({ drainMs: 0 }))
    const events = Math.round((MEGABYTES * 1_000_000) / PAYLOAD)
    const slow = await welcomed(server.url)
    slow.send({ type: 'subscribe', id: 's', channel: 'feed' })
    const subscribed = await slow.next((f) => f.type === 'subscribed')
    // Stop reading: the TCP window fills, then the server's queue for it grows.
    slow.socket.pause()
    const payload = 'x'.repeat(PAYLOAD)
    let maxBuffered = 0
    for (let i = 1; i <= events; i++) {
      await server.publish('feed', 'chunk', { i, payload })
      maxBuffered = Math.max(maxBuffered, handles[0]!.bufferedAmount)
      if (i % 50 === 0) await new Promise((resolve) => setImmediate(resolve))
    }
    slow.socket.resume()
    const { code } = await slow.closed
    const received = slow.frames.filter((f) => f.type === 'event')
    // Whatever arrived before the cut is contiguous from 1.
    expect(received.map((f) => Number(f.offset))).toEqual(received.map((_, index) => index + 1))
    const last = received.at(-1)?.offset ?? '0'

    const back = await welcomed(server.url)
    back.send({ type: 'subscribe', id: 'r', channel: 'feed', from: { offset: last, epoch: subscribed.epoch } })
    expect(await back.next((f) => f.type === 'subscribed')).toMatchObject({ recovered: true, offset: String(events) })
    await until(() => back.frames.filter((f) => f.type === 'event').length === events - Number(last), 60_000, 'the catch-up')
    const all = [...received, ...back.frames.filter((f: Frame) => f.type === 'event')].map((f) => f.data.i as number)
    const lost = events - new Set(all).size
    const duplicated = all.length - new Set(all).size
    console.log(
      `[acceptance] slow consumer: ${((events * PAYLOAD) / 1e6).toFixed(0)} MB published, server queue for it peaked at ${(maxBuffered / 1024).toFixed(0)} KiB (limit ${BUFFER / 1024} KiB), closed with ${code}, caught up ${events - Number(last)} events after ${received.length}: ${lost} lost, ${duplicated} duplicated`,
    )
    expect(code).toBe(SLOW_CONSUMER)
    expect(maxBuffered).toBeLessThanOrEqual(BUFFER)
    expect(lost).toBe(0)
    expect(duplicated).toBe(0)
    expect(all).toEqual(Array.from({ length: events }, (_, index) => index + 1))
  })

  it('others on the same channel are unaffected by the cut', async () => {
    const server = await startRealtimeServer({ port: 0, limits: { sendBufferBytes: 64 * 1024 } })
    onCleanup(() => server.close({ drainMs: 0 }))
    const slow = await welcomed(server.url)
    const fine = await welcomed(server.url)
    for (const client of [slow, fine]) {
      client.send({ type: 'subscribe', id: 's', channel: 'feed' })
      await client.next((f) => f.type === 'subscribed')
    }
    slow.socket.pause()
    const payload = 'y'.repeat(10_000)
    for (let i = 1; i <= 500; i++) {
      await server.publish('feed', 'chunk', { i, payload })
      if (i % 20 === 0) await until(() => fine.frames.filter((f) => f.type === 'event').length === i)
    }
    slow.socket.resume()
    expect((await slow.closed).code).toBe(SLOW_CONSUMER)
    expect(fine.frames.filter((f) => f.type === 'event').map((f) => f.data.i)).toEqual(Array.from({ length: 500 }, (_, index) => index + 1))
    expect(fine.socket.readyState).toBe(fine.socket.OPEN)
    await raw(server.url)
  })
})
