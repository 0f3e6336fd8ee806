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

/** Strings only the delivery intake (webhookIntake) and RedisReplayStore (its Lua scripts, its refusal) hold. */
const INTAKE_MARKERS = ['in_progress', 'retry-after', 'HMGET', 'store_unavailable', 'NOSCRIPT']

/** Strings only MemoryReplayStore (its leases, its option check) holds: a verifier alone must not carry it. */
const MEMORY_STORE_MARKERS = ['"processing"', '"stale"', '"done"']

/** ky's own names (its error classes and options); they stay readable in a minified bundle. */
const KY_NAMES = /HTTPError|KyError|ForceRetryError|onDownloadProgress|beforeRetry/
/** What only the graphql-transport-ws protocol's code holds: its subprotocol name and message types. */
const GRAPHQL_MARKERS = ['graphql-transport-ws', 'connection_init', 'GraphQLSubscriptionError']
/** Names only the server's code holds (@wirekit/sdk/server): no client bundle may carry them. */
const SERVER_MARKERS = ['slow consumer', 'auth frame expected first', 'too_many_channels']
/** The realtime protocol's name: only @wirekit/sdk/realtime (and createClient) carry it. */
const REALTIME_MARKER = 'wirekit.v1'
/** Tab sharing and persistence (@wirekit/sdk/realtime/tabs): its lock and channel names, its database and message kinds. */
const TABS_MARKERS = ['wirekit:tabs:', 'wirekit-tabs:', 'indexedDB', 'BroadcastChannel', 'sessionStorage', 'keepPositionsMs']

