/**
 * Tree-shaking tests (zod's treeshake idea): bundle what a browser user would import from the built
 * package and assert what must NOT be there, so a failure names the exact regression. Third-party
 * code is found by the bundle's inputs; our own code by string literals that survive minification.
 */
import { describe, expect, it } from 'vitest'
import { bundleSize, includesPackage } from '../../bench/lib/bundle.ts'

/** A header name only each webhook preset's code holds. */
const PRESET_MARKERS = {
  standardWebhooks: 'webhook-signature',
  stripeWebhooks: 'stripe-signature',
  githubWebhooks: 'x-hub-signature-256',
  slackWebhooks: 'x-slack-signature',
  shopifyWebhooks: 'x-shopify-hmac-sha256',
} as const

/** ky's own names (its error classes and options); they stay readable in a minified bundle. */
const KY_NAMES = /HTTPError|KyError|ForceRetryError|onDownloadProgress|beforeRetry/
/** Names only the server's code holds (@wirekit/sdk/server): no client bundle may carry them. */
const SERVER_MARKERS = ['slow consumer', 'auth frame expected first', 'too_many_channels']
/** The realtime protocol's name: only @wirekit/sdk/realtime (and createClient) carry it. */
const REALTIME_MARKER = 'wirekit.v1'

describe('@wirekit/sdk/webhooks', () => {
  it('holds no ky, ws or eventemitter3, nor any other third-party or REST/realtime code', async () => {
    const bundle = await bundleSize(`export * from '@wirekit/sdk/webhooks'`)
    for (const name of ['ky', 'ws', 'isomorphic-ws', 'eventemitter3']) expect(includesPackage(bundle, name), name).toBe(false)
    expect(bundle.inputs.filter((input) => input.includes('node_modules'))).toEqual([])
    expect(bundle.code).not.toMatch(KY_NAMES)
    expect(bundle.code).not.toContain(REALTIME_MARKER)
    // The browser build of `#node-crypto` does not look for node:crypto: verifiers run on Web Crypto.
    expect(bundle.code).not.toContain('getBuiltinModule')
  })

  for (const [name, marker] of Object.entries(PRESET_MARKERS)) {
    it(`${name} alone carries no other preset`, async () => {
      const { code, inputs } = await bundleSize(`export { ${name} } from '@wirekit/sdk/webhooks'`)
      expect(code).toContain(marker)
      for (const [other, otherMarker] of Object.entries(PRESET_MARKERS)) {
        if (other !== name) expect(code, `${other} leaked into ${name}`).not.toContain(otherMarker)
      }
      expect(inputs.filter((input) => input.includes('node_modules'))).toEqual([])
    })
  }
})

describe('the lean Standard Webhooks verifier', () => {
  it('standardWebhooksV1Lite alone: no Ed25519, signing, Request or stream reading, schemas or other presets', async () => {
    const { code, inputs } = await bundleSize(`export { standardWebhooksV1Lite } from '@wirekit/sdk/webhooks'`)
    expect(code).toContain(PRESET_MARKERS.standardWebhooks)
    const others = Object.values(PRESET_MARKERS).filter((marker) => marker !== PRESET_MARKERS.standardWebhooks)
    for (const marker of ['"Ed25519"', 'pkcs8', '"jwk"', 'randomUUID', 'arrayBuffer', 'readableEnded', '~standard', ...others]) {
      expect(code, `${marker} leaked into the lean verifier`).not.toContain(marker)
    }
    expect(inputs.filter((input) => input.includes('node_modules'))).toEqual([])
  })
})

describe('@wirekit/sdk/realtime', () => {
  it('holds no ky, no ws and no Node built-ins', async () => {
    const bundle = await bundleSize(`export { createRealtimeClient } from '@wirekit/sdk/realtime'`)
    expect(bundle.code).toContain(REALTIME_MARKER)
    expect(includesPackage(bundle, 'ky')).toBe(false)
    expect(bundle.code).not.toMatch(KY_NAMES)
    // The browser build's `#socket` is the runtime's own WebSocket: neither ws nor isomorphic-ws.
    expect(includesPackage(bundle, 'ws')).toBe(false)
    expect(includesPackage(bundle, 'isomorphic-ws')).toBe(false)
    expect(bundle.code).not.toMatch(/require\(["']ws["']\)|node:|WebSocketServer/)
    for (const marker of SERVER_MARKERS) expect(bundle.code, `server code (${marker}) leaked into the realtime client`).not.toContain(marker)
  })
})

describe('@wirekit/sdk/rest', () => {
  it('holds no realtime code, no ws and no eventemitter3', async () => {
    const bundle = await bundleSize(`export { createRestClient } from '@wirekit/sdk/rest'`)
    expect(includesPackage(bundle, 'ky')).toBe(true)
    for (const name of ['ws', 'isomorphic-ws', 'eventemitter3']) expect(includesPackage(bundle, name), name).toBe(false)
    expect(bundle.code).not.toContain(REALTIME_MARKER)
  })
})

describe('@wirekit/sdk (the default bundle)', () => {
  it('holds none of the server (@wirekit/sdk/server is its own Node-only subpath)', async () => {
    const bundle = await bundleSize(`export { createClient } from '@wirekit/sdk'`)
    for (const marker of SERVER_MARKERS) expect(bundle.code, `server code (${marker}) leaked into createClient`).not.toContain(marker)
    expect(bundle.code).not.toContain('WebSocketServer')
  })
})
