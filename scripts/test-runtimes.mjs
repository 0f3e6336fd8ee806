// `npm run test:runtimes`: the smoke suite (test/runtimes/smoke.mjs) in every runtime wirekit's users
// run — Node 24, Node 22 (plus the whole unit suite there), Deno, Bun, workerd and a real Chromium —
// against local fixture servers on 127.0.0.1. One line per runtime; a runtime that cannot start is a
// failure with its reason, never a skip. Exits 1 if any runtime failed. WIREKIT_RUNTIMES=a,b narrows
// the run for local work.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { checkExamplePage } from '../test/runtimes/example-page.mjs'
import { startFixtures } from '../test/runtimes/fixtures.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const bin = (name) => join(root, 'node_modules', '.bin', name)
const NODE_22 = 'node@22.23.3'
const MARKER = 'WIREKIT_SMOKE_REPORT '

/** Runs a command; resolves to its exit code and output. Never rejects. */
function run(command, args, { env = {}, timeout = 300_000 } = {}) {
  return new Promise((resolve) => {
    let output = ''
    let child
    try {
      child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    } catch (error) {
      return resolve({ code: -1, output: String(error) })
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), timeout)
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    child.on('error', (error) => {
      clearTimeout(timer)
      resolve({ code: -1, output: output + String(error) })
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code: code ?? -1, output: signal ? `${output}\nkilled by ${signal} (time limit)` : output })
    })
  })
}

/** The smoke report a CLI runtime printed, judged. */
function judgeReport(result, label) {
  const line = result.output.split('\n').find((text) => text.startsWith('{"runtime"') || text.includes(MARKER))
  if (!line) return { ok: false, summary: `no report (exit ${result.code}): ${tail(result.output)}` }
  const report = JSON.parse(line.includes(MARKER) ? line.slice(line.indexOf(MARKER) + MARKER.length) : line)
  const failed = report.checks.filter((check) => !check.ok)
  // The paths the export conditions picked, as the checks reported them.
  const paths = report.checks
    .map((check) => /over the (\w+) WebSocket|with (\w+) crypto/.exec(check.detail ?? ''))
    .filter(Boolean)
    .map((match) => (match[1] ? `${match[1]} WebSocket` : `${match[2]} crypto`))
  const summary = `${report.checks.length - failed.length}/${report.checks.length} checks` +
    (paths.length ? ` (${paths.join(', ')})` : '') +
    (failed.length ? ` — failed: ${failed.map((check) => `${check.name} (${check.detail})`).join('; ')}` : '')
  return { ok: failed.length === 0 && result.code === 0 && report.checks.length > 0, summary, runtime: report.runtime ?? label }
}

function tail(text, lines = 6) {
  return text.trim().split('\n').slice(-lines).join(' | ')
}

async function smokeCli(command, args, env) {
  return judgeReport(await run(command, args, { env: { WIREKIT_SMOKE_ENV: JSON.stringify(env) } }))
}

async function smokeWorkerd(env) {
  const { build } = await import('esbuild')
  const { Miniflare } = await import('miniflare')
  const bundle = await build({
    entryPoints: [join(root, 'test/runtimes/worker.mjs')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    // As wrangler does: the `browser` field too, so isomorphic-ws resolves to the runtime's own WebSocket.
    mainFields: ['browser', 'module', 'main'],
    // Resolve `wirekit/…` through package.json exports to the built files, as a user's bundler does
    // (the project tsconfig's paths would point at the source).
    absWorkingDir: root,
    tsconfigRaw: {},
  })
  const mf = new Miniflare({ modules: true, script: bundle.outputFiles[0].text, compatibilityDate: '2026-07-01' })
  try {
    const response = await mf.dispatchFetch('http://worker.local/', { method: 'POST', body: JSON.stringify(env) })
    return judgeReport({ code: 0, output: await response.text() })
  } finally {
    await mf.dispose()
  }
}

async function smokeChromium() {
  if (!existsSync('/usr/bin/chromium')) {
    return { ok: false, summary: 'Chromium is not installed at /usr/bin/chromium: apt-get install -y chromium' }
  }
  const result = await run(bin('vitest'), ['run', '--config', 'vitest.browser.config.ts', '--silent=false'])
  return judgeReport(result)
}

async function unitSuiteNode22() {
  const result = await run('npx', ['-y', '-p', NODE_22, 'node', join(root, 'node_modules/vitest/vitest.mjs'), 'run'], { timeout: 600_000 })
  const files = /Test Files\s+(.*)/.exec(result.output.replace(/\x1b\[[0-9;]*m/g, ''))
  const tests = /Tests\s+(.*)/.exec(result.output.replace(/\x1b\[[0-9;]*m/g, ''))
  return {
    ok: result.code === 0,
    summary: tests ? `unit suite: ${tests[1].trim()} (${files?.[1].trim()})` : `unit suite did not report (exit ${result.code}): ${tail(result.output)}`,
  }
}

const { env, stop, platform } = await startFixtures()
const runtimes = [
  ['node 24', () => smokeCli(process.execPath, ['test/runtimes/cli.mjs'], env)],
  ['node 22', () => smokeCli('npx', ['-y', '-p', NODE_22, 'node', 'test/runtimes/cli.mjs'], env)],
  ['node 22 unit', unitSuiteNode22],
  ['deno', () => smokeCli(bin('deno'), ['run', '--allow-net=127.0.0.1', '--allow-read', '--allow-env', 'test/runtimes/cli.mjs'], env)],
  // Bun applies tsconfig paths at run time; the project's would send `@wirekit/sdk` to the source.
  ['bun', () => smokeCli(bin('bun'), ['--tsconfig-override=test/runtimes/tsconfig.json', 'test/runtimes/cli.mjs'], env)],
  ['workerd', () => smokeWorkerd(env)],
  ['chromium', smokeChromium],
  ['chromium example page', async () => judgeReport({ code: 0, output: JSON.stringify(await checkExamplePage(root, platform)) })],
]

// WIREKIT_RUNTIMES=deno,bun runs only those (for local work); CI runs them all.
const only = process.env.WIREKIT_RUNTIMES?.split(',').map((name) => name.trim())
const selected = only ? runtimes.filter(([label]) => only.includes(label)) : runtimes
if (selected.length === 0) {
  console.error(`WIREKIT_RUNTIMES names no runtime; the runtimes are: ${runtimes.map(([label]) => label).join(', ')}`)
  process.exit(1)
}

let passed = 0
let failed = 0
try {
  for (const [label, start] of selected) {
    const result = await start().catch((error) => ({ ok: false, summary: `could not start: ${error?.stack ?? error}` }))
    const name = result.runtime && result.runtime !== label ? `${label} (${result.runtime})` : label
    console.log(`${result.ok ? 'ok  ' : 'FAIL'}  ${name.padEnd(28)} ${result.summary}`)
    if (result.ok) passed++
    else failed++
  }
} finally {
  await stop()
}
console.log(`runtimes: ${passed} passed, ${failed} failed`)
process.exitCode = failed === 0 ? 0 : 1
