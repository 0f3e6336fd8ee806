/**
 * `npm run bench:webhooks`: verifies per second at 1 KB and 64 KB — ours (node:crypto and Web Crypto),
 * the floor (createHmac with a cached KeyObject + timingSafeEqual), standardwebhooks, svix, stripe
 * (constructEvent, and constructEventAsync on its Web Crypto provider, the edge path) and
 * @octokit/webhooks-methods. Every contender is first checked to accept a valid delivery and refuse a
 * tampered one. Repetitions interleave all contenders in a rotated order; each figure is the median
 * (min–max) over repetitions, and each ratio is to the floor measured in the same repetition. Rates
 * are per CPU second of this process (see `measure`).
 */
import { createHmac, createSecretKey, timingSafeEqual } from 'node:crypto'
import { verify as octokitVerify } from '@octokit/webhooks-methods'
import { Webhook as StandardWebhook } from 'standardwebhooks'
import Stripe from 'stripe'
import { Webhook as SvixWebhook } from 'svix'
import { createStandardVerifier, githubWebhooks, standardWebhooks, stripeWebhooks } from '../src/webhooks/index.js'

const REPETITIONS = Number(process.env.BENCH_REPETITIONS ?? 7)
const SLICE_MS = Number(process.env.BENCH_SLICE_MS ?? 200)
const SECRET = `whsec_${Buffer.alloc(32, 11).toString('base64')}`
const STRIPE_SECRET = 'whsec_bench_stripe_secret_0123456789'
const GITHUB_SECRET = 'bench-github-secret-0123456789'

interface Contender {
  name: string
  /** Which floor to compare with: 'bare' for signature-only contenders, 'parse' for those that also parse JSON. */
  floor: 'bare' | 'parse'
  run: () => unknown
  valid: () => Promise<unknown> | unknown
  tampered: () => Promise<unknown> | unknown
}

/** A JSON event of exactly `size` bytes. */
function body(size: number): string {
  const empty = JSON.stringify({ id: 'evt_bench', type: 'bench.event', data: { filler: '' } })
  return JSON.stringify({ id: 'evt_bench', type: 'bench.event', data: { filler: 'x'.repeat(size - empty.length) } })
}

