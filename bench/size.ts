/**
 * `npm run bench:size`: browser bundle sizes (esbuild, minified; gzip and brotli) of each wirekit
 * subpath, of typical imports, and of the peers users compare us with, in one run. Writes its table
 * to bench/RESULTS.md and a chart to bench/charts/size.svg.
 */
import { type BundleSize, bundleOrigins, bundleSize } from './lib/bundle.ts'
import { barChart, machineLine, versionOf, writeChart, writeResultsSection } from './lib/report.ts'
import { type Budget, KY_SOURCE, TARGETS, enforced } from './size-targets.ts'

interface Row {
  name: string
  size: BundleSize
  budget?: Budget
}

const PEERS: Array<[name: string, source: string]> = [
  ['ky', KY_SOURCE],
  ['openapi-fetch', `export { default } from 'openapi-fetch'`],
  ['partysocket', `export { WebSocket } from 'partysocket'`],
  ['reconnecting-websocket', `export { default } from 'reconnecting-websocket'`],
  ['graphql-ws', `export { createClient } from 'graphql-ws'`],
  ['@supabase/realtime-js', `export { RealtimeClient } from '@supabase/realtime-js'`],
  ['ably', `export { Realtime } from 'ably'`],
  ['pusher-js', `export { default } from 'pusher-js'`],
  ['standardwebhooks', `export { Webhook } from 'standardwebhooks'`],
  ['svix', `export { Webhook } from 'svix'`],
]

const kyBrotli = (await bundleSize(KY_SOURCE)).brotli
const rows: Row[] = []
for (const target of TARGETS) rows.push({ name: target.name, size: await bundleSize(target.source), budget: target.budget })
for (const [name, source] of PEERS) {
  try {
    rows.push({ name: `${name} ${versionOf(name)}`, size: await bundleSize(source) })
  } catch (error) {
    console.error(`could not bundle ${name}: ${(error as Error).message.split('\n')[0]}`)
  }
}

const kb = (bytes: number) => (bytes / 1000).toFixed(2)
/** The issue's budget with a verdict, and what npm test enforces (test/bundle/budgets.test.ts). */
function budgetCells(size: BundleSize, budget: Budget | undefined): string {
  if (budget === undefined) return ' | '
  const issue = budget.issue?.(kyBrotli)
  const verdict = issue === undefined ? '—' : `${budget.issueText} = ${kb(issue)} ${size.brotli <= issue ? '✓' : '✗ over'}`
  return `${verdict} | ${kb(enforced(budget, kyBrotli))}${budget.guard === undefined ? '' : ' (guard)'}`
}
const table = [
  '| bundle | minified kB | gzip kB | brotli kB | issue budget (brotli) | enforced in npm test |',
  '| --- | --- | --- | --- | --- | --- |',
  ...rows.map(({ name, size, budget }) => `| ${name} | ${kb(size.minified)} | ${kb(size.gzip)} | ${kb(size.brotli)} | ${budgetCells(size, budget)} |`),
].join('\n')
console.log(table)

// Where each wirekit bundle's bytes come from, so a budget argument can name them.
const originRows: string[] = []
for (const target of TARGETS) {
  const { minified, groups } = await bundleOrigins(target.source)
  const parts = [...groups].sort((a, b) => b[1] - a[1])
  originRows.push(`| ${target.name} | ${kb(minified)} | ${parts.map(([group, bytes]) => `${group} ${kb(bytes)} (${Math.round((100 * bytes) / minified)} %)`).join(' · ')} |`)
}
const origins = ['| bundle | minified kB (from source) | where the bytes come from (minified kB) |', '| --- | --- | --- |', ...originRows].join('\n')
console.log(`\n${origins}`)

const chart = writeChart(
  'size',
  barChart(
    'Browser bundle size, brotli (kB) — smaller is better',
    ' kB',
    rows.map(({ name, size }) => ({ label: name, value: { median: size.brotli / 1000, min: size.brotli / 1000, max: size.brotli / 1000 } })),
  ),
)
writeResultsSection(
  'size',
  `## Bundle size (\`npm run bench:size\`)\n\n${machineLine()} · esbuild ${versionOf('esbuild')}, browser platform, minified, ESM, on the built package; gzip -9, brotli q11; 1 kB = 1000 bytes. Budgets are issue 7's; where one is missed, \`npm test\` enforces a regression guard just above today's size instead (bench/size-targets.ts).\n\n${table}\n\nWhere the bytes come from: the same bundles built from the TypeScript sources, minified, by origin (brotli does not split by file).\n\n${origins}\n\n![bundle sizes](${chart})`,
)