describe('@wirekit/sdk/webhooks', () => {
  it('holds no ky, ws or eventemitter3, nor any other third-party or REST/realtime code, nor the intake (its own subpath)', async () => {
    const bundle = await bundleSize(`export * from '@wirekit/sdk/webhooks'`)
    for (const marker of INTAKE_MARKERS) expect(bundle.code, `${marker} (intake / Redis store) leaked into @wirekit/sdk/webhooks`).not.toContain(marker)
    for (const name of ['ky', 'ws', 'isomorphic-ws', 'eventemitter3']) expect(includesPackage(bundle, name), name).toBe(false)
    expect(bundle.inputs.filter((input) => input.includes('node_modules'))).toEqual([])
    expect(bundle.code).not.toMatch(KY_NAMES)
    expect(bundle.code).not.toContain(REALTIME_MARKER)
    // The browser build of `#node-crypto` does not look for node:crypto: verifiers run on Web Crypto.
    expect(bundle.code).not.toContain('getBuiltinModule')
  })

  it('webhookIntake and RedisReplayStore bring the intake markers, so their absence below means something', async () => {
    const { code } = await bundleSize(`export { webhookIntake, RedisReplayStore } from '@wirekit/sdk/webhooks/intake'`)
    for (const marker of INTAKE_MARKERS) expect(code).toContain(marker)
  })

  it('MemoryReplayStore brings its lease markers, so their absence below means something', async () => {
    const { code } = await bundleSize(`export { MemoryReplayStore } from '@wirekit/sdk/webhooks'`)
    for (const marker of MEMORY_STORE_MARKERS) expect(code).toContain(marker)
  })

  for (const [name, marker] of Object.entries(PRESET_MARKERS)) {
    it(`${name} alone carries no other preset, no intake or Redis store, and no MemoryReplayStore (leases)`, async () => {
      const { code, inputs } = await bundleSize(`export { ${name} } from '@wirekit/sdk/webhooks'`)
      expect(code).toContain(marker)
      for (const intake of INTAKE_MARKERS) expect(code, `${intake} (intake / Redis store) leaked into ${name}`).not.toContain(intake)
      for (const lease of MEMORY_STORE_MARKERS) expect(code, `${lease} (MemoryReplayStore) leaked into ${name}`).not.toContain(lease)
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
    for (const marker of ['"Ed25519"', 'pkcs8', '"jwk"', 'randomUUID', 'arrayBuffer', 'readableEnded', '~standard', ...INTAKE_MARKERS, ...MEMORY_STORE_MARKERS, ...others]) {
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

  it('carries no graphql-transport-ws code: that protocol is its own subpath (issue 15)', async () => {
    for (const source of [`export { createRealtimeClient } from '@wirekit/sdk/realtime'`, `export * from '@wirekit/sdk/realtime'`, `export { createClient } from '@wirekit/sdk'`]) {
      const { code } = await bundleSize(source)
      for (const marker of GRAPHQL_MARKERS) expect(code, `${marker} leaked into ${source}`).not.toContain(marker)
    }
    const { code } = await bundleSize(`export { createGraphQLClient } from '@wirekit/sdk/realtime/graphql'`)
    for (const marker of GRAPHQL_MARKERS) expect(code).toContain(marker)
  })

  it('holds none of the tab sharing and persistence code (issue 16: opt-in, on its own subpath)', async () => {
    for (const source of [`export { createRealtimeClient } from '@wirekit/sdk/realtime'`, `export { createClient } from '@wirekit/sdk'`]) {
      const { code } = await bundleSize(source)
      for (const marker of TABS_MARKERS) expect(code, `${marker} leaked into ${source}`).not.toContain(marker)
    }
  })
})

describe('@wirekit/sdk/realtime/tabs', () => {
  it('carries the sharing and persistence code on top of the realtime client, and no ky or ws', async () => {
    const bundle = await bundleSize(`export { createSharedRealtimeClient } from '@wirekit/sdk/realtime/tabs'`)
    expect(bundle.code).toContain(REALTIME_MARKER)
    for (const marker of TABS_MARKERS) expect(bundle.code, marker).toContain(marker)
    for (const name of ['ky', 'ws', 'isomorphic-ws']) expect(includesPackage(bundle, name), name).toBe(false)
  })
})

describe('@wirekit/sdk/rest', () => {
  it('holds no realtime code, no ws and no eventemitter3', async () => {
    const bundle = await bundleSize(`export { createRestClient } from '@wirekit/sdk/rest'`)
    expect(includesPackage(bundle, 'ky')).toBe(true)
    for (const name of ['ws', 'isomorphic-ws', 'eventemitter3']) expect(includesPackage(bundle, name), name).toBe(false)
    expect(bundle.code).not.toContain(REALTIME_MARKER)
  })

  // Issue 17: the rate-limit budget and the revalidation cache come only with their factories.
  const BUDGET_AND_CACHE = ['ratelimit-policy', 'x-ratelimit-resource', 'the rate limit needs a wait', 'if-none-match', 'if-modified-since']
  it('holds no rate-limit budget and no revalidation cache unless they are imported', async () => {
    const bundle = await bundleSize(`export { createRestClient } from '@wirekit/sdk/rest'`)
    for (const name of BUDGET_AND_CACHE) expect(bundle.code, name).not.toContain(name)
    const both = await bundleSize(`export { createRestClient, rateLimits, revalidationCache } from '@wirekit/sdk/rest'`)
    for (const name of BUDGET_AND_CACHE) expect(both.code, name).toContain(name)
    console.log(`[acceptance] rest bundle: ${bundle.brotli} B brotli without the budget and cache, ${both.brotli} B with both (+${both.brotli - bundle.brotli})`)
  })
})

describe('@wirekit/sdk (the default bundle)', () => {
  it('holds none of the server (@wirekit/sdk/server is its own Node-only subpath)', async () => {
    const bundle = await bundleSize(`export { createClient } from '@wirekit/sdk'`)
    for (const marker of SERVER_MARKERS) expect(bundle.code, `server code (${marker}) leaked into createClient`).not.toContain(marker)
    expect(bundle.code).not.toContain('WebSocketServer')
  })
})
