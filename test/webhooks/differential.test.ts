/**
 * Differential tests: each provider's own library against ours, both directions, 10,000 random
 * payloads each way, plus a tampered copy that both must refuse. The peer libraries all hash a string
 * (they decode a Buffer first), so they get text payloads — unicode, lone surrogates, CRLF, BOM, empty,
 * JSON; arbitrary non-UTF-8 bytes are checked against node:crypto itself, the independent oracle.
 */
import { createHmac } from 'node:crypto'
import { sign as octokitSign, verify as octokitVerify } from '@octokit/webhooks-methods'
import fc from 'fast-check'
import { Webhook as StandardWebhook } from 'standardwebhooks'
import Stripe from 'stripe'
import { Webhook as SvixWebhook } from 'svix'
import { describe, expect, it } from 'vitest'
import { githubWebhooks, shopifyWebhooks, slackWebhooks, standardWebhooks, stripeWebhooks } from '../../src/webhooks/index.js'
import { BACKENDS, reasonOf } from './support.js'

const RUNS = 10_000
const TIMEOUT = 120_000

const utf16 = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)), maxLength: 64 })
const payloads: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  utf16,
  fc.string({ maxLength: 80 }).map((s) => `${s}\r\n${s}\r\n`),
  fc.string({ maxLength: 80 }).map((s) => `\ufeff${s}`),
  fc.constant(''),
  fc.json(),
)
/** stripe-node and octokit throw on an empty body before looking at the signature, so they get non-empty ones. */
const nonEmptyPayloads = payloads.filter((payload) => payload !== '')
const bytes = fc.uint8Array({ maxLength: 512 })

const STANDARD_SECRET = `whsec_${Buffer.alloc(32, 42).toString('base64')}`
const PRESET_SECRET = 'whsec_differential_secret_0123456789abcdef'
const nowSeconds = () => Math.floor(Date.now() / 1000)

/** A refusal from a peer library: any thrown error (they have no reason codes). */
function peerRefuses(check: () => unknown): boolean {
  try {
    check()
    return false
  } catch {
    return true
  }
}

