/**
 * `npm run bench:rest:instructions`: CPU instructions per REST GET, counted by valgrind's callgrind,
 * for @wirekit/sdk/rest, bare ky 2 with the same options as bench:rest, bare ky also sending wirekit's
 * User-Agent header (`ky-ua`: the same request on the wire), and global fetch. An instruction count does not
 * depend on what else the machine is doing, so unlike bench:rest's CPU time it gives the same figure
 * on a loaded, shared machine and can compare two commits.
 *
 * Each contender runs in its own process (bench/rest-instructions-client.ts) under callgrind, against
 * the bench server (bench/rest-server.ts) in another process that is not instrumented, through the
 * engine in bench/lib/callgrind.ts: run with N and with 2N requests after the same warm-up, the
 * difference over N is that contender's instructions per request, with start-up, warm-up and anything
 * done once early (a late optimising compile) cancelled out. The figure includes everything the client
 * process does for a request: our code, ky, fetch (undici), the event loop, and the garbage
 * collector's share. A major GC costs ~100 M instructions, so the engine runs V8 with a predictable
 * GC schedule and a large heap, and each client collects fully after the warm-up and at the end.
 *
 * Env: INSTR_REQUESTS (N, default 1000), INSTR_WARMUP (default 300), INSTR_REPETITIONS (default 1),
 * INSTR_PARALLEL (contenders counted at once, default 1: counts do not depend on load, so running several
 * at once only changes how long the bench takes),
 * INSTR_CONTENDERS (comma-separated, default @wirekit/sdk,ky,ky-ua,fetch and issue 17's: v2, v2+budget, v2+cache,
 * v2+budget+cache, v2-plain, v2-plain+budget+cache, v2-200, v2+budget+cache-304, described in
 * bench/rest-instructions-client.ts; the ratios need ky / ky-ua, and issue 17's each need their pair).
 * Needs valgrind on PATH and the built package (the npm script builds first).
 */
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { hasValgrind, instructionsPerOperation } from './lib/callgrind.ts'
import { machineLine, versionOf, writeResultsSection } from './lib/report.ts'

const REQUESTS = Number(process.env.INSTR_REQUESTS ?? 1000)
const WARMUP = Number(process.env.INSTR_WARMUP ?? 300)
const REPETITIONS = Number(process.env.INSTR_REPETITIONS ?? 1)
const PARALLEL = Number(process.env.INSTR_PARALLEL ?? 1)
const OURS = '@wirekit/sdk'
const ISSUE_17 = ['v2', 'v2+budget', 'v2+cache', 'v2+budget+cache', 'v2-plain', 'v2-plain+budget+cache', 'v2-200', 'v2+budget+cache-304']
const CONTENDERS = (process.env.INSTR_CONTENDERS?.split(',') ?? [OURS, 'ky', 'ky-ua', 'fetch', ...ISSUE_17]) as readonly string[]
const CLIENT = fileURLToPath(new URL('./rest-instructions-client.ts', import.meta.url))

if (!(await hasValgrind())) {
  console.error('bench:rest:instructions needs valgrind (Debian package valgrind).')
  process.exit(1)
}

