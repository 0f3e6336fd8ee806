/**
 * `npm run bench:webhooks`: verifies per second at 1 KB and 64 KB — ours (node:crypto and Web Crypto),
 * the floor (createHmac with a cached KeyObject + timingSafeEqual), standardwebhooks, svix, stripe
 * (constructEvent, and constructEventAsync on its Web Crypto provider, the edge path) and
 * @octokit/webhooks-methods (its Node and its web build). Every contender is first checked to accept a
 * valid delivery and refuse a tampered one. Measured by bench/lib/compare.ts on the built package;
 * contenders that also parse the JSON are compared with the floor that parses too.
 *
 * Env: BENCH_REPETITIONS (default 11).
 */
import { createHmac, createSecretKey, timingSafeEqual } from 'node:crypto'
import { verify as octokitVerify } from '@octokit/webhooks-methods'
import { Webhook as StandardWebhook } from 'standardwebhooks'
import Stripe from 'stripe'
import { Webhook as SvixWebhook } from 'svix'
import { createStandardVerifier, githubWebhooks, standardWebhooks, stripeWebhooks } from 'wirekit/webhooks'
import { type ContenderResult, type Contender as MeasuredContender, compare, formatSpread, pairedRatio, resultsTable } from './lib/compare.ts'
import { barChart, machineLine, versionOf, writeChart, writeResultsSection } from './lib/report.ts'

const REPETITIONS = Number(process.env.BENCH_REPETITIONS ?? 11)
const SECRET = `whsec_${Buffer.alloc(32, 11).toString('base64')}`
const STRIPE_SECRET = 'whsec_bench_stripe_secret_0123456789'
const GITHUB_SECRET = 'bench-github-secret-0123456789'

const FLOOR = 'floor: createHmac(KeyObject) + timingSafeEqual'
const FLOOR_PARSE = 'floor + JSON.parse'
const OURS = 'wirekit verify (node, parses)'
const OURS_RAW = 'wirekit verifyRaw (node)'
const VERIFY = { one: 'verify', many: 'verifies' }

// The web build is not reachable through the package's exports under Node (the "node" condition wins),
// so it is loaded from beside the Node build, the file a browser bundler would pick.
const octokitWeb = (await import(import.meta.resolve('@octokit/webhooks-methods').replace('/dist-node/', '/dist-web/'))) as typeof import('@octokit/webhooks-methods')

interface Contender {
  name: string
  /** Which floor to compare with: the bare one for signature-only contenders, the parsing one for those that also parse JSON. */
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
  // octokit answers false rather than throwing; a refusal must throw for the check below.
  const octokitChecked = (verify: typeof octokitVerify, text: string) => async () => (await verify(GITHUB_SECRET, text, githubSignature)) || Promise.reject(new Error('refused'))

