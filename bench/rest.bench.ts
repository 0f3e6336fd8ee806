/**
 * Client CPU per request: `client.rest` against bare ky 2 with the same retry and timeout options,
 * both calling a node:http server in a separate process (child_process.fork) on 127.0.0.1, so only
 * the client's work is on this process's clock. Repetitions interleave the two in rotated order; the
 * figure is the median of per-repetition ratios (ours / ky), with min–max.
 *
 * Run: npm run bench:rest   (env: BENCH_REPS, BENCH_REQUESTS, BENCH_CONCURRENCY)
 */
import { fork } from 'node:child_process'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import ky from 'ky'
import { createClient } from '../src/index.js'

const REPS = Number(process.env.BENCH_REPS ?? 9)
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 3_000)
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8)
const WARMUP = 1_000
const BODY = JSON.stringify({ id: 1, title: 'a note', tags: ['x', 'y'], done: false })

if (process.argv[2] === 'server') {
  const server = createServer((req, res) => {
    req.resume()
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(BODY) }).end(BODY))
  })
  server.keepAliveTimeout = 60_000
  server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as AddressInfo).port }))
  process.on('disconnect', () => process.exit(0))
} else {
  await main()
}

async function main() {
  const child = fork(process.argv[1]!, ['server'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const port = await new Promise<number>((resolve) => child.once('message', (message) => resolve((message as { port: number }).port)))
  const base = `http://127.0.0.1:${port}/v1`
  const token = 'tok_bench_0123456789'

  // The same policy on both sides: 2 retries, a 10 s per-attempt timeout, bearer auth, JSON back.
  const client = createClient({ baseUrl: base, auth: token, timeout: 10_000, retry: { limit: 2 } })
  const bare = ky.create({ timeout: 10_000, retry: { limit: 2 }, headers: { authorization: `Bearer ${token}`, accept: 'application/json' } })

  const variants: Record<string, (id: number) => Promise<unknown>> = {
    wirekit: (id) => client.rest.request('GET', '/notes/{id}', { params: { path: { id } } }),
    ky: (id) => bare.get(`${base}/notes/${encodeURIComponent(id)}`).json(),
  }
  const names = Object.keys(variants)

  async function run(call: (id: number) => Promise<unknown>, count: number): Promise<number> {
    let next = 0
    const start = process.cpuUsage()
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < count) await call(next++)
      }),
    )
    const used = process.cpuUsage(start)
    return (used.user + used.system) / count // µs of client CPU per request
  }

  for (const name of names) await run(variants[name]!, WARMUP)

  const samples: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]))
  const ratios: number[] = []
  for (let rep = 0; rep < REPS; rep++) {
    const order = rep % 2 === 0 ? names : [...names].reverse()
    const round: Record<string, number> = {}
    for (const name of order) {
      globalThis.gc?.()
      round[name] = await run(variants[name]!, REQUESTS)
      samples[name]!.push(round[name]!)
    }
    ratios.push(round.wirekit! / round.ky!)
  }
  child.disconnect()

  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b)
    const middle = Math.floor(sorted.length / 2)
    return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
  }
  const range = (values: number[], digits: number) => `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`
  console.log(`REST client CPU per request (${REPS} interleaved repetitions × ${REQUESTS} GETs, ${CONCURRENCY} in flight, Node ${process.versions.node})`)
  for (const name of names) console.log(`  ${name.padEnd(8)} median ${median(samples[name]!).toFixed(1)} µs  (min–max ${range(samples[name]!, 1)})`)
  console.log(`  ratio wirekit/ky: median ${median(ratios).toFixed(3)}×  (min–max ${range(ratios, 3)}), target ≤ 1.10×`)
}
