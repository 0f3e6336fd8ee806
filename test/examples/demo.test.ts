import { execFile } from 'node:child_process'
import { type Server, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'

const run = promisify(execFile)
const root = new URL('../../', import.meta.url)

// These run the examples as `npm run demo` / `npm run platform` do: Node on the .ts file, importing
// `@wirekit/sdk` by name from the built package (`npm test` builds first). Each spawns a Node process;
// the time limits only end a hang, generously, since the machine may be busy.
const SPAWN = { cwd: root, timeout: 50_000 }

describe('npm run demo', () => {
  it('shows REST, webhooks and realtime end to end and exits 0, with nothing lost; --json prints JSON alone', { timeout: 60_000 }, async () => {
    const { stdout } = await run(process.execPath, ['examples/demo/index.ts', '--json'], SPAWN)
    // The whole of stdout is one JSON document, so `npm run -s demo -- --json | jq .` works.
    const summary = JSON.parse(stdout) as Record<string, unknown>
    expect(summary).toMatchObject({
      ok: true,
      retries: 1,
      duplicateNotes: 0,
      notesCreated: 8,
      webhooksVerified: 10,
      webhooksRejected: 2,
      rejectedReasons: 'no_matching_signature, replayed',
      eventsExpected: 10,
      eventsReceived: 10,
      eventsDuplicated: 0,
      eventsLost: 0,
      eventsResumed: 3,
      reconnects: 1,
      tokenFetches: 1,
    })
    expect(summary.seconds).toEqual(expect.any(Number))
  })

  it('prints a line per step, naming the mechanism, and a summary', { timeout: 60_000 }, async () => {
    const { stdout } = await run(process.execPath, ['examples/demo/index.ts'], SPAWN)
    for (const mechanism of ['platform', 'REST', 'webhooks', 'realtime']) expect(stdout).toMatch(new RegExp(`^\\s+\\d+\\.\\d+s\\s+${mechanism}\\s`, 'm'))
    expect(stdout).toContain('a tampered delivery was refused: no_matching_signature')
    expect(stdout).toContain('a replayed delivery was refused: replayed (HTTP 200: acknowledged, not processed again)')
    expect(stdout).toContain('a tampered delivery was refused: no_matching_signature (HTTP 400)')
    expect(stdout).toMatch(/^summary$/m)
    expect(stdout).toMatch(/eventsLost\s+0/)
  })
})

describe('the demo fails loudly', () => {
  it('stops with the reason when its receiver cannot verify the platform\'s deliveries', async () => {
    const { runDemo } = await import('../../examples/demo/index.js')
    await expect(runDemo({ json: true, receiverSecret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' })).rejects.toThrow(
      'a genuine webhook delivery was refused: no_matching_signature',
    )
  })
})

describe('npm run platform', () => {
  let blocker: Server | undefined
  afterEach(() => new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve())))

  it('exits 1 with a clear message when its port is in use', { timeout: 60_000 }, async () => {
    blocker = createServer()
    await new Promise<void>((resolve) => blocker!.listen(0, '127.0.0.1', resolve))
    const port = (blocker.address() as AddressInfo).port
    const failure = await run(process.execPath, ['examples/platform/main.ts', '--port', String(port)], SPAWN).catch((error: { code: number; stderr: string }) => error)
    expect((failure as { code: number }).code).toBe(1)
    expect((failure as { stderr: string }).stderr).toContain(`port ${port} is in use`)
  })
})
