/**
 * Bundle tests (zod's treeshake idea): bundle what a browser user would import and assert what must
 * not be there. Each preset is its own module, so importing one leaves the others out.
 */
import { brotliCompressSync, constants } from 'node:zlib'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'

const ROOT = new URL('../..', import.meta.url).pathname

async function bundle(contents: string): Promise<{ code: string; brotli: number; inputs: string[] }> {
  const result = await build({
    stdin: { contents, resolveDir: ROOT, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    metafile: true,
  })
  const bytes = result.outputFiles[0]!.contents
  const brotli = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length
  return { code: new TextDecoder().decode(bytes), brotli, inputs: Object.keys(result.metafile.inputs) }
}

/** A string only each preset's code holds. */
const MARKERS = {
  standardWebhooks: 'webhook-signature',
  stripeWebhooks: 'stripe-signature',
  githubWebhooks: 'x-hub-signature-256',
  slackWebhooks: 'x-slack-signature',
  shopifyWebhooks: 'x-shopify-hmac-sha256',
} as const

/**
 * Budget for one preset in a browser bundle, brotli level 11 (measured 5.5–6.3 kB). Each verifier
 * carries verify, verifySync, verifyRaw, the Request and Node helpers, sign, v1a, schemas, replay and
 * option checks, and object methods cannot be tree-shaken: this is the price of the full verifier.
 * The 1.5 kB aim is not met; see the report to the lead. The budget catches regressions.
 */
const BUDGET_BYTES = 6_600

/** Budget for the lean `createStandardVerifier` alone, brotli level 11: what was reached, plus ~2 %. */
const LEAN_BUDGET_BYTES = 4_000

describe('webhooks browser bundles', () => {
  for (const [name, marker] of Object.entries(MARKERS)) {
    it(`${name} alone: within budget, no other preset, no third-party code`, async () => {
      const { code, brotli, inputs } = await bundle(`export { ${name} } from './src/webhooks/index.ts'`)
      expect(code).toContain(marker)
      for (const [other, otherMarker] of Object.entries(MARKERS)) {
        if (other !== name) expect(code, `${other} leaked into ${name}`).not.toContain(otherMarker)
      }
      expect(inputs.filter((input) => input.includes('node_modules'))).toEqual([])
      expect(code).not.toMatch(/\bky\b|eventemitter3|isomorphic-ws|from"ws"/)
      expect(brotli).toBeLessThanOrEqual(BUDGET_BYTES)
    })
  }

  /**
   * The lean v1 verifier alone (measured 3,921 bytes brotli; `standardWebhooks` is ~6.5 kB). Issue 7's
   * 1.5 kB aim is not met: most of what is left is the text of the refusals and option errors (each
   * names the header or option and the rule), strict base64, option checks and both crypto paths.
   * The budget guards what was reached; the names below are the code it must never pull in again.
   */
  it('createStandardVerifier alone: within its budget; no Ed25519, header signing, Request or stream reading, schemas or other presets', async () => {
    const { code, brotli, inputs } = await bundle(`export { createStandardVerifier } from './src/webhooks/index.ts'`)
    expect(code).toContain('webhook-signature')
    for (const marker of ['"Ed25519"', 'pkcs8', '"jwk"', 'randomUUID', 'arrayBuffer', 'readableEnded', '~standard', ...Object.values(MARKERS).slice(1)]) {
      expect(code, `${marker} leaked into the lean verifier`).not.toContain(marker)
    }
    expect(inputs.filter((input) => input.includes('node_modules'))).toEqual([])
    expect(brotli).toBeLessThanOrEqual(LEAN_BUDGET_BYTES)
  })

  it('the whole wirekit/webhooks entry holds no ky, ws or eventemitter3', async () => {
    const { inputs } = await bundle(`export * from './src/webhooks/index.ts'`)
    expect(inputs.filter((input) => input.includes('node_modules'))).toEqual([])
    expect(inputs.filter((input) => /src\/(rest|realtime)\//.test(input))).toEqual([])
  })
})