  return [
    { name: FLOOR, floor: 'bare', run: () => floor(payload), valid: () => floor(payload) || Promise.reject(), tampered: () => floor(tampered) || Promise.reject() },
    {
      name: FLOOR_PARSE,
      floor: 'parse',
      run: () => floor(payload) && JSON.parse(payload),
      valid: () => (floor(payload) ? JSON.parse(payload) : Promise.reject()),
      tampered: () => (floor(tampered) ? JSON.parse(tampered) : Promise.reject()),
    },
    { name: OURS_RAW, floor: 'bare', run: () => ours.verifyRaw(payload, headers), valid: () => ours.verifyRaw(payload, headers), tampered: () => ours.verifyRaw(tampered, headers) },
    { name: OURS, floor: 'parse', run: () => ours.verify(payload, headers), valid: () => ours.verify(payload, headers), tampered: () => ours.verify(tampered, headers) },
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
      valid: octokitChecked(octokitVerify, payload),
      tampered: octokitChecked(octokitVerify, tampered),
    },
    {
      name: '@octokit/webhooks-methods verify (web build)',
      floor: 'bare',
      run: () => octokitWeb.verify(GITHUB_SECRET, payload, githubSignature),
      valid: octokitChecked(octokitWeb.verify, payload),
      tampered: octokitChecked(octokitWeb.verify, tampered),
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

/** n verifies in a row; a promise is awaited only when the contender returns one (the sync ones stay sync). */
function measured(contender: Contender): MeasuredContender {
  return {
    name: contender.name,
    baseline: contender.floor === 'bare' ? FLOOR : FLOOR_PARSE,
    async run(operations) {
      for (let i = 0; i < operations; i++) {
        const result = contender.run()
        if (result instanceof Promise) await result
      }
    },
  }
}

/** Operations per run sized so the slowest contender (a pure-JS SHA-256) still takes well under a second. */
const SIZES = [
  { label: '1 KB', bytes: 1024, operations: 10_000 },
  { label: '64 KB', bytes: 64 * 1024, operations: 500 },
]

const sections: string[] = []
const summary: string[] = []
for (const size of SIZES) {
  const list = await contenders(size.bytes)
  for (const contender of list) await check(contender)
  const results = await compare({ baseline: FLOOR, contenders: list.map(measured), operations: size.operations, repetitions: REPETITIONS })
  const table = resultsTable(results, FLOOR, VERIFY)
  console.log(`\n${size.label}\n${table}`)
  const chart = writeChart(
    `webhooks-${size.label.replace(' ', '').toLowerCase()}`,
    barChart(`Webhook verify, ${size.label} body: × its floor (same repetition) — higher is better`, '×', ratioBars(results), 1),
  )
  const lines = targets(results, size.label)
  summary.push(...lines)
  sections.push(
    `### ${size.label} body (${size.operations.toLocaleString('en-US')} verifies per run)\n\n${table}\n\n${lines.map((line) => `- ${line}`).join('\n')}\n\n![webhook verify, ${size.label}](${chart})`,
  )
}

function ratioBars(results: ContenderResult[]) {
  return results.filter((result) => !result.name.startsWith('floor')).map((result) => ({ label: result.name, value: result.speedRatio }))
}

/**
 * The issue's targets: ≥ 0.8× the floor at 1 KB and ≥ 0.9× at 64 KB, and ≥ 3× standardwebhooks and
 * svix. Each is given twice: by wall-clock rate, and by CPU time per verify (the other's CPU ÷ ours,
 * per repetition). Verifying is CPU-bound on one thread, so the two agree on a quiet machine; on a
 * shared one the CPU figure does not count the time another job took the core.
 */
function targets(results: ContenderResult[], label: string): string[] {
  const floorTarget = label === '1 KB' ? 0.8 : 0.9
  // Three digits, so a verdict never contradicts its rounded figure (0.897 would print as 0.90).
  const line = (ours: string, other: string, otherLabel: string, target: number, note = '') => {
    const rate = pairedRatio(results, ours, other, 'opsPerSecond')
    const cpu = pairedRatio(results, other, ours, 'cpuMicrosPerOp')
    const verdict = (value: number) => (value >= target ? 'meets' : 'misses')
    return `${label}: ${ours} = ${formatSpread(rate, 3)}× ${otherLabel} by rate (${verdict(rate.median)} ≥ ${target}×), ${formatSpread(cpu, 3)}× by CPU per verify (${verdict(cpu.median)})${note}`
  }
  return [
    line(OURS, FLOOR_PARSE, 'the floor + JSON.parse', floorTarget),
    line(OURS_RAW, FLOOR, 'the floor', floorTarget),
    line(OURS, 'standardwebhooks verify (parses)', 'standardwebhooks', 3),
    line(OURS_RAW, 'svix verify', 'svix', 3, '; svix does not parse, so ours is verifyRaw'),
  ]
}

/** What a hostile 100 KB signature header costs us to refuse, beside one valid 1 KB verify on the floor. */
async function hostileHeader(): Promise<string> {
  const webhooks = standardWebhooks({ secret: SECRET })
  const headers = { 'webhook-id': 'msg_1', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': `v1,${'A'.repeat(100 * 1024)}` }
  const [floor] = await contenders(1024)
  const refuse: MeasuredContender = {
    name: 'wirekit refuses a 100 KB signature header',
    async run(operations) {
      for (let i = 0; i < operations; i++) await webhooks.verify('{}', headers).catch(() => undefined)
    },
  }
  const results = await compare({ baseline: FLOOR, contenders: [measured(floor!), refuse], operations: 2_000, repetitions: REPETITIONS })
  return resultsTable(results, FLOOR, VERIFY)
}

const hostile = await hostileHeader()
console.log(`\n${summary.join('\n')}\n\n${hostile}`)

const versions = ['standardwebhooks', 'svix', 'stripe', '@octokit/webhooks-methods'].map((name) => `${name} ${versionOf(name)}`).join(', ')
writeResultsSection(
  'webhooks',
  [
    '## Webhook verification (`npm run bench:webhooks`)',
    `${machineLine()} · ${versions} · ${REPETITIONS} interleaved repetitions, order rotated; median (min–max).`,
    `Ratios are to the floor measured in the same repetition: \`${FLOOR}\`, or \`${FLOOR_PARSE}\` for contenders that parse the body (named in the cell). Every contender was first checked to accept a valid and refuse a tampered delivery.`,
    ...sections,
    `### A hostile 100 KB signature header\n\n${hostile}`,
  ].join('\n\n'),
)