async function contenders(size: number): Promise<Contender[]> {
  const payload = body(size)
  const parsedOk = JSON.parse(payload)
  if (!parsedOk) throw new Error('bench body is not JSON')
  const tampered = `${payload} `
  const now = Math.floor(Date.now() / 1000)
  const id = 'msg_bench'

  const ours = standardWebhooks({ secret: SECRET })
  const oursWeb = standardWebhooks({ secret: SECRET, crypto: 'web' })
  const lean = createStandardVerifier({ secret: SECRET })
  const headers = await ours.sign(payload, { id, timestamp: now })
  const standardLib = new StandardWebhook(SECRET)
  const svix = new SvixWebhook(SECRET)

  const key = createSecretKey(Buffer.from(SECRET.slice(6), 'base64'))
  const prefix = `${id}.${now}.`
  const expected = Buffer.from(headers['webhook-signature']!.slice(3), 'base64')
  const floor = (text: string): boolean => timingSafeEqual(createHmac('sha256', key).update(prefix).update(text).digest(), expected)

  const stripeHeader = Stripe.webhooks.generateTestHeaderString({ payload, secret: STRIPE_SECRET, timestamp: now })
  const subtleProvider = Stripe.createSubtleCryptoProvider()
  const oursStripe = stripeWebhooks({ secret: STRIPE_SECRET })

  const githubSignature = `sha256=${createHmac('sha256', GITHUB_SECRET).update(payload).digest('hex')}`
  const oursGithub = githubWebhooks({ secret: GITHUB_SECRET })

  return [
    { name: 'floor: createHmac(KeyObject) + timingSafeEqual', floor: 'bare', run: () => floor(payload), valid: () => floor(payload) || Promise.reject(), tampered: () => floor(tampered) || Promise.reject() },
    {
      name: 'floor + JSON.parse',
      floor: 'parse',
      run: () => floor(payload) && JSON.parse(payload),
      valid: () => (floor(payload) ? JSON.parse(payload) : Promise.reject()),
      tampered: () => (floor(tampered) ? JSON.parse(tampered) : Promise.reject()),
    },
    { name: 'wirekit verifyRaw (node)', floor: 'bare', run: () => ours.verifyRaw(payload, headers), valid: () => ours.verifyRaw(payload, headers), tampered: () => ours.verifyRaw(tampered, headers) },
    { name: 'wirekit verify (node, parses)', floor: 'parse', run: () => ours.verify(payload, headers), valid: () => ours.verify(payload, headers), tampered: () => ours.verify(tampered, headers) },
    {
      name: 'wirekit verifySync (node, parses)',
      floor: 'parse',
      run: () => ours.verifySync(payload, headers),
      valid: () => ours.verifySync(payload, headers),
      tampered: () => ours.verifySync(tampered, headers),
    },
    { name: 'wirekit createStandardVerifier verify (node, parses)', floor: 'parse', run: () => lean.verify(payload, headers), valid: () => lean.verify(payload, headers), tampered: () => lean.verify(tampered, headers) },
    { name: 'wirekit verify (Web Crypto)', floor: 'parse', run: () => oursWeb.verify(payload, headers), valid: () => oursWeb.verify(payload, headers), tampered: () => oursWeb.verify(tampered, headers) },
    {
      name: 'standardwebhooks verify (parses)',
      floor: 'parse',
      run: () => standardLib.verify(payload, headers),
      valid: () => standardLib.verify(payload, headers),
      tampered: () => standardLib.verify(tampered, headers),
    },
    { name: 'svix verify', floor: 'bare', run: () => svix.verify(payload, headers), valid: () => svix.verify(payload, headers), tampered: () => svix.verify(tampered, headers) },
    {
      name: 'wirekit stripe preset verify (node, parses)',
      floor: 'parse',
      run: () => oursStripe.verify(payload, { 'stripe-signature': stripeHeader }),
      valid: () => oursStripe.verify(payload, { 'stripe-signature': stripeHeader }),
      tampered: () => oursStripe.verify(tampered, { 'stripe-signature': stripeHeader }),
    },
    {
      name: 'stripe constructEvent (parses)',
      floor: 'parse',
      run: () => Stripe.webhooks.constructEvent(payload, stripeHeader, STRIPE_SECRET),
      valid: () => Stripe.webhooks.constructEvent(payload, stripeHeader, STRIPE_SECRET),
      tampered: () => Stripe.webhooks.constructEvent(tampered, stripeHeader, STRIPE_SECRET),
    },
    {
      name: 'stripe constructEventAsync (SubtleCrypto provider)',
      floor: 'parse',
      run: () => Stripe.webhooks.constructEventAsync(payload, stripeHeader, STRIPE_SECRET, undefined, subtleProvider),
      valid: () => Stripe.webhooks.constructEventAsync(payload, stripeHeader, STRIPE_SECRET, undefined, subtleProvider),
      tampered: () => Stripe.webhooks.constructEventAsync(tampered, stripeHeader, STRIPE_SECRET, undefined, subtleProvider),
    },
    {
      name: 'wirekit github preset verifyRaw (node)',
      floor: 'bare',
      run: () => oursGithub.verifyRaw(payload, { 'x-hub-signature-256': githubSignature }),
      valid: () => oursGithub.verifyRaw(payload, { 'x-hub-signature-256': githubSignature }),
      tampered: () => oursGithub.verifyRaw(tampered, { 'x-hub-signature-256': githubSignature }),
    },
    {
      name: '@octokit/webhooks-methods verify',
      floor: 'bare',
      run: () => octokitVerify(GITHUB_SECRET, payload, githubSignature),
      valid: async () => (await octokitVerify(GITHUB_SECRET, payload, githubSignature)) || Promise.reject(new Error('refused')),
      tampered: async () => (await octokitVerify(GITHUB_SECRET, tampered, githubSignature)) || Promise.reject(new Error('refused')),
    },
  ]
}

