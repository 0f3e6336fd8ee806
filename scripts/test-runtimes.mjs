// `npm run test:runtimes`: the smoke suite (test/runtimes/smoke.mjs) in every runtime wirekit's users
// run — Node 24, Node 22 (plus the whole unit suite there), Deno, Bun, workerd and a real Chromium —
// against local fixture servers on 127.0.0.1. One line per runtime; a runtime that cannot start is a
// failure with its reason, never a skip, and so is a runtime that outruns its time limit (LIMITS):
// its line says what it was doing, the step or its last output line. Exits 1 if any runtime failed.
// WIREKIT_RUNTIMES=a,b narrows the run for local work.
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

/**
 * Each leg's time limit, in seconds: generous for a busy 2-core machine (a leg usually takes a small
 * part of it), and there so that a hung leg fails, named, instead of hanging CI. The first run of a
 * `node 22` leg also installs node@22 through npx.
 */
const LIMITS = {
  smoke: 180,
  'node 22 unit': 900,
  chromium: 300,
  'chromium example page': 180,
  fixtures: 60,
}

/** The last non-empty line of some output, shortened, to say where a run stopped. */
function lastLine(text) {
  const line = text.trim().split('\n').filter((entry) => entry.trim()).at(-1) ?? '(no output)'
  return line.length > 200 ? `${line.slice(0, 200)}…` : line
}

/**
 * Runs a command in its own process group; resolves to its exit code and output, and `hung` with a
 * message naming the last output line when it outran `limit` seconds (the whole group is killed:
 * `npx` and the runtime it started, workerd under Miniflare). Never rejects.
 */
function run(command, args, { env = {}, limit }) {
  return new Promise((resolve) => {
    let output = ''
    let child
    try {
      child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    } catch (error) {
      return resolve({ code: -1, output: String(error) })
    }
    let hung
    const timer = setTimeout(() => {
      hung = `hung: no result within ${limit} s; last output: ${lastLine(output)}`
      try {
        process.kill(-child.pid, 'SIGKILL')
      } catch {
        child.kill('SIGKILL')
      }
    }, limit * 1000)
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    child.on('error', (error) => {
      clearTimeout(timer)
      resolve({ code: -1, output: output + String(error) })
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code: code ?? -1, output, hung })
    })
  })
}

/**
 * Runs an in-process leg with a time limit. `leg` gets a `step(text)` to say what it is doing; a leg
 * that outruns the limit resolves to a failure naming that step (the process exits at the end, so
 * the hung work cannot keep it alive).
 */
async function withinLimit(limit, leg) {
  let current = 'starting'
  let timer
  const hang = new Promise((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, summary: `hung: no result within ${limit} s while ${current}` }), limit * 1000)
  })
  try {
    return await Promise.race([leg((text) => (current = text)), hang])
  } finally {
    clearTimeout(timer)
  }
}

/** The smoke report a CLI runtime printed, judged. */
function judgeReport(result, label) {
  if (result.hung) return { ok: false, summary: result.hung }
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
  return judgeReport(await run(command, args, { env: { WIREKIT_SMOKE_ENV: JSON.stringify(env) }, limit: LIMITS.smoke }))
}

async function smokeChromium() {
  if (!existsSync('/usr/bin/chromium')) {
    return { ok: false, summary: 'Chromium is not installed at /usr/bin/chromium: apt-get install -y chromium' }
  }
  const result = await run(bin('vitest'), ['run', '--config', 'vitest.browser.config.ts', '--silent=false'], { limit: LIMITS.chromium })
  return judgeReport(result)
}

async function unitSuiteNode22() {
  const result = await run('npx', ['-y', '-p', NODE_22, 'node', join(root, 'node_modules/vitest/vitest.mjs'), 'run'], { limit: LIMITS['node 22 unit'] })
  if (result.hung) return { ok: false, summary: result.hung }
  const plain = result.output.replace(/\x1b\[[0-9;]*m/g, '')
  // Anchored at a line's start: the "Failed Tests 1" banner must not pass for the totals.
  const files = /^\s*Test Files\s+(.*)$/m.exec(plain)
  const tests = /^\s*Tests\s+(.*)$/m.exec(plain)
  // A failure names its tests, so a flaky one can be found from the CI log alone.
  const failed = [...new Set((plain.match(/^\s*FAIL\s+.*$/gm) ?? []).map((line) => line.trim()))].slice(0, 5)
  return {
    ok: result.code === 0,
    summary: tests ? `unit suite: ${tests[1].trim()} (${files?.[1].trim()})${failed.length > 0 ? `; ${failed.join('; ')}` : ''}` : `unit suite did not report (exit ${result.code}): ${tail(result.output)}`,
  }
}

const fixtures = await withinLimit(LIMITS.fixtures, () => startFixtures().then((started) => ({ ok: true, ...started })))
if (!fixtures.ok) {
  console.error(`the fixture servers did not start: ${fixtures.summary}`)
  process.exit(1)
}
const { env, stop, platform } = fixtures
const runtimes = [
  ['node 24', () => smokeCli(process.execPath, ['test/runtimes/cli.mjs'], env)],
  ['node 22', () => smokeCli('npx', ['-y', '-p', NODE_22, 'node', 'test/runtimes/cli.mjs'], env)],
  ['node 22 unit', unitSuiteNode22],
  ['deno', () => smokeCli(bin('deno'), ['run', '--allow-net=127.0.0.1', '--allow-read', '--allow-env', 'test/runtimes/cli.mjs'], env)],
  // Bun applies tsconfig paths at run time; the project's would send `@wirekit/sdk` to the source.
  ['bun', () => smokeCli(bin('bun'), ['--tsconfig-override=test/runtimes/tsconfig.json', 'test/runtimes/cli.mjs'], env)],
  // In a child process like the others, so a hang in workerd is killed with it and reported.
  ['workerd', () => smokeCli(process.execPath, ['test/runtimes/workerd.mjs'], env)],
  ['chromium', smokeChromium],
  [
    'chromium example page',
    () => withinLimit(LIMITS['chromium example page'], async (step) => judgeReport({ code: 0, output: JSON.stringify(await checkExamplePage(root, platform, step)) })),
  ],
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
  const stopped = await withinLimit(LIMITS.fixtures, () => stop().then(() => ({ ok: true })))
  if (!stopped.ok) console.error(`the fixture servers did not stop: ${stopped.summary}`)
}
console.log(`runtimes: ${passed} passed, ${failed} failed`)
// Exit now: a leg that hung in this process (the example page) may still hold the event loop.
process.exit(failed === 0 ? 0 : 1)