const server = fork(fileURLToPath(new URL('./rest-server.ts', import.meta.url)), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
const { port } = await new Promise<{ port: number }>((resolve) => server.once('message', (message) => resolve(message as { port: number })))

const perRequest: Record<string, number[]> = Object.fromEntries(CONTENDERS.map((name) => [name, []]))
for (let repetition = 0; repetition < REPETITIONS; repetition++) {
  const pending = [...CONTENDERS]
  await Promise.all(
    Array.from({ length: Math.max(1, PARALLEL) }, async () => {
      for (let name = pending.shift(); name !== undefined; name = pending.shift()) {
        const value = await instructionsPerOperation(CLIENT, [name, String(port), String(WARMUP)], REQUESTS)
        perRequest[name]!.push(value)
        console.error(`  ${name}: ${Math.round(value).toLocaleString('en-US')} instructions per request`)
      }
    }),
  )
}
server.disconnect()

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
const format = (value: number) => Math.round(value).toLocaleString('en-US')
const ky = perRequest.ky ? median(perRequest.ky) : undefined
const rows = CONTENDERS.map((name) => {
  const values = perRequest[name]!
  const spread = values.length > 1 ? ` (${format(Math.min(...values))}–${format(Math.max(...values))})` : ''
  return `| ${name} | ${format(median(values))}${spread} | ${ky === undefined ? '—' : `${(median(values) / ky).toFixed(3)}×`} |`
})
const table = ['| contender | instructions per GET | ratio to bare ky |', '| --- | --- | --- |', ...rows].join('\n')
const lines: string[] = []
const ours = perRequest[OURS]
if (ky !== undefined && ours) {
  const ratio = median(ours) / ky
  lines.push(`@wirekit/sdk/rest = ${ratio.toFixed(3)}× bare ky 2 in instructions per request (issue 7: ≤ 1.10×, ${ratio <= 1.1 ? 'meets' : 'misses'}); ${format(median(ours) - ky)} instructions of ours per request`)
}
if (perRequest['ky-ua'] && ours) {
  const same = median(perRequest['ky-ua'])
  lines.push(`against bare ky sending the same headers (its User-Agent too): ${(median(ours) / same).toFixed(3)}×, ${format(median(ours) - same)} instructions per request`)
}
const figure = (name: string) => (perRequest[name]?.length ? median(perRequest[name]) : undefined)
const [v2, budget, cache, missed, plain, plainMissed, full, hit] = ISSUE_17.map(figure)
const extra = (with_: number, without: number) => `${(with_ / without).toFixed(3)}×, ${format(with_ - without)} instructions per request`
if (v2 !== undefined && missed !== undefined) {
  const ratio = missed / v2
  lines.push(`the rate-limit budget and the revalidation cache on a cache miss of a response with an ETag (stored) = ${extra(missed, v2)} @wirekit/sdk/rest without them (issue 17: ≤ 1.05×, ${ratio <= 1.05 ? 'meets' : 'misses'})`)
}
if (v2 !== undefined && budget !== undefined) lines.push(`the budget alone: ${extra(budget, v2)}`)
if (v2 !== undefined && cache !== undefined) lines.push(`the cache alone, on that miss: ${extra(cache, v2)}`)
if (plain !== undefined && plainMissed !== undefined) lines.push(`both on a miss of a response without a validator (not stored): ${extra(plainMissed, plain)}`)
if (full !== undefined && hit !== undefined) {
  lines.push(`a 304 answered from the cache (budget on too) costs ${format(hit)} client instructions per request against ${format(full)} for a full 200 of the same body without either (${(hit / full).toFixed(3)}×)`)
}
const setup = `${REQUESTS.toLocaleString('en-US')} vs ${(2 * REQUESTS).toLocaleString('en-US')} GETs after ${WARMUP} of warm-up, ${REPETITIONS} repetition(s), median`
console.log(`\nInstructions per GET (callgrind; ${setup})\n${table}\n\n${lines.map((line) => `- ${line}`).join('\n')}`)
// Only a run of every contender replaces the recorded section; a run of a few is for comparing builds.
if (process.env.INSTR_CONTENDERS === undefined) {
  writeResultsSection(
    'rest-instructions',
    [
      '## REST client, instructions (`npm run bench:rest:instructions`)',
      `${machineLine()} · ky ${versionOf('ky')} · valgrind callgrind, Node with \`--predictable --predictable-gc-schedule\` and a large heap · the bench:rest server in another process, not instrumented · ${setup}; each contender in its own process.`,
      'Instruction counts do not move with the machine\'s load, so they settle what bench:rest\'s CPU times cannot on a shared machine; they count every instruction of the client process (ours, ky, undici, V8, the garbage collector), not cache misses or stalls.',
      'Issue 17\'s contenders (`v2…`) are wirekit with and without the rate-limit budget and the revalidation cache, each described in bench/rest-instructions-client.ts: /v2 answers carry an ETag and IETF RateLimit fields, /v2-plain the same without the ETag.',
      table,
      lines.map((line) => `- ${line}`).join('\n'),
    ].join('\n\n'),
  )
}