async function check(contender: Contender): Promise<void> {
  try {
    await contender.valid()
  } catch (error) {
    throw new Error(`${contender.name} refused a valid delivery`, { cause: error })
  }
  let refused = false
  try {
    await contender.tampered()
  } catch {
    refused = true
  }
  if (!refused) throw new Error(`${contender.name} accepted a tampered delivery`)
}

/**
 * Operations per CPU second of this process over one time slice of `SLICE_MS` wall time; awaits only
 * when the contender returns a promise. CPU time, not wall time: the bench machines are shared, and
 * wall time counts every moment another process held the CPU (ratios swung 0.4–1.6 under load).
 * Threads of this process count too, so Web Crypto's thread-pool work is not hidden.
 */
async function measure(run: () => unknown): Promise<number> {
  let ops = 0
  const start = performance.now()
  const cpuStart = process.cpuUsage()
  while (performance.now() - start < SLICE_MS) {
    for (let i = 0; i < 64; i++) {
      const result = run()
      if (result instanceof Promise) await result
    }
    ops += 64
  }
  const cpu = process.cpuUsage(cpuStart)
  return ops / ((cpu.user + cpu.system) / 1e6)
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}
const fmt = (n: number): string => (n >= 1000 ? `${(n / 1000).toFixed(1)}k` : n.toFixed(0))
const range = (values: number[], f: (n: number) => string): string => `${f(median(values))} (${f(Math.min(...values))}–${f(Math.max(...values))})`

async function benchSize(size: number): Promise<void> {
  const list = await contenders(size)
  for (const contender of list) await check(contender)
  for (const contender of list) await measure(contender.run)
  const opsBy = new Map<string, number[]>(list.map((c) => [c.name, []]))
  const ratioBy = new Map<string, number[]>(list.map((c) => [c.name, []]))
  for (let rep = 0; rep < REPETITIONS; rep++) {
    const order = list.map((_, i) => list[(i + rep) % list.length]!)
    const results = new Map<string, number>()
    for (const contender of order) results.set(contender.name, await measure(contender.run))
    const bare = results.get(list[0]!.name)!
    const parse = results.get(list[1]!.name)!
    for (const contender of list) {
      const ops = results.get(contender.name)!
      opsBy.get(contender.name)!.push(ops)
      ratioBy.get(contender.name)!.push(ops / (contender.floor === 'bare' ? bare : parse))
    }
  }
  console.log(`\n## ${size === 1024 ? '1 KB' : `${size / 1024} KB`} body — ${REPETITIONS} repetitions × ${SLICE_MS} ms, Node ${process.versions.node}`)
  console.log('| contender | verifies per CPU second, median (min–max) | × its floor, same repetition |')
  console.log('| --- | --- | --- |')
  for (const contender of list) {
    const floorName = contender.floor === 'bare' ? 'floor' : 'floor+parse'
    console.log(`| ${contender.name} | ${range(opsBy.get(contender.name)!, fmt)} | ${range(ratioBy.get(contender.name)!, (n) => n.toFixed(2))} × ${floorName} |`)
  }
  for (const ourName of ['wirekit verify (node, parses)', 'wirekit verifyRaw (node)']) {
    const ours = median(opsBy.get(ourName)!)
    for (const peer of ['standardwebhooks verify (parses)', 'svix verify', 'stripe constructEvent (parses)']) {
      console.log(`${ourName} / ${peer}: ${(ours / median(opsBy.get(peer)!)).toFixed(2)}×`)
    }
  }
}

async function hostileHeader(): Promise<void> {
  const webhooks = standardWebhooks({ secret: SECRET })
  const headers = { 'webhook-id': 'msg_1', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': `v1,${'A'.repeat(100 * 1024)}` }
  const runs = 2_000
  const start = performance.now()
  for (let i = 0; i < runs; i++) await webhooks.verify('{}', headers).catch(() => undefined)
  console.log(`\n100 KB signature header: refused in ${(((performance.now() - start) / runs) * 1000).toFixed(1)} µs each (mean of ${runs})`)
}

await benchSize(1024)
await benchSize(64 * 1024)
await hostileHeader()
