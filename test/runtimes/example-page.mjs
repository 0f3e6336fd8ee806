// The realtime example page (examples/realtime/browser) in a real Chromium: bundled as a user's
// bundler would (@wirekit/sdk/realtime through package exports, browser field on), served with its
// token route, then shown live orders, a server-side drop, and orders published while it was down.
import { createServer } from 'node:http'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { build } from 'esbuild'
import { chromium } from 'playwright'

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

/**
 * Loads the page against `platform` and reports checks in the smoke suite's shape. `progress` is told
 * each step as it starts, so a caller that gives up can say where it stopped.
 */
export async function checkExamplePage(root, platform, progress = () => {}) {
  progress('bundling the page')
  const pageDir = join(root, 'examples/realtime/browser')
  const bundle = await build({
    entryPoints: [join(pageDir, 'app.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    absWorkingDir: root,
    tsconfigRaw: {},
    logLevel: 'silent',
  })
  const html = readFileSync(join(pageDir, 'index.html'), 'utf8').replace(
    '<head>',
    `<head>\n    <meta name="wirekit-realtime-url" content="${platform.realtimeUrl}" />`,
  )
  const server = createServer((req, res) => {
    if (req.url === '/' || req.url === '/index.html') return void res.writeHead(200, { 'content-type': 'text/html' }).end(html)
    if (req.url === '/app.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle.outputFiles[0].text)
    if (req.url === '/session/realtime-token') {
      const issued = platform.api.issueToken()
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: issued.access_token, expiresIn: issued.expires_in }))
    }
    res.writeHead(404).end()
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  progress('launching Chromium')
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS })
  const checks = []
  try {
    const page = await browser.newPage()
    const errors = []
    page.on('pageerror', (error) => errors.push(error.message))
    progress('loading the page')
    await page.goto(`http://127.0.0.1:${server.address().port}/`)
    const items = () => page.locator('#orders li').allTextContents()
    const waitFor = async (what, predicate) => {
      // Generous for a busy machine; the runner's time limit for this leg is the backstop.
      const deadline = Date.now() + 30_000
      while (!(await predicate())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; list: ${JSON.stringify(await items())}`)
        await new Promise((resolve) => setTimeout(resolve, 25))
      }
    }
    const step = async (name, run) => {
      progress(`checking "${name}"`)
      try {
        checks.push({ name, ok: true, detail: await run() })
      } catch (error) {
        checks.push({ name, ok: false, detail: String(error?.message ?? error) })
      }
    }
    await step('example page: connects and shows live orders', async () => {
      await waitFor('the open state', async () => (await page.locator('#status').getAttribute('data-state')) === 'open')
      platform.realtime.publish('orders', 'created', { id: 1, total: 30 })
      platform.realtime.publish('orders', 'created', { id: 2, total: 12 })
      await waitFor('2 orders', async () => (await items()).length === 2)
    })
    await step('example page: orders published while dropped arrive once after the reconnect', async () => {
      platform.realtime.drop()
      platform.realtime.publish('orders', 'cancelled', { id: 1 })
      platform.realtime.publish('orders', 'created', { id: 3, total: 7 })
      await waitFor('4 orders', async () => (await items()).length === 4)
      await new Promise((resolve) => setTimeout(resolve, 200))
      const list = await items()
      const want = ['#3 created — 7', '#1 cancelled', '#2 created — 12', '#1 created — 30']
      if (JSON.stringify(list) !== JSON.stringify(want)) throw new Error(`list ${JSON.stringify(list)}`)
      if (errors.length > 0) throw new Error(`page errors: ${errors.join('; ')}`)
      return `${list.length} orders, each once`
    })
  } finally {
    progress('closing Chromium')
    await browser.close()
    server.closeAllConnections()
    await new Promise((resolve) => server.close(() => resolve()))
  }
  return { runtime: 'chromium', checks }
}
