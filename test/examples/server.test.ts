import { afterEach, describe, expect, it } from 'vitest'
import { startExampleServer } from '../../examples/server/index.js'
import { createClient } from '../../src/index.js'

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!()
})

describe('examples/server', () => {
  it('a REST handler publishes; the subscriber of that user channel gets it, another user is refused', async () => {
    const server = await startExampleServer()
    cleanups.push(() => server.close())
    const alice = createClient({ baseUrl: server.baseUrl, auth: 'alice-token' })
    cleanups.push(() => alice.realtime.close())
    const seen: unknown[] = []
    await alice.realtime.subscribe('orders:alice', (event) => seen.push(event.data)).ready
    const forbidden = alice.realtime.subscribe('orders:bob', () => {})
    await expect(forbidden.ready).rejects.toMatchObject({ code: 'forbidden' })
    const response = await fetch(`${server.baseUrl}/orders`, { method: 'POST', headers: { authorization: 'Bearer alice-token' }, body: '{"item":"tea"}' })
    expect(response.status).toBe(201)
    expect(await response.json()).toMatchObject({ order: { id: 1, item: 'tea' }, position: { offset: '1' } })
    await expect.poll(() => seen).toEqual([{ id: 1, item: 'tea' }])
  })
})
