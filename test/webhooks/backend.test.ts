/**
 * Which crypto a verifier runs on is visible (`verifier.backend`, `webhookCryptoBackend()`), resolved
 * at first use, and the choice per runtime holds: node:crypto wherever it exists (Node, Deno, Bun),
 * Web Crypto elsewhere. Deno and Bun are the real binaries from node_modules, on the built package.
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createClient } from '../../src/index.js'
import { standardWebhooks, standardWebhooksV1Lite, webhookCryptoBackend } from '../../src/webhooks/index.js'
import { VECTOR, atVector, vectorHeaders } from './support.js'

const ROOT = new URL('../..', import.meta.url).pathname
const nodeCrypto = (process as typeof process & { getBuiltinModule: (id: string) => typeof import('node:crypto') }).getBuiltinModule('node:crypto')

describe('the crypto backend is visible', () => {
  afterEach(() => {
    vi.restoreAllMocks()
    vi.unstubAllGlobals()
    vi.resetModules()
  })

  it("webhookCryptoBackend(): 'node' on Node, 'web' when asked for", () => {
    expect(webhookCryptoBackend()).toBe('node')
    expect(webhookCryptoBackend('auto')).toBe('node')
    expect(webhookCryptoBackend('node')).toBe('node')
    expect(webhookCryptoBackend('web')).toBe('web')
  })

  it('verifier.backend follows the crypto option, on both verifiers and on client.webhooks', async () => {
    expect(standardWebhooks({ secret: VECTOR.secret }).backend).toBe('node')
    expect(standardWebhooks({ secret: VECTOR.secret, crypto: 'web' }).backend).toBe('web')
    expect(standardWebhooksV1Lite({ secret: VECTOR.secret }).backend).toBe('node')
    expect(standardWebhooksV1Lite({ secret: VECTOR.secret, crypto: 'web' }).backend).toBe('web')
    const client = createClient({ webhookSecret: VECTOR.secret, webhooks: { crypto: 'web', now: atVector } })
    expect(client.webhooks.backend).toBe('web')
    expect((await client.webhooks.verify(VECTOR.body, vectorHeaders())).id).toBe(VECTOR.id)
  })

  it('client.webhooks.backend answers without building the verifier, so a client with no secret still prints', () => {
    expect(createClient({ baseUrl: 'https://api.example.test' }).webhooks.backend).toBe('node')
    const unset = createClient({ webhooks: { crypto: 'web' } })
    expect(JSON.parse(JSON.stringify(unset.webhooks))).toEqual({ backend: 'web' })
  })

  it('reading backend makes no key, and the backend read is the one verify then uses', async () => {
    const createSecretKey = vi.spyOn(nodeCrypto, 'createSecretKey')
    const importKey = vi.spyOn(globalThis.crypto.subtle, 'importKey')
    const full = standardWebhooks({ secret: VECTOR.secret, now: atVector })
    const lean = standardWebhooksV1Lite({ secret: VECTOR.secret, now: atVector, crypto: 'web' })
    expect([full.backend, lean.backend]).toEqual(['node', 'web'])
    expect(createSecretKey).not.toHaveBeenCalled()
    expect(importKey).not.toHaveBeenCalled()
    await full.verify(VECTOR.body, vectorHeaders())
    await lean.verify(VECTOR.body, vectorHeaders())
    expect(createSecretKey).toHaveBeenCalledTimes(1)
    expect(importKey).toHaveBeenCalledTimes(1)
  })

  it("a runtime without node:crypto (a browser, a Worker) resolves 'auto' to 'web' and refuses 'node'", async () => {
    vi.stubGlobal('process', { ...process, getBuiltinModule: () => undefined })
    vi.resetModules()
    const fresh = await import('../../src/webhooks/index.js')
    expect(fresh.webhookCryptoBackend()).toBe('web')
    const full = fresh.standardWebhooks({ secret: VECTOR.secret, now: atVector })
    const lean = fresh.standardWebhooksV1Lite({ secret: VECTOR.secret, now: atVector })
    expect([full.backend, lean.backend]).toEqual(['web', 'web'])
    expect((await full.verify(VECTOR.body, vectorHeaders())).id).toBe(VECTOR.id)
    expect((await lean.verify(VECTOR.body, vectorHeaders())).id).toBe(VECTOR.id)
    expect(() => fresh.webhookCryptoBackend('node')).toThrow("'node' was asked for")
    expect(() => fresh.standardWebhooksV1Lite({ secret: VECTOR.secret, crypto: 'node' }).backend).toThrow(/^crypto: /)
  })
})

/** Runs in Deno and Bun against dist/: prints the backend 'auto' picks and verifies the known vector on it. */
const PROBE = `
import { standardWebhooks, standardWebhooksV1Lite, webhookCryptoBackend } from './dist/webhooks.js'
const vector = ${JSON.stringify(VECTOR)}
const headers = { 'webhook-id': vector.id, 'webhook-timestamp': String(vector.timestamp), 'webhook-signature': vector.signature }
const now = () => vector.timestamp * 1000
const full = standardWebhooks({ secret: vector.secret, now })
const lean = standardWebhooksV1Lite({ secret: vector.secret, now })
const ids = [(await full.verify(vector.body, headers)).id, full.verifySync(vector.body, headers).id, (await lean.verify(vector.body, headers)).id]
console.log(JSON.stringify({ auto: webhookCryptoBackend(), full: full.backend, lean: lean.backend, ids }))
`

describe.each([
  ['Deno', ['run', '--allow-read', '--allow-env', '-']],
  ['Bun', ['run', '-']],
] as const)('in %s', (runtime, args) => {
  it("picks node:crypto ('node') and verifies with it, verifySync included", () => {
    const binary = `${ROOT}node_modules/.bin/${runtime.toLowerCase()}`
    expect(existsSync(`${ROOT}dist/webhooks.js`), 'build first: npm test runs the build before vitest').toBe(true)
    const out = execFileSync(binary, [...args], { cwd: ROOT, input: PROBE, encoding: 'utf8', timeout: 30_000, env: { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' } })
    expect(JSON.parse(out.trim().split('\n').at(-1)!)).toEqual({ auto: 'node', full: 'node', lean: 'node', ids: [VECTOR.id, VECTOR.id, VECTOR.id] })
  }, 40_000)
})
