import * as v from 'valibot'
import { describe, expect, expectTypeOf, it } from 'vitest'
import { z } from 'zod'
import { createClient } from '../../src/index.js'
import { type RealtimeEvent, createRealtimeClient } from '../../src/realtime/index.js'
import { connectClient, onCleanup, startServer, until } from './support.js'

type Events = { chat: { message: { text: string }; typing: { user: string } }; presence: { joined: { id: number } } }

describe('typed channels and schemas', () => {
  it('types channel names, event names and payloads from an event map', () => {
    const client = createRealtimeClient<Events>({ realtimeUrl: 'ws://127.0.0.1:9' })
    expectTypeOf(client.subscribe<'chat'>).parameter(0).toEqualTypeOf<'chat'>()
    client.subscribe('chat', (event) => {
      if (event.name === 'message') expectTypeOf(event.data).toEqualTypeOf<{ text: string }>()
      else expectTypeOf(event.data).toEqualTypeOf<{ user: string }>()
    })
    // @ts-expect-error: not a channel of the map
    client.subscribe('nope', () => {})
    // @ts-expect-error: wrong payload for the event name
    void client.publish('chat', 'message', { text: 1 }).catch(() => {})
    // @ts-expect-error: not an event of the channel
    void client.publish('presence', 'message', { text: 'x' }).catch(() => {})
    const typed = createClient({ realtimeUrl: 'ws://127.0.0.1:9' }).realtime.typed<Events>()
    expectTypeOf(typed.subscribe('presence').channel).toEqualTypeOf<string>()
    expectTypeOf<RealtimeEvent<Events, 'presence'>['data']>().toEqualTypeOf<{ id: number }>()
    client.close()
  })

  it('infers the event map from schemas, validates at run time, and keeps the stream going past an invalid event', async () => {
    const server = await startServer()
    const client = createRealtimeClient({
      realtimeUrl: server.url,
      realtime: {
        backoff: { base: 0, cap: 0 },
        schemas: { orders: { created: z.object({ id: z.number() }), cancelled: v.object({ id: v.number(), reason: v.string() }) } },
      },
    })
    onCleanup(() => client.close())
    const seen: string[] = []
    const errors: unknown[] = []
    const sub = client.subscribe('orders', {
      onEvent: (event) => {
        if (event.name === 'created') expectTypeOf(event.data).toEqualTypeOf<{ id: number }>()
        seen.push(`${event.name}:${JSON.stringify(event.data)}`)
      },
      onError: (error) => errors.push(error),
    })
    await sub.ready
    server.publish('orders', 'created', { id: 1 })
    server.publish('orders', 'created', { id: 'not a number' })
    server.publish('orders', 'shipped', { id: 3 })
    server.publish('orders', 'cancelled', { id: 4, reason: 'late' })
    await until(() => seen.length === 2 && errors.length === 2)
    expect(seen).toEqual(['created:{"id":1}', 'cancelled:{"id":4,"reason":"late"}'])
    expect(errors).toMatchObject([
      { name: 'RealtimeError', code: 'invalid_event', message: expect.stringContaining('offset 2') },
      { code: 'invalid_event', message: expect.stringContaining('no schema for event "shipped"') },
    ])
  })

  it('keeps order with async schemas', async () => {
    const server = await startServer()
    let delay = 30
    const slow = {
      '~standard': {
        version: 1 as const,
        vendor: 'test',
        validate: (value: unknown) => new Promise<{ value: unknown }>((resolve) => setTimeout(() => resolve({ value }), (delay = Math.max(0, delay - 10)))),
      },
    }
    const client = connectClient(server, { realtime: { schemas: { s: { e: slow } } } })
    const seen: unknown[] = []
    await client.subscribe('s', (event) => seen.push(event.data)).ready
    for (let i = 1; i <= 4; i++) server.publish('s', 'e', i)
    await until(() => seen.length === 4)
    expect(seen).toEqual([1, 2, 3, 4])
  })

  it('passes an exception thrown by a handler to its onError, untouched, and goes on', async () => {
    const server = await startServer()
    const client = connectClient(server)
    const boom = new Error('app bug')
    const errors: unknown[] = []
    const seen: unknown[] = []
    await client.subscribe('x', {
      onEvent: (event) => {
        if (event.data === 1) throw boom
        seen.push(event.data)
      },
      onError: (error) => errors.push(error),
    }).ready
    server.publish('x', 'e', 1)
    server.publish('x', 'e', 2)
    await until(() => seen.length === 1)
    expect(errors).toEqual([boom])
  })

  it('is an async iterator that ends on unsubscribe and on close', async () => {
    const server = await startServer()
    const client = connectClient(server)
    const sub = client.subscribe('feed')
    await sub.ready
    for (let i = 1; i <= 3; i++) server.publish('feed', 'e', i)
    const got: unknown[] = []
    for await (const event of sub) {
      got.push(event.data)
      if (got.length === 3) break
    }
    expect(got).toEqual([1, 2, 3])
    await until(() => server.counters.unsubscribes === 1)

    const second = client.subscribe('feed')
    await second.ready
    const iterating = (async () => {
      const items: unknown[] = []
      for await (const event of second) items.push(event.data)
      return items
    })()
    server.publish('feed', 'e', 4)
    await until(() => client.position('feed')?.offset === '4')
    client.close()
    expect(await iterating).toEqual([4])
  })

  it('several subscriptions share one server subscription; the last unsubscribe ends it', async () => {
    const server = await startServer()
    const client = connectClient(server)
    const a: unknown[] = []
    const b: unknown[] = []
    const first = client.subscribe('x', (e) => a.push(e.data))
    const second = client.subscribe('x', (e) => b.push(e.data))
    await Promise.all([first.ready, second.ready])
    server.publish('x', 'e', 1)
    await until(() => a.length === 1 && b.length === 1)
    first.unsubscribe()
    server.publish('x', 'e', 2)
    await until(() => b.length === 2)
    expect(a).toEqual([1])
    expect(server.counters.subscribes).toBe(1)
    expect(server.counters.unsubscribes).toBe(0)
    second.unsubscribe()
    await until(() => server.counters.unsubscribes === 1)
  })

  it('validates its options with ConfigErrors naming the field, at createClient time', () => {
    expect(() => createClient({ realtime: { heartbeatMs: -1 } })).toThrow(/realtime\.heartbeatMs/)
    expect(() => createClient({ realtime: { maxRetry: 3 } as never })).toThrow(/realtime\.maxRetry: is not an option/)
    expect(() => createClient({ realtime: { backoff: { base: 10, cap: 5 } } })).toThrow(/realtime\.backoff\.cap/)
    expect(() => createClient({ realtime: { schemas: { a: { b: {} } } } as never })).toThrow(/realtime\.schemas\.a\.b/)
  })

  it('createClient attaches a lazy realtime client sharing the one Auth', async () => {
    const server = await startServer({ authenticate: (token) => token === 'k' })
    const client = createClient({ realtimeUrl: server.url, auth: 'k' })
    onCleanup(() => client.realtime.close())
    expect(client.realtime.state).toBe('idle')
    await client.realtime.subscribe('x', () => {}).ready
    expect(server.clients[0]!.token).toBe('k')
  })
})
