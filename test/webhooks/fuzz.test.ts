/**
 * 100,000 malformed header/payload combinations across every scheme: each must end in a
 * WebhookVerificationError (never another exception), and none may be accepted. Malformed cases start
 * from a valid delivery and mutate it so the real signature token is gone, or are noise outright.
 * The node-crypto run's verifiers share a MemoryReplayStore (leases and claims): no refused delivery may
 * leave an id in it.
 */
import { createHmac } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { WebhookVerificationError } from '../../src/core/errors.js'
import { MemoryReplayStore, githubWebhooks, shopifyWebhooks, slackWebhooks, standardWebhooks, stripeWebhooks } from '../../src/webhooks/index.js'
import type { WebhookVerifier } from '../../src/webhooks/index.js'

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
const NOW = 1_750_000_000
const clock = () => NOW * 1000
const BODY = '{"id":"evt_1","type":"a.b"}'
const mac = (content: string, encoding: 'hex' | 'base64', key: string | Buffer = SECRET) =>
  createHmac('sha256', key).update(content).digest(encoding)

interface Case {
  verifier: WebhookVerifier
  headers: Record<string, string>
  /** The header carrying the signature, and the signature token itself. */
  signatureHeader: string
  token: string
}

function cases(crypto: 'node' | 'web', replay?: MemoryReplayStore): Case[] {
  const standardKey = Buffer.from(SECRET.slice(6), 'base64')
  const v1 = mac(`msg_1.${NOW}.${BODY}`, 'base64', standardKey)
  const stripe = mac(`${NOW}.${BODY}`, 'hex')
  const github = mac(BODY, 'hex')
  const slack = mac(`v0:${NOW}:${BODY}`, 'hex')
  const shopify = mac(BODY, 'base64')
  return [
    {
      verifier: standardWebhooks({ secret: SECRET, now: clock, crypto, replay }),
      headers: { 'webhook-id': 'msg_1', 'webhook-timestamp': String(NOW), 'webhook-signature': `v1,${v1}` },
      signatureHeader: 'webhook-signature',
      token: v1,
    },
    { verifier: stripeWebhooks({ secret: SECRET, now: clock, crypto, replay }), headers: { 'stripe-signature': `t=${NOW},v1=${stripe}` }, signatureHeader: 'stripe-signature', token: stripe },
    { verifier: githubWebhooks({ secret: SECRET, crypto, replay }), headers: { 'x-hub-signature-256': `sha256=${github}` }, signatureHeader: 'x-hub-signature-256', token: github },
    {
      verifier: slackWebhooks({ secret: SECRET, now: clock, crypto, replay }),
      headers: { 'x-slack-signature': `v0=${slack}`, 'x-slack-request-timestamp': String(NOW) },
      signatureHeader: 'x-slack-signature',
      token: slack,
    },
    { verifier: shopifyWebhooks({ secret: SECRET, crypto, replay }), headers: { 'x-shopify-hmac-sha256': shopify }, signatureHeader: 'x-shopify-hmac-sha256', token: shopify },
  ]
}

const noise = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.constantFrom('', ' ', ',', '=', 'v1,', 'v1a,', 't=', 'sha256=', 'v0=', '\u0000', '\ufeff', 'v1, v1,', '====', 'A'.repeat(9000)),
)

/** A mutation of a signature header value; the caller drops results that still contain the real token. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: noise }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), code: fc.integer({ min: 0, max: 0x2fff }) }),
  fc.record({ kind: fc.constant('replace' as const), text: noise }),
  fc.record({ kind: fc.constant('upper' as const) }),
)

function mutate(value: string, m: Record<string, unknown>): string {
  const at = typeof m.at === 'number' ? m.at % (value.length + 1) : 0
  switch (m.kind) {
    case 'truncate':
      return value.slice(0, at)
    case 'insert':
      return value.slice(0, at) + (m.text as string) + value.slice(at)
    case 'flip':
      return value.slice(0, at) + String.fromCharCode(m.code as number) + value.slice(at + 1)
    case 'upper':
      return value.toUpperCase()
    default:
      return m.text as string
  }
}

/** Payloads that are not a raw body, or that differ from the signed one. */
const payloads = fc.oneof(
  fc.constant(BODY),
  fc.string({ maxLength: 60 }),
  fc.uint8Array({ maxLength: 60 }),
  fc.constantFrom<unknown>(null, undefined, 42, true, {}, [], { id: 'evt_1' }, JSON.parse(BODY), new Map(), Symbol('x')),
)

const headerShapes = fc.constantFrom('object', 'Headers', 'mixed-case', 'arrays', 'noise-object', 'not-an-object')

async function outcome(verifier: WebhookVerifier, payload: unknown, headers: unknown): Promise<'refused' | 'accepted'> {
  try {
    await verifier.verify(payload as string, headers as Record<string, string>)
    return 'accepted'
  } catch (error) {
    if (error instanceof WebhookVerificationError && typeof error.reason === 'string' && error.reason.length > 0) return 'refused'
    throw error
  }
}

function shape(headers: Record<string, string>, how: string, extra: Record<string, string>): unknown {
  switch (how) {
    case 'Headers':
      // Headers itself refuses values a server could never hand over (non-Latin-1, CR, LF, NUL); drop those.
      return new Headers(Object.entries(headers).filter(([, v]) => /^[\x01-\x09\x0b\x0c\x0e-\xff]*$/.test(v)))
    case 'mixed-case':
      return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), v]))
    case 'arrays':
      return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v, v]]))
    case 'noise-object':
      return { ...extra, ...headers }
    case 'not-an-object':
      return 'webhook-signature: v1,xyz'
    default:
      return headers
  }
}

describe('fuzz: malformed deliveries', () => {
  it('100,000 combinations on node crypto: only WebhookVerificationError, 0 acceptances, no id left in the replay store', { timeout: 120_000 }, async () => {
    const store = new MemoryReplayStore()
    const all = cases('node', store)
    let refused = 0
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: all.length - 1 }),
        mutation,
        payloads,
        headerShapes,
        fc.dictionary(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 }), { maxKeys: 4 }),
        async (index, m, payload, how, extra) => {
          const { verifier, headers, signatureHeader, token } = all[index]!
          const value = mutate(headers[signatureHeader]!, m)
          fc.pre(!value.includes(token))
          const result = await outcome(verifier, payload, shape({ ...headers, [signatureHeader]: value }, how, extra))
          expect(result).toBe('refused')
          refused++
        },
      ),
      { numRuns: 100_000, seed: 20261124 },
    )
    expect(refused).toBe(100_000)
    expect(store.size).toBe(0)
  })

  it('10,000 combinations on Web Crypto: only WebhookVerificationError, 0 acceptances', { timeout: 120_000 }, async () => {
    const all = cases('web')
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: all.length - 1 }), mutation, payloads, async (index, m, payload) => {
        const { verifier, headers, signatureHeader, token } = all[index]!
        const value = mutate(headers[signatureHeader]!, m)
        fc.pre(!value.includes(token))
        expect(await outcome(verifier, payload, { ...headers, [signatureHeader]: value })).toBe('refused')
      }),
      { numRuns: 10_000 },
    )
  })

  it('the unmutated deliveries used above do verify (and fill the replay store), so the refusals are not vacuous', async () => {
    for (const crypto of ['node', 'web'] as const) {
      const store = new MemoryReplayStore()
      for (const { verifier, headers } of cases(crypto, store)) expect((await verifier.verify(BODY, headers)).payload).toEqual(JSON.parse(BODY))
      expect(store.size).toBeGreaterThan(0)
    }
  })
})
