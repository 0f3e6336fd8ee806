/**
 * Support shared by every test folder. Each folder keeps its own in `<folder>/support.ts`; what more
 * than one folder needs lives here.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createConnection } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { CompilerOptions } from 'typescript'
import { expect } from 'vitest'
import { ConfigError } from '../src/core/errors.ts'

/** The repository root. */
export const root = fileURLToPath(new URL('../', import.meta.url))

/**
 * A seeded uniform source in [0, 1) (mulberry32), for tests whose randomness must be reproducible:
 * jitter statistics, fault schedules. A failing run replays with the same seed.
 */
export function seeded(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface TypecheckOptions {
  /**
   * How `@wirekit/sdk` resolves. `'source'`: to src/ through the project tsconfig's `paths`, as the
   * unit tests do. `'package'`: by package name through package.json `exports` to the built
   * declarations in dist/, as a user's compiler does (run the build first).
   */
  resolve: 'source' | 'package'
}

/**
 * Typechecks `files` (absolute paths) with the project's compiler options and returns one line per
 * error, `file:line:col message`, or none when they compile.
 */
export async function typecheck(files: readonly string[], { resolve }: TypecheckOptions): Promise<string[]> {
  // Loaded here, not at the top: most files that import this support never typecheck.
  const { default: ts } = await import('typescript')
  const config = ts.getParsedCommandLineOfConfigFile(`${root}tsconfig.json`, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'))
    },
  })
  if (!config) throw new Error('tsconfig.json could not be read')
  const options: CompilerOptions = { ...config.options, noEmit: true }
  if (resolve === 'package') delete options.paths
  const program = ts.createProgram({ rootNames: files, options })
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')
    if (!diagnostic.file || diagnostic.start === undefined) return message
    const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start)
    return `${diagnostic.file.fileName.replace(root, '')}:${line + 1}:${character + 1} ${message}`
  })
}

// A real redis-server (Debian's package) for the Redis suite (`npm run test:redis`): started on a
// unix socket in a fresh folder, with no persistence, and ended by its own pid. A missing binary fails
// with the command that installs it; the suite never skips.

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

/** The ConfigError `run` throws; fails the test when it throws anything else or nothing. */
export function configError(run: () => unknown): ConfigError {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return error as ConfigError
  }
  throw new Error('expected a ConfigError, nothing was thrown')
}
