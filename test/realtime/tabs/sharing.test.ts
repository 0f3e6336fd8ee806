// Tab sharing in Node, on Node's own Web Locks and BroadcastChannel (both real, process-wide, so
// several clients in one process behave as several tabs of one origin), against the reference server.
// The Chromium suite (test/tabs, `npm run test:browser`) runs the figures in a real browser.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ConfigError } from '../../../src/core/index.js'
import { type SharedRealtimeClient, createSharedRealtimeClient } from '../../../src/realtime/tabs/index.js'
import type { TestRealtimeServer } from '../../../src/testing/index.js'
import { onCleanup, startServer, until } from '../support.js'

let names = 0
/** A fresh tabs name per test, so tests never meet each other's leader. */
const fresh = () => `t${process.pid}-${++names}`

function tab(server: TestRealtimeServer, name: string): SharedRealtimeClient {
  const client = createSharedRealtimeClient({ realtimeUrl: server.url, realtime: { backoff: { base: 0, cap: 0 }, tabs: { name } } })
  onCleanup(() => client.close())
  return client
}

/** Offsets a tab saw per channel. */
function record(client: SharedRealtimeClient, channels: string[]) {
  const seen = new Map<string, number[]>(channels.map((channel) => [channel, []]))
  const ready = channels.map((channel) => client.subscribe(channel, (event) => seen.get(channel)!.push(Number(event.offset))).ready)
  return Object.assign(seen, { ready: Promise.all(ready) })
}

/** Lost and duplicated offsets, and whether the order held, against 1..n. */
function tally(offsets: number[], n: number) {
  const unique = new Set(offsets)
  let lost = 0
  for (let offset = 1; offset <= n; offset++) if (!unique.has(offset)) lost++
  return { lost, duplicated: offsets.length - unique.size, inOrder: offsets.every((offset, i) => i === 0 || offset > offsets[i - 1]!) }
}

/**
 * Node 24 has Web Locks (`navigator.locks`); Node 22, where the runtime suite also runs this file,
 * does not. There, and only there, an exclusive in-process lock queue stands in: enough for election
 * (one holder per name, the next waiter granted when the holder's promise settles, abortable waits).
 */
function installLocksWhereMissing(): void {
  if (typeof (globalThis as { navigator?: { locks?: unknown } }).navigator?.locks === 'object') return
  const queues = new Map<string, Array<() => void>>()
  const held = new Set<string>()
  const grant = (name: string) => {
    if (held.has(name)) return
    const next = queues.get(name)?.shift()
    if (next) next()
  }
  const locks = {
    request(name: string, options: { signal?: AbortSignal }, callback: () => unknown) {
      return new Promise((resolve, reject) => {
        const run = () => {
          held.add(name)
          Promise.resolve()
            .then(callback)
            .then(resolve, reject)
            .finally(() => {
              held.delete(name)
              grant(name)
            })
        }
        const queue = queues.get(name) ?? []
        queues.set(name, queue)
        queue.push(run)
        options.signal?.addEventListener('abort', () => {
          const index = queue.indexOf(run)
          if (index >= 0) queue.splice(index, 1)
          reject(options.signal!.reason)
        })
        grant(name)
      })
    },
  }
  vi.stubGlobal('navigator', { ...(globalThis as { navigator?: object }).navigator, locks })
}

beforeEach(installLocksWhereMissing)
afterEach(() => vi.unstubAllGlobals())

