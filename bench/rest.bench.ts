/**
 * `npm run bench:rest`: requests per second, p50/p99 latency and client CPU per request for a GET of
 * a ~200-byte JSON note, sequential and with 32 in flight: `@wirekit/sdk/rest` against bare ky 2 with the
 * same options, global fetch, node:http with a keep-alive agent (the floor), axios and openapi-fetch.
 * The server (bench/rest-server.ts) runs in its own process, so only the client's work is on this
 * process's CPU clock. Measured by bench/lib/compare.ts on the built package; ratios are to bare ky,
 * the yardstick for our overhead (target: client CPU ≤ 1.10× bare ky).
 *
 * Env: BENCH_REPETITIONS (default 9).
 */
import { deepStrictEqual } from 'node:assert'
import { fork } from 'node:child_process'
import { Agent, get } from 'node:http'
import { fileURLToPath } from 'node:url'
import axios from 'axios'
import ky from 'ky'
import createOpenApiClient from 'openapi-fetch'
import { createRestClient } from '@wirekit/sdk/rest'
import { type ContenderResult, type Contender, compare, formatSpread, pairedRatio, resultOf, resultsTable } from './lib/compare.ts'
import { barChart, machineLine, versionOf, writeChart, writeResultsSection } from './lib/report.ts'
import { NOTE } from './rest-note.ts'

const REPETITIONS = Number(process.env.BENCH_REPETITIONS ?? 9)
const TOKEN = 'tok_bench_0123456789'
const OURS = '@wirekit/sdk/rest'
const KY = 'ky 2 (bare, same options)'
const FLOOR = 'node:http + keep-alive agent (floor)'
const REQUEST = { one: 'req', many: 'req' }

const server = fork(fileURLToPath(new URL('./rest-server.ts', import.meta.url)), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
const { port } = await new Promise<{ port: number }>((resolve) => server.once('message', (message) => resolve(message as { port: number })))
const base = `http://127.0.0.1:${port}/v1`
const url = (id: number) => `${base}/notes/${id}`

// The same policy everywhere it can be said: bearer auth, JSON accepted, a 10 s timeout; wirekit and
// ky also retry twice (ky arms that machinery whether or not a retry happens).
const headers = { authorization: `Bearer ${TOKEN}`, accept: 'application/json' }
const ours = createRestClient({ baseUrl: base, auth: TOKEN, timeout: 10_000, retry: { limit: 2 } })
const bareKy = ky.create({ timeout: 10_000, retry: { limit: 2 }, headers })
const axiosClient = axios.create({ baseURL: base, timeout: 10_000, headers })
interface Paths {
  '/notes/{id}': { get: { parameters: { path: { id: number } }; responses: { 200: { content: { 'application/json': typeof NOTE } } } } }
}
const openapi = createOpenApiClient<Paths>({ baseUrl: base, headers })
const agent = new Agent({ keepAlive: true })

/** The floor: one keep-alive socket per request in flight, the body gathered and parsed, nothing else. */
function httpGet(id: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    get(url(id), { agent, headers }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (text += chunk))
      res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(text)) : reject(new Error(`status ${res.statusCode}`))))
    }).on('error', reject)
  })
}

const calls: Record<string, (id: number) => Promise<unknown>> = {
  [OURS]: (id) => ours.request('GET', '/notes/{id}', { params: { path: { id } } }),
  [KY]: (id) => bareKy.get(url(id)).json(),
  'fetch (global)': async (id) => {
    const response = await fetch(url(id), { headers })
    if (!response.ok) throw new Error(`status ${response.status}`)
    return response.json()
  },
  [FLOOR]: httpGet,
  axios: async (id) => (await axiosClient.get(`/notes/${id}`)).data,
  'openapi-fetch': async (id) => {
    const { data, error } = await openapi.GET('/notes/{id}', { params: { path: { id } } })
    if (error !== undefined) throw new Error('openapi-fetch returned an error')
    return data
  },
}

// Every contender must get the note back, parsed, before its speed means anything.
for (const [name, call] of Object.entries(calls)) {
  try {
    deepStrictEqual(await call(42), NOTE)
  } catch (error) {
    throw new Error(`${name} did not return the note`, { cause: error })
  }
}

/** `concurrency` workers share n requests; each request is timed on its own for p50/p99. */
function contender(name: string, concurrency: number): Contender {
  const call = calls[name]!
  return {
    name,
    async run(operations, latency) {
      let next = 0
      const worker = async () => {
        while (next < operations) {
          const started = latency.start()
          await call(next++)
          latency.stop(started)
        }
      }
      await Promise.all(Array.from({ length: concurrency }, worker))
    },
  }
}

const MODES = [
  { label: 'sequential', slug: 'sequential', concurrency: 1, operations: 2_000 },
  { label: '32 in flight', slug: 'c32', concurrency: 32, operations: 4_000 },
]

const sections: string[] = []
const summary: string[] = []
for (const mode of MODES) {
  const results = await compare({
    baseline: KY,
    contenders: Object.keys(calls).map((name) => contender(name, mode.concurrency)),
    operations: mode.operations,
    repetitions: REPETITIONS,
  })
  const table = resultsTable(results, KY, REQUEST)
  console.log(`\n${mode.label}\n${table}`)
  const chart = writeChart(
    `rest-${mode.slug}`,
    barChart(`REST GET, ${mode.label}: client CPU µs per request — lower is better`, ' µs', cpuBars(results)),
  )
  const line = target(results, mode.label)
  summary.push(line)
  sections.push(`### ${mode.label} (${mode.operations.toLocaleString('en-US')} requests per run)\n\n${table}\n\n- ${line}\n\n![REST client CPU, ${mode.label}](${chart})`)
}

function cpuBars(results: ContenderResult[]) {
  return results.map((result) => ({ label: result.name, value: result.cpuMicrosPerOp }))
}

/** The target: our client CPU per request ≤ 1.10× bare ky's. */
function target(results: ContenderResult[], label: string): string {
  const cpu = resultOf(results, OURS).cpuRatio
  const floor = pairedRatio(results, OURS, FLOOR, 'cpuMicrosPerOp')
  return `${label}: ${OURS} client CPU = ${formatSpread(cpu, 3)}× bare ky (${cpu.median <= 1.1 ? 'meets' : 'misses'} ≤ 1.10×); ${formatSpread(floor)}× the node:http floor`
}

server.disconnect()
agent.destroy()
console.log(`\n${summary.join('\n')}`)

const versions = ['ky', 'axios', 'openapi-fetch'].map((name) => `${name} ${versionOf(name)}`).join(', ')
writeResultsSection(
  'rest',
  [
    '## REST client (`npm run bench:rest`)',
    `${machineLine()} · ${versions} · GET of a ${JSON.stringify(NOTE).length}-byte JSON note from a node:http server in another process on 127.0.0.1 · ${REPETITIONS} interleaved repetitions, order rotated; median (min–max).`,
    'Ratios are to bare ky 2 (same timeout, retry limit and headers) measured in the same repetition; client CPU is this process\'s user + system time per request (process.cpuUsage); p50/p99 are per-request latencies, each repetition\'s percentile, spread over repetitions. Every contender was first checked to return the note, parsed.',
    ...sections,
  ].join('\n\n'),
)
