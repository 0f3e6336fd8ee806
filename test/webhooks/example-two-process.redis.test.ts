// examples/webhooks/redis-two-process.ts as its README says to run it: two processes on one Redis,
// each delivery sent to both (three times in all): handled once, by one of them.
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { standardWebhooks } from '../../src/webhooks/index.js'
import { type RedisServer, root, startRedis } from '../support.js'

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
let redis: RedisServer
const children: ChildProcess[] = []
const ports: number[] = []
const handled: string[] = []

beforeAll(async () => {
  redis = await startRedis()
  const outdir = join(root, 'node_modules', '.cache', 'wirekit-intake-test')
  mkdirSync(outdir, { recursive: true })
  const outfile = join(outdir, 'redis-two-process.mjs')
  await build({
    entryPoints: [join(root, 'examples/webhooks/redis-two-process.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    alias: { '@wirekit/sdk/webhooks/intake': join(root, 'src/webhooks/intake/index.ts'), '@wirekit/sdk/webhooks': join(root, 'src/webhooks/index.ts') },
    logLevel: 'error',
  })
  for (let i = 0; i < 2; i++) {
    const child = spawn(process.execPath, [outfile], { env: { ...process.env, WEBHOOK_SECRET: SECRET, REDIS_PATH: redis.path, PORT: '0' }, stdio: ['ignore', 'pipe', 'inherit'] })
    children.push(child)
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`the example exited (${code})`)))
      child.stdout!.setEncoding('utf8')
      child.stdout!.on('data', (text: string) => {
        for (const line of text.split('\n')) {
          const listening = /^listening (\d+)/.exec(line)
          if (listening) {
            ports.push(Number(listening[1]))
            resolve()
          }
          const done = /^handled (\S+)/.exec(line)
          if (done) handled.push(done[1]!)
        }
      })
    })
  }
})
afterAll(async () => {
  await Promise.all(children.map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : (child.once('exit', resolve), child.kill('SIGTERM'))))))
  await redis?.close()
})

describe('examples/webhooks/redis-two-process', () => {
  it('two processes, 20 deliveries each sent 3 times across both: 20 handled, once each; a forgery is 400', async () => {
    const sender = standardWebhooks({ secret: SECRET })
    const statuses: number[] = []
    for (let n = 0; n < 20; n++) {
      const body = JSON.stringify({ type: 'order.paid', n })
      const headers = await sender.sign(body, { id: `msg_example_${n}` })
      const answers = await Promise.all([0, 1, 0].map(async (which) => {
        for (;;) {
          const response = await fetch(`http://127.0.0.1:${ports[which]}/webhooks`, { method: 'POST', body, headers })
          if (response.status !== 409) return response.status
          await new Promise((resolve) => setTimeout(resolve, 20))
        }
      }))
      statuses.push(...answers)
    }
    const forged = await fetch(`http://127.0.0.1:${ports[1]}/webhooks`, { method: 'POST', body: '{"type":"x"}', headers: await sender.sign('{"type":"y"}') })
    // stdout lines may trail the HTTP answer by a moment.
    for (let i = 0; i < 100 && handled.length < 20; i++) await new Promise((resolve) => setTimeout(resolve, 20))
    expect(forged.status).toBe(400)
    expect(statuses.every((status) => status === 200)).toBe(true)
    expect(handled.length).toBe(20)
    expect(new Set(handled).size).toBe(20)
  })
})
