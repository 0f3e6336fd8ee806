/** Shared pieces of the REST tests: an msw server that fails on any unhandled request, and a real loopback server. */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll } from 'vitest'

export const BASE = 'https://api.test/v1'

/** An msw server for this test file, listening with `onUnhandledFrame: 'error'`. */
export function useMsw() {
  const server = setupServer()
  beforeAll(() => server.listen({ onUnhandledFrame: 'error' }))
  afterEach(() => server.resetHandlers())
  afterAll(() => server.close())
  return server
}

/** A real node:http server on 127.0.0.1, port 0. */
export async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; url: string; close: () => Promise<void> }> {
  const server = createServer(handler)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** Reads a request body as text. */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => (text += chunk))
    req.on('end', () => resolve(text))
    req.on('error', reject)
  })
}

/** Where a server arrival was seen: `at` is the server's clock, `auth` the Authorization header. */
export interface Arrival {
  at: number
  path: string
  status: number
  auth: string
}

/**
 * Starts test/rest/limit-server.ts in a child process (a real node:http server on 127.0.0.1, port 0)
 * with `env` (LIMIT, WINDOW_MS); `stop()` ends it by its pid.
 */
export async function startLimitServer(env: Record<string, string> = {}): Promise<{ url: string; arrivals: (clear?: boolean) => Promise<Arrival[]>; stop: () => Promise<void> }> {
  const { spawn } = await import('node:child_process')
  const { fileURLToPath } = await import('node:url')
  const script = fileURLToPath(new URL('./limit-server.ts', import.meta.url))
  const child = spawn(process.execPath, [script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] })
  const port = await new Promise<string>((resolve, reject) => {
    let text = ''
    child.stdout!.setEncoding('utf8')
    child.stdout!.on('data', (chunk: string) => {
      text += chunk
      if (text.includes('\n')) resolve(text.trim())
    })
    child.once('exit', (code) => reject(new Error(`limit server exited with ${code}`)))
  })
  const url = `http://127.0.0.1:${port}`
  return {
    url,
    arrivals: async (clear = false) => (await (await fetch(`${url}/__arrivals${clear ? '?clear' : ''}`)).json()) as Arrival[],
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        process.kill(child.pid!)
      }),
  }
}
