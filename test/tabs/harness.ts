// The Chromium harness of the tabs suite: the page bundled with esbuild, a static server for it,
// a TCP link between the pages and the reference server that the test can cut, and one browser
// context whose pages are the tabs. Everything on 127.0.0.1; closed by `close()`.
import { createServer as createHttpServer } from 'node:http'
import { type Socket, connect, createServer as createTcpServer } from 'node:net'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright'

const CHROMIUM = '/usr/bin/chromium'
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
const root = fileURLToPath(new URL('../../', import.meta.url))

/** What one tab has reported (kept across its reloads): ready channels and roles. */
export interface TabLog {
  ready: Set<string>
  roles: string[]
}

/** Offsets a tab delivered in its current page load, per channel (the page keeps them; read in one call). */
export function delivered(page: Page): Promise<Record<string, number[]>> {
  return page.evaluate(() => window.wk.log)
}

/** Per channel, how many times each offset was delivered across all loads of the tab (its sessionStorage). */
export function seenAcrossLoads(page: Page): Promise<Record<string, Record<number, number>>> {
  return page.evaluate(() => {
    const out: Record<string, Record<number, number>> = {}
    for (let i = 0; i < sessionStorage.length; i++) {
      const key = sessionStorage.key(i)!
      const [kind, channel, offset] = key.split(':')
      if (kind !== 'seen') continue
      ;(out[channel!] ??= {})[Number(offset)] = Number(sessionStorage.getItem(key))
    }
    return out
  })
}

export interface Harness {
  context: BrowserContext
  /** The address pages give as `realtimeUrl`: the cuttable link in front of the server. */
  linkUrl: string
  /** Cuts the link: open connections are destroyed and new ones refused until `restore()`. */
  cut(): void
  restore(): void
  /** Opens a tab on the page with these query parameters. */
  open(query: Record<string, string>): Promise<Page>
  /** What a tab reported (kept across its reloads). */
  log(page: Page): TabLog
  close(): Promise<void>
}

/** Fails with the install command when Debian's Chromium is missing: this suite never skips. */
export function requireChromium(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is missing at ${CHROMIUM}: install it with \`apt-get update && apt-get install -y chromium\` (the tabs suite needs a real browser)`)
  }
}

export async function startHarness(serverPort: number): Promise<Harness> {
  requireChromium()
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL('./page.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    absWorkingDir: root,
    // The browser build's pick of the package's `#socket` import: the runtime's own WebSocket.
    alias: { '#socket': fileURLToPath(new URL('../../src/realtime/socket-native.ts', import.meta.url)) },
    logLevel: 'silent',
  })
  const script = bundle.outputFiles[0]!.text
  const http = createHttpServer((req, res) => {
    if (req.url?.startsWith('/tab')) return void res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><script type="module" src="/page.js"></script>')
    if (req.url === '/page.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(script)
    res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))

  let down = false
  const piped = new Set<Socket>()
  const link = createTcpServer((inbound) => {
    if (down) return void inbound.destroy()
    const outbound: Socket = connect(serverPort, '127.0.0.1')
    piped.add(inbound).add(outbound)
    const end = () => {
      inbound.destroy()
      outbound.destroy()
      piped.delete(inbound)
      piped.delete(outbound)
    }
    inbound.on('error', end).on('close', end)
    outbound.on('error', end).on('close', end)
    inbound.pipe(outbound).pipe(inbound)
  })
  await new Promise<void>((resolve) => link.listen(0, '127.0.0.1', resolve))

  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
  const context = await browser.newContext()
  const logs = new WeakMap<Page, TabLog>()
  const logOf = (page: Page) => {
    let found = logs.get(page)
    if (!found) logs.set(page, (found = { ready: new Set(), roles: [] }))
    return found
  }
  await context.exposeBinding('wkReady', ({ page }, channel: string) => void logOf(page).ready.add(channel))
  await context.exposeBinding('wkRole', ({ page }, role: string) => void logOf(page).roles.push(role))
  const base = `http://127.0.0.1:${(http.address() as { port: number }).port}/tab`
  const linkUrl = `ws://127.0.0.1:${(link.address() as { port: number }).port}`

  return {
    context,
    linkUrl,
    cut() {
      down = true
      for (const socket of piped) socket.destroy()
    },
    restore() {
      down = false
    },
    async open(query) {
      const page = await context.newPage()
      page.on('pageerror', (error) => console.error('[page error]', error.message))
      await page.goto(`${base}?${new URLSearchParams(query)}`)
      return page
    },
    log: logOf,
    async close() {
      await browser.close()
      for (const socket of piped) socket.destroy()
      await new Promise((resolve) => link.close(resolve))
      await new Promise((resolve) => http.close(resolve))
    },
  }
}
