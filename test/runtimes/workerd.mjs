// Runs the smoke suite in workerd (Cloudflare Workers) through Miniflare, bundled as wrangler bundles
// it, and prints the report as one JSON line. The fixture addresses come in WIREKIT_SMOKE_ENV. Each
// step is announced on stderr, so a run that hangs is reported with the step it hung in.
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { Miniflare } from 'miniflare'

const root = fileURLToPath(new URL('../../', import.meta.url))
const env = JSON.parse(process.env.WIREKIT_SMOKE_ENV)
const step = (text) => console.error(`step: ${text}`)

step('bundling test/runtimes/worker.mjs')
const bundle = await build({
  entryPoints: [join(root, 'test/runtimes/worker.mjs')],
  bundle: true,
  write: false,
  format: 'esm',
  platform: 'neutral',
  conditions: ['workerd', 'worker', 'browser'],
  // As wrangler does: the `browser` field too, so isomorphic-ws resolves to the runtime's own WebSocket.
  mainFields: ['browser', 'module', 'main'],
  // Resolve `@wirekit/sdk/…` through package.json exports to the built files, as a user's bundler does
  // (the project tsconfig's paths would point at the source).
  absWorkingDir: root,
  tsconfigRaw: {},
  logLevel: 'silent',
})
step('starting workerd')
const mf = new Miniflare({ modules: true, script: bundle.outputFiles[0].text, compatibilityDate: '2026-07-01' })
try {
  await mf.ready
  step('running the smoke suite in the worker')
  const response = await mf.dispatchFetch('http://worker.local/', { method: 'POST', body: JSON.stringify(env) })
  console.log(await response.text())
} finally {
  step('stopping workerd')
  await mf.dispose()
}
