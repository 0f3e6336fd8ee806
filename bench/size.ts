/**
 * `npm run bench:size`: browser bundle sizes (esbuild, minified; gzip and brotli) of each wirekit
 * subpath, of typical imports, and of the peers users compare us with, in one run. Writes its table
 * to bench/RESULTS.md and a chart to bench/charts/size.svg.
 */
import { type BundleSize, bundleSize } from './lib/bundle.ts'
import { barChart, machineLine, versionOf, writeChart, writeResultsSection } from './lib/report.ts'
import { BUDGETS, TARGETS } from './size-targets.ts'

interface Row {
  name: string
  group: 'wirekit' | 'peer'
  size: BundleSize
  budget?: number
}

const PEERS: Array<[name: string, source: string]> = [
  ['ky', `export { default } from 'ky'`],
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

const rows: Row[] = []
for (const target of TARGETS) {
  rows.push({ name: target.name, group: 'wirekit', size: await bundleSize(target.source), budget: BUDGETS[target.name] })
}
for (const [name, source] of PEERS) {
  try {
    rows.push({ name: `${name} ${versionOf(name)}`, group: 'peer', size: await bundleSize(source) })
  } catch (error) {
    console.error(`could not bundle ${name}: ${(error as Error).message.split('\n')[0]}`)
  }
}

const kb = (bytes: number) => (bytes / 1000).toFixed(2)
const table = [
  '| bundle | minified kB | gzip kB | brotli kB | brotli budget |',
  '| --- | --- | --- | --- | --- |',
  ...rows.map(({ name, size, budget }) => {
    const verdict = budget === undefined ? '' : `${kb(budget)} ${size.brotli <= budget ? '✓' : '✗ over'}`
    return `| ${name} | ${kb(size.minified)} | ${kb(size.gzip)} | ${kb(size.brotli)} | ${verdict} |`
  }),
].join('\n')
console.log(table)

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
  `## Bundle size (\`npm run bench:size\`)\n\n${machineLine()} · esbuild ${versionOf('esbuild')}, browser platform, minified, ESM; gzip -9, brotli q11.\n\n${table}\n\n![bundle sizes](${chart})`,
)
