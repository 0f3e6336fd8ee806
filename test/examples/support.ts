/** Support for the example tests: loopback servers closed after each test, and waiting on a condition. */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach } from 'vitest'

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!()
})

/** Registers a cleanup to run after the test, last registered first. */
export function onCleanup(fn: () => unknown): void {
  cleanups.push(fn)
}

/** A node:http server on 127.0.0.1, on a free port, closed after the test. */
export async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; url: string }> {
  const server = createServer(handler)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  onCleanup(() => {
    server.closeAllConnections()
    return new Promise<void>((resolve) => server.close(() => resolve()))
  })
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }
}

/**
 * Resolves once `condition` holds, checking between turns of the event loop. It has no time limit of
 * its own: a condition that never holds is ended by the test's timeout, which names the test.
 */
export async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve))
}