describe.each(BACKENDS)('differential (%s crypto)', (crypto) => {
  const ours = standardWebhooks({ secret: STANDARD_SECRET, crypto })
  const theirs = new StandardWebhook(STANDARD_SECRET)
  const svix = new SvixWebhook(STANDARD_SECRET)

  it('standardwebhooks signs → we accept; tampered → both refuse', { timeout: TIMEOUT }, async () => {
    await fc.assert(
      fc.asyncProperty(payloads, fc.boolean(), async (payload, asBuffer) => {
        const id = 'msg_diff'
        const timestamp = nowSeconds()
        const signature = theirs.sign(id, new Date(timestamp * 1000), payload)
        const headers = { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signature }
        const body = asBuffer ? Buffer.from(payload) : payload
        expect((await ours.verifyRaw(body, headers)).id).toBe(id)
        const tampered = `${payload}x`
        expect(await reasonOf(ours.verifyRaw(tampered, headers))).toBe('no_matching_signature')
        expect(peerRefuses(() => theirs.verify(tampered, headers, { jsonParse: false }))).toBe(true)
      }),
      { numRuns: RUNS },
    )
  })

  it('we sign → standardwebhooks and svix accept; tampered → they refuse', { timeout: TIMEOUT }, async () => {
    await fc.assert(
      fc.asyncProperty(payloads, async (payload) => {
        const headers = await ours.sign(payload, { id: 'msg_ours' })
        theirs.verify(payload, headers, { jsonParse: false })
        svix.verify(payload, headers)
        expect(peerRefuses(() => theirs.verify(`${payload} `, headers, { jsonParse: false }))).toBe(true)
        expect(peerRefuses(() => svix.verify(`${payload} `, headers))).toBe(true)
      }),
      { numRuns: RUNS },
    )
  })

  it('svix signs (svix- headers) → we accept; tampered → both refuse', { timeout: TIMEOUT }, async () => {
    await fc.assert(
      fc.asyncProperty(payloads, async (payload) => {
        const timestamp = nowSeconds()
        const headers = { 'svix-id': 'msg_svix', 'svix-timestamp': String(timestamp), 'svix-signature': svix.sign('msg_svix', new Date(timestamp * 1000), payload) }
        await ours.verifyRaw(payload, headers)
        const tampered = { ...headers, 'svix-id': 'msg_other' }
        expect(await reasonOf(ours.verifyRaw(payload, tampered))).toBe('no_matching_signature')
        expect(peerRefuses(() => svix.verify(payload, tampered))).toBe(true)
      }),
      { numRuns: RUNS },
    )
  })

  it('Stripe: generateTestHeaderString → we accept; we sign → verifyHeader accepts; tampered → both refuse', { timeout: TIMEOUT }, async () => {
    const webhooks = stripeWebhooks({ secret: PRESET_SECRET, crypto })
    await fc.assert(
      fc.asyncProperty(nonEmptyPayloads, async (payload) => {
        const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: PRESET_SECRET })
        await webhooks.verifyRaw(payload, { 'stripe-signature': header })
        const ourHeader = (await webhooks.sign(payload))['stripe-signature']!
        Stripe.webhooks.signature!.verifyHeader(payload, ourHeader, PRESET_SECRET, 300)
        const tampered = `${payload}x`
        expect(await reasonOf(webhooks.verifyRaw(tampered, { 'stripe-signature': header }))).toBe('no_matching_signature')
        expect(peerRefuses(() => Stripe.webhooks.signature!.verifyHeader(tampered, ourHeader, PRESET_SECRET, 300))).toBe(true)
      }),
      { numRuns: RUNS },
    )
  })

  it('Stripe: constructEvent accepts our signature on JSON events and returns the same event', { timeout: TIMEOUT }, async () => {
    const webhooks = stripeWebhooks({ secret: PRESET_SECRET, crypto })
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.string({ unit: 'grapheme', maxLength: 8 }), fc.jsonValue({ maxDepth: 2 })), async (fields) => {
        const payload = JSON.stringify({ ...fields, id: 'evt_1', type: 'x.y' })
        const header = (await webhooks.sign(payload))['stripe-signature']!
        const event = Stripe.webhooks.constructEvent(payload, header, PRESET_SECRET)
        // We drop __proto__ and constructor.prototype keys on purpose; stripe-node keeps them.
        const sanitised = JSON.parse(JSON.stringify(event), (key, value: unknown) =>
          key === '__proto__' || (key === 'constructor' && typeof value === 'object' && value !== null && Object.hasOwn(value, 'prototype')) ? undefined : value,
        )
        expect((await webhooks.verify(payload, { 'stripe-signature': header })).payload).toEqual(sanitised)
      }),
      { numRuns: 1_000 },
    )
  })

  it('regression (fast-check seed 60458728): a nested "__proto__" key is dropped by us, kept by stripe-node', async () => {
    const webhooks = stripeWebhooks({ secret: PRESET_SECRET, crypto })
    const payload = '{"":{"__proto__":""},"id":"evt_1","type":"x.y"}'
    const header = (await webhooks.sign(payload))['stripe-signature']!
    const theirs = Stripe.webhooks.constructEvent(payload, header, PRESET_SECRET) as unknown as Record<string, object>
    expect(Object.hasOwn(theirs['']!, '__proto__')).toBe(true)
    const ours = (await webhooks.verify(payload, { 'stripe-signature': header })).payload as Record<string, object>
    expect(ours).toEqual({ '': {}, id: 'evt_1', type: 'x.y' })
    expect(Object.hasOwn(ours['']!, '__proto__')).toBe(false)
  })

  it('GitHub: @octokit/webhooks-methods signs → we accept; we sign → octokit accepts; tampered → both refuse', { timeout: TIMEOUT }, async () => {
    const webhooks = githubWebhooks({ secret: PRESET_SECRET, crypto })
    await fc.assert(
      fc.asyncProperty(nonEmptyPayloads, async (payload) => {
        const signature = await octokitSign(PRESET_SECRET, payload)
        await webhooks.verifyRaw(payload, { 'x-hub-signature-256': signature })
        const ourSignature = (await webhooks.sign(payload))['x-hub-signature-256']!
        expect(await octokitVerify(PRESET_SECRET, payload, ourSignature)).toBe(true)
        expect(await reasonOf(webhooks.verifyRaw(`${payload}x`, { 'x-hub-signature-256': signature }))).toBe('no_matching_signature')
        expect(await octokitVerify(PRESET_SECRET, `${payload}x`, ourSignature)).toBe(false)
      }),
      { numRuns: RUNS },
    )
  })

  it('arbitrary bytes: every scheme signs exactly what node:crypto computes, and verifies it', { timeout: TIMEOUT }, async () => {
    const now = 1_750_000_000
    const clock = () => now * 1000
    const standard = standardWebhooks({ secret: STANDARD_SECRET, crypto, now: clock })
    const github = githubWebhooks({ secret: PRESET_SECRET, crypto })
    const slack = slackWebhooks({ secret: PRESET_SECRET, crypto, now: clock })
    const shopify = shopifyWebhooks({ secret: PRESET_SECRET, crypto })
    const stripe = stripeWebhooks({ secret: PRESET_SECRET, crypto, now: clock })
    const standardKey = Buffer.alloc(32, 42)
    const mac = (key: string | Buffer, prefix: string, body: Uint8Array, encoding: 'hex' | 'base64') =>
      createHmac('sha256', key).update(prefix).update(body).digest(encoding)
    await fc.assert(
      fc.asyncProperty(bytes, async (body) => {
        const expected = {
          standard: `v1,${mac(standardKey, `m.${now}.`, body, 'base64')}`,
          github: `sha256=${mac(PRESET_SECRET, '', body, 'hex')}`,
          slack: `v0=${mac(PRESET_SECRET, `v0:${now}:`, body, 'hex')}`,
          shopify: mac(PRESET_SECRET, '', body, 'base64'),
          stripe: `t=${now},v1=${mac(PRESET_SECRET, `${now}.`, body, 'hex')}`,
        }
        expect((await standard.sign(body, { id: 'm' }))['webhook-signature']).toBe(expected.standard)
        expect((await github.sign(body))['x-hub-signature-256']).toBe(expected.github)
        expect((await slack.sign(body))['x-slack-signature']).toBe(expected.slack)
        expect((await shopify.sign(body))['x-shopify-hmac-sha256']).toBe(expected.shopify)
        expect((await stripe.sign(body))['stripe-signature']).toBe(expected.stripe)
        await standard.verifyRaw(body, { 'webhook-id': 'm', 'webhook-timestamp': String(now), 'webhook-signature': expected.standard })
        await github.verifyRaw(body, { 'x-hub-signature-256': expected.github })
        await slack.verifyRaw(body, { 'x-slack-signature': expected.slack, 'x-slack-request-timestamp': String(now) })
        await shopify.verifyRaw(body, { 'x-shopify-hmac-sha256': expected.shopify })
        await stripe.verifyRaw(body, { 'stripe-signature': expected.stripe })
        const tampered = new Uint8Array([...body, 0])
        expect(await reasonOf(shopify.verifyRaw(tampered, { 'x-shopify-hmac-sha256': expected.shopify }))).toBe('no_matching_signature')
      }),
      { numRuns: RUNS },
    )
  })
})