describe('tabs share one connection', () => {
  it('three tabs, two channels: one socket at the server, every tab gets every event once, in order', async () => {
    const server = await startServer()
    const name = fresh()
    const tabs = [tab(server, name), tab(server, name), tab(server, name)]
    const seen = tabs.map((client) => record(client, ['a', 'b']))
    await Promise.all(seen.map((byChannel) => byChannel.ready))
    await until(() => tabs.filter((client) => client.role === 'leader').length === 1, 10_000, 'a leader')
    await until(() => server.clients.some((client) => client.channels.size === 2), 10_000, 'the subscriptions')
    for (let i = 0; i < 300; i++) server.publish(i % 2 ? 'b' : 'a', 'tick', { i })
    await until(() => seen.every((byChannel) => [...byChannel.values()].every((offsets) => offsets.length >= 150)), 10_000, 'every event')
    expect(server.counters.connections).toBe(1)
    expect(tabs.map((client) => client.role).sort()).toEqual(['follower', 'follower', 'leader'])
    for (const byChannel of seen) for (const offsets of byChannel.values()) expect(tally(offsets, 150)).toEqual({ lost: 0, duplicated: 0, inOrder: true })
  })

  it('the leader closes mid-stream: another tab leads, resumes from the oldest position, and no tab loses or repeats an event', async () => {
    const server = await startServer()
    const name = fresh()
    const tabs = [tab(server, name), tab(server, name), tab(server, name)]
    const seen = tabs.map((client) => record(client, ['a']))
    // Events owed to a tab start at its confirmed subscription.
    await Promise.all(seen.map((byChannel) => byChannel.ready))
    let published = 0
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 50; i++) server.publish('a', 'tick', { i: ++published })
      const leader = tabs.find((client) => client.role === 'leader')!
      const before = server.counters.connections
      leader.close()
      for (let i = 0; i < 50; i++) server.publish('a', 'tick', { i: ++published })
      await until(() => tabs.some((client) => client.role === 'leader'), 10_000, 'a new leader')
      await until(() => server.counters.connections > before, 10_000, 'the new leader connected')
    }
    const alive = tabs.map((client, index) => [client, seen[index]!] as const).filter(([client]) => client.role !== 'closed')
    expect(alive).toHaveLength(1)
    await until(() => alive.every(([, byChannel]) => byChannel.get('a')!.length >= published), 10_000, 'every event')
    for (const [, byChannel] of alive) expect(tally(byChannel.get('a')!, published)).toEqual({ lost: 0, duplicated: 0, inOrder: true })
    expect(server.counters.connections).toBe(3)
  })

  it('a follower publishes through the leader with its own id, settles in that tab, and the event takes effect once', async () => {
    const server = await startServer()
    const name = fresh()
    const leader = tab(server, name)
    await leader.started()
    await until(() => leader.role === 'leader', 10_000, 'the first tab to lead')
    const follower = tab(server, name)
    await follower.started()
    expect(follower.role).toBe('follower')
    await Promise.all(Array.from({ length: 20 }, (_, i) => follower.publish('chat', 'message', { i })))
    expect(server.counters.publishes.size).toBe(20)
    expect([...server.counters.publishes.values()].map((entry) => entry.seen)).toEqual(Array(20).fill(1))
    expect(server.counters.connections).toBe(1)
  })

  it('a tab over its queue size refuses the publish at once with queue_full', async () => {
    const server = await startServer()
    const name = fresh()
    const leader = tab(server, name)
    await leader.started()
    server.blackhole()
    const small = createSharedRealtimeClient({ realtimeUrl: server.url, realtime: { queue: { size: 1 }, tabs: { name } } })
    onCleanup(() => small.close())
    void small.publish('chat', 'message', 1).catch(() => {})
    await expect(small.publish('chat', 'message', 2)).rejects.toMatchObject({ name: 'RealtimeError', code: 'queue_full' })
  })

  it('a closed follower rejects its pending publishes with client_closed and refuses new subscriptions', async () => {
    const server = await startServer()
    const name = fresh()
    const leader = tab(server, name)
    await leader.started()
    await until(() => leader.role === 'leader', 10_000, 'the first tab to lead')
    const follower = tab(server, name)
    await follower.started()
    server.blackhole()
    const pending = follower.publish('chat', 'message', 1)
    follower.close()
    await expect(pending).rejects.toMatchObject({ code: 'client_closed' })
    expect(() => follower.subscribe('a')).toThrow(expect.objectContaining({ code: 'client_closed' }))
  })
})

describe('without the sharing APIs', () => {
  it('each tab connects on its own (one socket per tab), as the plain client does', async () => {
    vi.stubGlobal('BroadcastChannel', undefined)
    const server = await startServer()
    const name = fresh()
    const tabs = [tab(server, name), tab(server, name)]
    const seen = tabs.map((client) => record(client, ['a']))
    await Promise.all(tabs.map((client) => client.started()))
    expect(tabs.map((client) => client.role)).toEqual(['solo', 'solo'])
    await Promise.all(seen.map((byChannel) => byChannel.ready))
    for (let i = 0; i < 20; i++) server.publish('a', 'tick', i)
    await until(() => seen.every((byChannel) => byChannel.get('a')!.length === 20), 10_000, 'every event')
    expect(server.counters.connections).toBe(2)
    await expect(tabs[1]!.publish('a', 'mine', 1)).resolves.toBeUndefined()
  })
})

describe('options', () => {
  it('realtime.tabs is checked by the kit: a misspelt key names its path and the intended name', () => {
    expect(() => createSharedRealtimeClient({ realtime: { tabs: { persit: true } as never } })).toThrow(ConfigError)
    expect(() => createSharedRealtimeClient({ realtime: { tabs: { persit: true } as never } })).toThrow(/realtime\.tabs\.persit.*persist/)
    expect(() => createSharedRealtimeClient({ realtime: { tabs: { name: '' } } })).toThrow(/realtime\.tabs\.name/)
  })
})
