/**
 * `npm run bench:rest:instructions`: CPU instructions per REST GET, counted by valgrind's callgrind,
 * for wirekit/rest, bare ky 2 with the same options as bench:rest, bare ky also sending wirekit's
 * User-Agent header (`ky-ua`: the same request on the wire), and global fetch. An instruction count does not
 * depend on what else the machine is doing, so unlike bench:rest's CPU time it gives the same figure
 * on a loaded, shared machine and can compare two commits.
 *
 * Each contender runs in its own process (bench/rest-instructions-client.ts) under callgrind, against
 * the bench server (bench/rest-server.ts) in another process that is not instrumented. Each is run
 * twice with the same warm-up: once sending no measured requests, once sending N; the difference over
 * N is that contender's instructions per request, start-up and warm-up cancelled out. The figure
 * includes everything the client process does for a request: our code, ky, fetch (undici), the
 * event loop, and the garbage collector's share.
 *
 * V8 runs with `--predictable` (one thread, fixed seeds) and `--predictable-gc-schedule` (heap growth
 * not tuned by measured time), with an old space large enough that no major GC falls inside the
 * measured part; each client collects garbage fully after the warm-up and at the end, so that cost is
 * counted once per run and cancels out. A major GC here costs ~100 M instructions: one more or fewer
 * inside 1000 requests moved a contender's figure by ~100 k per request (that predictable schedule
 * alone caps the heap at 12 MB), swamping differences of a few percent.
 *
 * Env: INSTR_REQUESTS (N, default 1000), INSTR_WARMUP (default 300), INSTR_REPETITIONS (default 1),
 * INSTR_CONTENDERS (comma-separated, default wirekit,ky,ky-ua,fetch; the ratios need ky / ky-ua).
 * Needs valgrind on PATH and the built package (the npm script builds first).
 */
import { execFile, fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const run = promisify(execFile)
const REQUESTS = Number(process.env.INSTR_REQUESTS ?? 1000)
const WARMUP = Number(process.env.INSTR_WARMUP ?? 300)
const REPETITIONS = Number(process.env.INSTR_REPETITIONS ?? 1)
const CONTENDERS = (process.env.INSTR_CONTENDERS?.split(',') ?? ['wirekit', 'ky', 'ky-ua', 'fetch']) as readonly string[]
const CLIENT = fileURLToPath(new URL('./rest-instructions-client.ts', import.meta.url))

try {
  await run('valgrind', ['--version'])
} catch {
  console.error('bench:rest:instructions needs valgrind (apt-get install valgrind); skipping.')
  process.exit(1)
}

const server = fork(fileURLToPath(new URL('./rest-server.ts', import.meta.url)), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
const { port } = await new Promise<{ port: number }>((resolve) => server.once('message', (message) => resolve(message as { port: number })))

/** Total instructions (callgrind's `Ir`) of one client process sending `count` requests after the warm-up. */
async function instructions(name: string, count: number): Promise<number> {
  const args = [
    '--tool=callgrind',
    '--callgrind-out-file=/dev/null',
    process.execPath,
    ...['--predictable', '--predictable-gc-schedule', '--max-old-space-size=1024', '--initial-old-space-size=512', '--expose-gc'],
    CLIENT,
    name,
    String(port),
    String(WARMUP),
    String(count),
  ]
  const { stderr } = await run('valgrind', args, { maxBuffer: 16 * 1024 * 1024 })
  const match = /Collected : (\d+)/.exec(stderr)
  if (!match) throw new Error(`callgrind printed no total for ${name}:\n${stderr.slice(-2000)}`)
  return Number(match[1])
}

const perRequest: Record<string, number[]> = Object.fromEntries(CONTENDERS.map((name) => [name, []]))
for (let repetition = 0; repetition < REPETITIONS; repetition++) {
  for (const name of CONTENDERS) {
    const zero = await instructions(name, 0)
    const full = await instructions(name, REQUESTS)
    perRequest[name]!.push((full - zero) / REQUESTS)
    console.error(`  ${name}: ${zero.toLocaleString('en-US')} → ${full.toLocaleString('en-US')} instructions`)
  }
}
server.disconnect()

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
const ky = perRequest.ky ? median(perRequest.ky) : undefined
console.log(`\nInstructions per GET (callgrind; ${REQUESTS} requests after ${WARMUP} warm-up, ${REPETITIONS} repetition(s), median)`)
for (const name of CONTENDERS) {
  const values = perRequest[name]!
  const value = median(values)
  const spread = values.length > 1 ? ` (${Math.round(Math.min(...values)).toLocaleString('en-US')}–${Math.round(Math.max(...values)).toLocaleString('en-US')})` : ''
  const ratio = ky === undefined ? '' : `  ${(value / ky).toFixed(3)}× ky`
  console.log(`  ${name.padEnd(8)} ${Math.round(value).toLocaleString('en-US').padStart(10)}${spread}${ratio}`)
}
if (ky !== undefined && perRequest.wirekit) {
  console.log(`  wirekit over bare ky: ${Math.round(median(perRequest.wirekit) - ky).toLocaleString('en-US')} instructions per request`)
}
if (perRequest['ky-ua'] && perRequest.wirekit) {
  const same = median(perRequest['ky-ua'])
  console.log(
    `  wirekit over bare ky sending the same headers: ${Math.round(median(perRequest.wirekit) - same).toLocaleString('en-US')} instructions per request (${(median(perRequest.wirekit) / same).toFixed(3)}×)`,
  )
}
