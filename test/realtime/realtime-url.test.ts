import { describe, expect, it } from 'vitest'
import { createRealtimeClient } from '../../src/realtime/index.js'
import { onCleanup, startServer, until } from './support.js'

describe('realtimeUrl as a list or a function', () => {
  it('a list: each connection attempt takes the next URL, so a client moves on when its server dies', async () => {
    const [a, b] = [await startServer(), await startServer()]
    const client = createRealtimeClient({ realtimeUrl: [a.url, b.url], realtime: { backoff: { base: 0, cap: 0 } } })
    onCleanup(() => client.close())
    const seen: number[] = []
    await client.subscribe('news', (event) => seen.push(event.data as number)).ready
    expect(a.counters.open).toBe(1)
    a.publish('news', 'e', 1)
    await until(() => seen.length === 1)
    // Server a dies for good: the next attempt goes to b.
    await a.close()
    await until(() => b.counters.open === 1 && b.clients[0]?.channels.has('news') === true)
    b.publish('news', 'e', 2)
    await until(() => seen.length === 2)
    expect(seen).toEqual([1, 2])
  })

  it('a function: called for every connection attempt with its number; its URL is checked', async () => {
    const [a, b] = [await startServer(), await startServer()]
    const attempts: number[] = []
    const client = createRealtimeClient({
      realtimeUrl: async (attempt) => {
        attempts.push(attempt)
        return attempt === 0 ? a.url : b.url
      },
      realtime: { backoff: { base: 0, cap: 0 } },
    })
    onCleanup(() => client.close())
    await client.subscribe('x', () => {}).ready
    a.drop()
    await until(() => b.counters.open === 1)
    expect(attempts.slice(0, 2)).toEqual([0, 1])

    const errors: unknown[] = []
    const bad = createRealtimeClient({ realtimeUrl: () => 'ftp://nowhere.example', realtime: { backoff: { base: 0, cap: 0 } } })
    onCleanup(() => bad.close())
    bad.on('error', (error) => errors.push(error))
    bad.subscribe('x', () => {})
    await until(() => errors.length > 0)
    expect(errors[0]).toMatchObject({ name: 'ConfigError', field: 'realtimeUrl()' })
  })
})
