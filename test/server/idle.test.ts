import { createServer, type IncomingMessage } from 'node:http'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { createRealtimeServer, type RealtimeServerOptions } from '../../src/server/index.js'
import { onCleanup, until } from './support.js'

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

/** A server mounted on an http.Server of the test's, which also keeps a weak reference to each upgrade request. */
async function mounted(options: RealtimeServerOptions<unknown>): Promise<{ url: string; requests: Array<WeakRef<IncomingMessage>> }> {
  const http = createServer()
  const requests: Array<WeakRef<IncomingMessage>> = []
  http.prependListener('upgrade', (request: IncomingMessage) => requests.push(new WeakRef(request)))
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  const realtime = await createRealtimeServer({ ...options, server: http })
  onCleanup(async () => {
    await realtime.close({ drainMs: 0 })
    await new Promise((resolve) => http.close(resolve))
  })
  return { url: realtime.url, requests }
}

/** A connected client, welcomed (after `auth` with `token` when given). */
async function connect(url: string, token?: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  const socket = new WebSocket(url, 'wirekit.v1', { headers })
  onCleanup(() => socket.terminate())
  const welcome = new Promise<void>((resolve) =>
    socket.on('message', (data) => {
      if (JSON.parse(String(data)).type === 'welcome') resolve()
    }),
  )
  await new Promise((resolve) => socket.once('open', resolve))
  if (token !== undefined) socket.send(JSON.stringify({ type: 'auth', token }))
  await welcome
  return socket
}

/** Collects garbage in three later turns (a WeakRef's target lives at least until the current job ends). */
async function collect(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setImmediate(resolve))
    gc()
  }
}

/** Collects garbage turn after turn until no upgrade request is left; fails at the deadline if one stays held. */
async function released(requests: Array<WeakRef<IncomingMessage>>): Promise<void> {
  await until(() => (gc(), requests.every((request) => request.deref() === undefined)), 10_000, 'every upgrade request collected')
}

describe('an idle connection', () => {
  it('keeps no reference to its upgrade request when no authenticate needs it', async () => {
    const { url, requests } = await mounted({})
    const sockets = await Promise.all([1, 2, 3].map(() => connect(url)))
    expect(requests).toHaveLength(3)
    await released(requests)
    expect(sockets.every((socket) => socket.readyState === socket.OPEN)).toBe(true)
  })

  it('keeps its upgrade request for authenticate, which is handed it on every auth frame', async () => {
    const seen: string[] = []
    const { url, requests } = await mounted({
      authenticate: (token, request) => {
        seen.push(`${token}:${request.headers['x-tenant']}`)
        return { token }
      },
    })
    const socket = await connect(url, 'first', { 'x-tenant': 'acme' })
    await collect()
    expect(requests[0]!.deref()).toBeDefined()
    const authed = new Promise<void>((resolve) =>
      socket.on('message', (data) => {
        if (JSON.parse(String(data)).type === 'authed') resolve()
      }),
    )
    socket.send(JSON.stringify({ type: 'auth', token: 'refreshed' }))
    await authed
    await until(() => seen.length === 2)
    expect(seen).toEqual(['first:acme', 'refreshed:acme'])
  })
})
