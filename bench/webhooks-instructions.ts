/**
 * `npm run bench:webhooks:instructions`: CPU instructions per 1 KB verify, counted by callgrind
 * (bench/lib/callgrind.ts), for our verifiers on node:crypto, the node:crypto floor and the peers. Each
 * contender runs in its own process (bench/webhooks-instructions-run.ts), once with N verifies and once
 * with 2N, the same warm-up in both; the difference over N is its instructions per verify, garbage
 * collection included. A figure the machine's load does not move, beside
 * bench:webhooks' rates and CPU times, which it does.
 *
 * Env: INSTR_VERIFIES (N, default 2000), INSTR_WARMUP (default 5000).
 * Needs valgrind on PATH and the built package (the npm script builds first).
 */
import { fileURLToPath } from 'node:url'
import { hasValgrind, instructionsPerOperation } from './lib/callgrind.ts'
import { machineLine, versionOf, writeResultsSection } from './lib/report.ts'
import { FLOOR, FLOOR_PARSE, OURS, OURS_RAW, contenders } from './webhooks-contenders.ts'

const VERIFIES = Number(process.env.INSTR_VERIFIES ?? 2000)
const WARMUP = Number(process.env.INSTR_WARMUP ?? 5000)
const BYTES = 1024
const RUNNER = fileURLToPath(new URL('./webhooks-instructions-run.ts', import.meta.url))
// The Node-side contenders: Web Crypto's per-call cost is measured by bench:webhooks.
const NAMES = [
  FLOOR,
  FLOOR_PARSE,
  OURS_RAW,
  OURS,
  'wirekit verifySync (node, parses)',
  'wirekit standardWebhooksV1Lite verify (node, parses)',
  'standardwebhooks verify (parses)',
  'svix verify',
  'wirekit stripe preset verify (node, parses)',
  'stripe constructEvent (parses)',
  'wirekit github preset verifyRaw (node)',
  '@octokit/webhooks-methods verify',
]

if (!(await hasValgrind())) {
  console.error('bench:webhooks:instructions needs valgrind (Debian package valgrind).')
  process.exit(1)
}

const floors = new Map((await contenders(BYTES)).map((contender) => [contender.name, contender.floor]))
const perVerify = new Map<string, number>()
for (const name of NAMES) {
  perVerify.set(name, await instructionsPerOperation(RUNNER, [name, String(BYTES), String(WARMUP)], VERIFIES))
  console.error(`  ${name}: ${Math.round(perVerify.get(name)!).toLocaleString('en-US')} instructions per verify`)
}

const count = (name: string) => perVerify.get(name)!
const format = (value: number) => Math.round(value).toLocaleString('en-US')
const rows = NAMES.map((name) => {
  const floor = floors.get(name) === 'parse' ? FLOOR_PARSE : FLOOR
  return `| ${name} | ${format(count(name))} | ${(count(name) / count(floor)).toFixed(3)}× ${floor === FLOOR ? 'the floor' : 'floor + JSON.parse'} |`
})
const table = ['| contender | instructions per verify | ratio to its floor |', '| --- | --- | --- |', ...rows].join('\n')
const verdict = (ok: boolean) => (ok ? 'meets' : 'misses')
const costRatio = (name: string, floor: string) => count(name) / count(floor)
const lines = [
  `${OURS} costs ${costRatio(OURS, FLOOR_PARSE).toFixed(3)}× the floor + JSON.parse (issue 4: within 1.25×, ${verdict(costRatio(OURS, FLOOR_PARSE) <= 1.25)}; issue 7: ≥ 0.8× its rate, i.e. ≤ 1.25×, ${verdict(costRatio(OURS, FLOOR_PARSE) <= 1.25)})`,
  `${OURS_RAW} costs ${costRatio(OURS_RAW, FLOOR).toFixed(3)}× the floor (${verdict(costRatio(OURS_RAW, FLOOR) <= 1.25)})`,
  `standardwebhooks costs ${(count('standardwebhooks verify (parses)') / count(OURS)).toFixed(2)}× ours (verify) (issue 7: ≥ 3×, ${verdict(count('standardwebhooks verify (parses)') / count(OURS) >= 3)})`,
  `svix costs ${(count('svix verify') / count(OURS_RAW)).toFixed(2)}× ours (verifyRaw; svix does not parse) (≥ 3×, ${verdict(count('svix verify') / count(OURS_RAW) >= 3)})`,
]
console.log(`\n${table}\n\n${lines.map((line) => `- ${line}`).join('\n')}`)

const versions = ['standardwebhooks', 'svix', 'stripe', '@octokit/webhooks-methods'].map((name) => `${name} ${versionOf(name)}`).join(', ')
writeResultsSection(
  'webhooks-instructions',
  [
    '## Webhook verification, instructions (`npm run bench:webhooks:instructions`)',
    `${machineLine()} · ${versions} · valgrind callgrind, Node with \`--predictable --predictable-gc-schedule\` · a 1 KB delivery, ${WARMUP.toLocaleString('en-US')} verifies of warm-up, then the difference between ${VERIFIES.toLocaleString('en-US')} and ${(2 * VERIFIES).toLocaleString('en-US')} more, each contender in its own process.`,
    'Instruction counts do not move with the machine\'s load, so they settle what the rates above cannot on a shared machine; they count every instruction of the process (ours, node:crypto, V8, the garbage collector), not cache misses or stalls.',
    table,
    lines.map((line) => `- ${line}`).join('\n'),
  ].join('\n\n'),
)
