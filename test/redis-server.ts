// A real redis-server (Debian's package) for the Redis suite (`npm run test:redis`): started on a
// unix socket in a fresh folder, with no persistence, and ended by its own pid. A missing binary fails
// with the command that installs it; the suite never skips.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createConnection } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const INSTALL = 'apt-get update && apt-get install -y redis-server'

/** One redis-server process of ours. */
export interface RedisServer {
  /** The unix socket clients connect to (`new Redis({ path })`, `createClient({ socket: { path } })`). */
  readonly path: string
  /** The `redis://` style URL of the socket, for clients that take one (`unix://<path>`). */
  readonly url: string
  /** The running process's pid (changes on restart). */
  readonly pid: number
  /** Stops the server (SIGKILL when `crash`, else SIGTERM) and waits until it has exited. */
  stop(options?: { crash?: boolean }): Promise<void>
  /** Starts it again on the same socket, empty (nothing is persisted). */
  start(): Promise<void>
  /** Stops it and removes its folder. */
  close(): Promise<void>
}

/** The redis-server binary, or an error that says how to install it. */
function binary(): string {
  try {
    return execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim()
  } catch {
    throw new Error(`redis-server is not installed; the Redis suite needs Debian's package: ${INSTALL}`)
  }
}

/** Resolves once the server at `path` answers PING, or rejects after `timeoutMs`. */
async function ready(path: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const answered = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ path })
      socket.once('connect', () => socket.write('PING\r\n'))
      socket.once('data', (data) => {
        socket.destroy()
        resolve(data.toString().startsWith('+PONG'))
      })
      socket.once('error', () => resolve(false))
    })
    if (answered) return
    if (Date.now() > deadline) throw new Error(`redis-server did not answer PING on ${path} within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

/**
 * Starts a redis-server for one test file. Call `close()` in `afterAll`.
 *
 * @example
 * const redis = await startRedis()
 * const client = new Redis({ path: redis.path })
 */
export async function startRedis(): Promise<RedisServer> {
  const command = binary()
  const folder = mkdtempSync(join(tmpdir(), 'wirekit-redis-'))
  const path = join(folder, 'redis.sock')
  let child: ChildProcess | undefined
  let exited: Promise<void> = Promise.resolve()

  const start = async () => {
    child = spawn(command, ['--port', '0', '--unixsocket', path, '--unixsocketperm', '700', '--save', '', '--appendonly', 'no', '--dir', folder], {
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let stderr = ''
    child.stderr!.on('data', (chunk) => (stderr += chunk))
    exited = new Promise((resolve) => child!.once('exit', () => resolve()))
    const failed = exited.then(() => {
      throw new Error(`redis-server exited before it was ready: ${stderr.trim()}`)
    })
    await Promise.race([ready(path), failed])
  }

  const stop = async ({ crash = false } = {}) => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill(crash ? 'SIGKILL' : 'SIGTERM')
    await exited
  }

  await start()
  return {
    path,
    url: `unix://${path}`,
    get pid() {
      return child!.pid!
    },
    stop,
    start,
    async close() {
      await stop()
      rmSync(folder, { recursive: true, force: true })
    },
  }
}
