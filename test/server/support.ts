/** Helpers for the server tests: servers closed after each test, and bare protocol clients. */
import { afterEach } from 'vitest'
import WebSocket from 'ws'
import { type RealtimeServer, type RealtimeServerOptions, createRealtimeServer } from '../../src/server/index.js'

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!()
})

/** Registers a cleanup run after the test, last in first out. */
export function onCleanup(fn: () => unknown): void {
  cleanups.push(fn)
}

/** A server on its own free port, closed after the test. */
export async function startServer<P>(options: RealtimeServerOptions<P> = {}): Promise<RealtimeServer> {
  const server = await createRealtimeServer({ port: 0, ...options })
  onCleanup(() => server.close({ drainMs: 0 }))
  return server
}

/** Waits until `predicate` holds, polling on real time; fails after `ms`. */
export async function until(predicate: () => boolean, ms = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 2))
  }
}

export type Frame = Record<string, any>

/** A bare protocol client: frames in, frames out, no wirekit client involved. */
export interface RawClient {
  socket: WebSocket
  frames: Frame[]
  closed: Promise<{ code: number; reason: string }>
  /** Resolves with the first frame (from index `after` on) matching `match`. */
  next(match: (frame: Frame) => boolean, after?: number): Promise<Frame>
  send(frame: object | string): void
}

/** Opens a bare client on `url` and waits for the socket to open. */
export async function raw(url: string, protocol = 'wirekit.v1'): Promise<RawClient> {
  const socket = new WebSocket(url, protocol)
  onCleanup(() => socket.terminate())
  const frames: Frame[] = []
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })))
  socket.on('message', (data) => frames.push(JSON.parse(data.toString())))
  await new Promise((resolve, reject) => {
    socket.once('open', resolve)
    socket.once('error', reject)
    socket.once('unexpected-response', (_, response) => reject(new Error(`HTTP ${response.statusCode}`)))
  })
  socket.on('error', () => {})
  return {
    socket,
    frames,
    closed,
    async next(match, after = 0) {
      let found: Frame | undefined
      await until(() => (found = frames.slice(after).find(match)) !== undefined, 5_000, 'a frame')
      return found!
    },
    send: (frame) => socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
  }
}

/** A bare client that is welcomed (authenticating with `token` when given). */
export async function welcomed(url: string, token?: string): Promise<RawClient> {
  const client = await raw(url)
  if (token !== undefined) client.send({ type: 'auth', token })
  await client.next((frame) => frame.type === 'welcome')
  return client
}
