/**
 * Where bench results go: a section of bench/RESULTS.md per bench (replaced on each run, the others
 * left alone), stamped with the date, the machine and the versions measured, and an SVG bar chart
 * beside it so the comparison can be seen at a glance.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { cpus, loadavg, totalmem } from 'node:os'
import { fileURLToPath } from 'node:url'
import type { Spread } from './compare.ts'

const benchDir = fileURLToPath(new URL('..', import.meta.url))
const require = createRequire(import.meta.url)

/** The installed version of a package, read from its package.json; `?` when it is not found. */
export function versionOf(name: string): string {
  try {
    return (require(`${name}/package.json`) as { version: string }).version
  } catch {
    try {
      // Packages whose exports hide package.json: find it above the resolved entry. import.meta.resolve
      // also finds ESM-only packages, whose exports offer require() nothing.
      let dir = fileURLToPath(import.meta.resolve(name))
      while (dir.includes('node_modules')) {
        dir = dir.slice(0, dir.lastIndexOf('/'))
        try {
          const pkg = JSON.parse(readFileSync(`${dir}/package.json`, 'utf8')) as { name?: string; version: string }
          if (pkg.name === name) return pkg.version
        } catch {
          // keep climbing
        }
      }
    } catch {
      // not installed
    }
    return '?'
  }
}

/**
 * A one-line description of where the figures were taken. The load average (taken when the line is
 * written, at the end of a run) says how shared the machine was: above the core count, other jobs
 * were taking turns on it, and the min–max spreads widen.
 */
export function machineLine(): string {
  const cpu = cpus()
  const load = loadavg()[0]!.toFixed(1)
  return `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · Node ${process.versions.node} · ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'} · ${Math.round(totalmem() / 2 ** 30)} GiB · load average ${load}`
}

export interface ChartBar {
  label: string
  value: Spread
}

/**
 * A horizontal bar chart: one bar per contender at its median, a whisker from min to max, and a
 * dashed line at `reference` (1× for ratio charts).
 */
export function barChart(title: string, unit: string, bars: ChartBar[], reference?: number): string {
  // Wide enough for the longest label at ~7 px a character of 13 px system-ui.
  const labelWidth = Math.max(250, 16 + 7 * Math.max(...bars.map((bar) => bar.label.length)))
  const width = labelWidth + 510
  const plotWidth = width - labelWidth - 90
  const rowHeight = 26
  const top = 40
  const height = top + bars.length * rowHeight + 30
  const maxValue = Math.max(...bars.map((bar) => bar.value.max), reference ?? 0) * 1.05 || 1
  const x = (value: number) => labelWidth + (value / maxValue) * plotWidth
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  const rows = bars.map((bar, index) => {
    const y = top + index * rowHeight
    const fmt = bar.value.median >= 100 ? Math.round(bar.value.median).toLocaleString('en-US') : bar.value.median.toFixed(2)
    return [
      `<text x="${labelWidth - 8}" y="${y + 16}" text-anchor="end">${escape(bar.label)}</text>`,
      `<rect x="${labelWidth}" y="${y + 4}" width="${Math.max(1, x(bar.value.median) - labelWidth).toFixed(1)}" height="16" fill="${bar.label.startsWith('@wirekit/sdk') ? '#2563eb' : '#9ca3af'}"/>`,
      `<line x1="${x(bar.value.min).toFixed(1)}" x2="${x(bar.value.max).toFixed(1)}" y1="${y + 12}" y2="${y + 12}" stroke="#111" stroke-width="1.5"/>`,
      `<text x="${(x(bar.value.max) + 6).toFixed(1)}" y="${y + 16}">${fmt}${escape(unit)}</text>`,
    ].join('')
  })
  const referenceLine =
    reference === undefined
      ? ''
      : `<line x1="${x(reference).toFixed(1)}" x2="${x(reference).toFixed(1)}" y1="${top - 4}" y2="${height - 26}" stroke="#dc2626" stroke-dasharray="4 3"/>`
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="13">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="12" y="24" font-size="15" font-weight="600">${escape(title)}</text>`,
    ...rows,
    referenceLine,
    `<text x="${labelWidth}" y="${height - 8}" fill="#555">bars: median · whiskers: min–max${reference === undefined ? '' : ` · dashed: ${reference}${escape(unit)}`}</text>`,
    '</svg>',
  ].join('\n')
}

/** Writes a chart to bench/charts/<name>.svg; returns the path relative to bench/. */
export function writeChart(name: string, svg: string): string {
  writeFileSync(`${benchDir}charts/${name}.svg`, `${svg}\n`)
  return `charts/${name}.svg`
}

/** Replaces the `bench` section of bench/RESULTS.md (or appends it), leaving the other sections alone. */
export function writeResultsSection(bench: string, markdown: string): void {
  const path = `${benchDir}RESULTS.md`
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    text = '# Benchmark results\n\nWritten by the benches in bench/ (`npm run bench:<name>`); each run replaces its own section.\n'
  }
  const start = `<!-- ${bench}:start -->`
  const end = `<!-- ${bench}:end -->`
  const section = `${start}\n${markdown.trim()}\n${end}`
  const from = text.indexOf(start)
  const to = text.indexOf(end)
  text = from >= 0 && to > from ? text.slice(0, from) + section + text.slice(to + end.length) : `${text.trimEnd()}\n\n${section}\n`
  writeFileSync(path, text)
}
