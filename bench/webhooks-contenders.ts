/**
 * The webhook verifiers compared by `npm run bench:webhooks` and `npm run bench:webhooks:instructions`,
 * one definition for both: each with the floor it is held to, how to run it once, and a valid and a
 * tampered delivery to check it with. Builds nothing at import.
 */
import { createHmac, createSecretKey, timingSafeEqual } from 'node:crypto'
import { verify as octokitVerify } from '@octokit/webhooks-methods'
import { Webhook as StandardWebhook } from 'standardwebhooks'
import Stripe from 'stripe'
import { Webhook as SvixWebhook } from 'svix'
import { githubWebhooks, standardWebhooks, standardWebhooksV1Lite, stripeWebhooks } from '@wirekit/sdk/webhooks'

export const SECRET = `whsec_${Buffer.alloc(32, 11).toString('base64')}`
const STRIPE_SECRET = 'whsec_bench_stripe_secret_0123456789'
const GITHUB_SECRET = 'bench-github-secret-0123456789'

export const FLOOR = 'floor: createHmac(KeyObject) + timingSafeEqual'
export const FLOOR_PARSE = 'floor + JSON.parse'
export const OURS = 'wirekit verify (node, parses)'
export const OURS_RAW = 'wirekit verifyRaw (node)'

export interface Contender {
  name: string
  /** Which floor to compare with: the bare one for signature-only contenders, the parsing one for those that also parse JSON. */
  floor: 'bare' | 'parse'
  run: () => unknown
  valid: () => Promise<unknown> | unknown
  tampered: () => Promise<unknown> | unknown
}

/** A JSON event of exactly `size` bytes. */
export function body(size: number): string {
  const empty = JSON.stringify({ id: 'evt_bench', type: 'bench.event', data: { filler: '' } })
  return JSON.stringify({ id: 'evt_bench', type: 'bench.event', data: { filler: 'x'.repeat(size - empty.length) } })
}

export async function contenders(size: number): Promise<Contender[]> {
  const payload = body(size)
  const tampered = `${payload} `
  const now = Math.floor(Date.now() / 1000)
  const id = 'msg_bench'

  const ours = standardWebhooks({ secret: SECRET })
  const oursWeb = standardWebhooks({ secret: SECRET, crypto: 'web' })
  const lean = standardWebhooksV1Lite({ secret: SECRET })
  const headers = await ours.sign(payload, { id, timestamp: now })
  const standardLib = new StandardWebhook(SECRET)
  const svix = new SvixWebhook(SECRET)

  const key = createSecretKey(Buffer.from(SECRET.slice(6), 'base64'))
  const prefix = `${id}.${now}.`
  const expected = Buffer.from(headers['webhook-signature']!.slice(3), 'base64')
  const floor = (text: string): boolean => timingSafeEqual(createHmac('sha256', key).update(prefix).update(text).digest(), expected)

  const stripeHeader = Stripe.webhooks.generateTestHeaderString({ payload, secret: STRIPE_SECRET, timestamp: now })
  const subtleProvider = Stripe.createSubtleCryptoProvider()
  const oursStripe = stripeWebhooks({ secret: STRIPE_SECRET })

  // The web build is not reachable through the package's exports under Node (the "node" condition
  // wins), so it is loaded from beside the Node build, the file a browser bundler would pick.
  const octokitWeb = (await import(import.meta.resolve('@octokit/webhooks-methods').replace('/dist-node/', '/dist-web/'))) as typeof import('@octokit/webhooks-methods')
  const githubSignature = `sha256=${createHmac('sha256', GITHUB_SECRET).update(payload).digest('hex')}`
  const oursGithub = githubWebhooks({ secret: GITHUB_SECRET })
  // octokit answers false rather than throwing; a refusal must throw for the check below.
  const octokitChecked = (verify: typeof octokitVerify, text: string) => async () => (await verify(GITHUB_SECRET, text, githubSignature)) || Promise.reject(new Error('refused'))

  return [
    { name: FLOOR, floor: 'bare', run: () => floor(payload), valid: () => floor(payload) || Promise.reject(), tampered: () => floor(tampered) || Promise.reject() },
    {
      name: FLOOR_PARSE,
      floor: 'parse',
      run: () => floor(payload) && JSON.parse(payload),
      valid: () => (floor(payload) ? JSON.parse(payload) : Promise.reject()),
      tampered: () => (floor(tampered) ? JSON.parse(tampered) : Promise.reject()),
    },
    { name: OURS_RAW, floor: 'bare', run: () => ours.verifyRaw(payload, headers), valid: () => ours.verifyRaw(payload, headers), tampered: () => ours.verifyRaw(tampered, headers) },
    { name: OURS, floor: 'parse', run: () => ours.verify(payload, headers), valid: () => ours.verify(payload, headers), tampered: () => ours.verify(tampered, headers) },
    {
      name: 'wirekit verifySync (node, parses)',
      floor: 'parse',
      run: () => ours.verifySync(payload, headers),
      valid: () => ours.verifySync(payload, headers),
      tampered: () => ours.verifySync(tampered, headers),
    },
    { name: 'wirekit standardWebhooksV1Lite verify (node, parses)', floor: 'parse', run: () => lean.verify(payload, headers), valid: () => lean.verify(payload, headers), tampered: () => lean.verify(tampered, headers) },
    { name: 'wirekit verify (Web Crypto)', floor: 'parse', run: () => oursWeb.verify(payload, headers), valid: () => oursWeb.verify(payload, headers), tampered: () => oursWeb.verify(tampered, headers) },
    {
      name: 'standardwebhooks verify (parses)',
      floor: 'parse',
      run: () => standardLib.verify(payload, headers),
      valid: () => standardLib.verify(payload, headers),
      tampered: () => standardLib.verify(tampered, headers),
    },
    { name: 'svix verify', floor: 'bare', run: () => svix.verify(payload, headers), valid: () => svix.verify(payload, headers), tampered: () => svix.verify(tampered, headers) },
    {
      name: 'wirekit stripe preset verify (node, parses)',
      floor: 'parse',
      run: () => oursStripe.verify(payload, { 'stripe-signature': stripeHeader }),
      valid: () => oursStripe.verify(payload, { 'stripe-signature': stripeHeader }),
      tampered: () => oursStripe.verify(tampered, { 'stripe-signature': stripeHeader }),
    },
    {
      name: 'stripe constructEvent (parses)',
      floor: 'parse',
      run: () => Stripe.webhooks.constructEvent(payload, stripeHeader, STRIPE_SECRET),
      valid: () => Stripe.webhooks.constructEvent(payload, stripeHeader, STRIPE_SECRET),
      tampered: () => Stripe.webhooks.constructEvent(tampered, stripeHeader, STRIPE_SECRET),
    },
    {
      name: 'stripe constructEventAsync (SubtleCrypto provider)',
      floor: 'parse',
      run: () => Stripe.webhooks.constructEventAsync(payload, stripeHeader, STRIPE_SECRET, undefined, subtleProvider),
      valid: () => Stripe.webhooks.constructEventAsync(payload, stripeHeader, STRIPE_SECRET, undefined, subtleProvider),
      tampered: () => Stripe.webhooks.constructEventAsync(tampered, stripeHeader, STRIPE_SECRET, undefined, subtleProvider),
    },
    {
      name: 'wirekit github preset verifyRaw (node)',
      floor: 'bare',
      run: () => oursGithub.verifyRaw(payload, { 'x-hub-signature-256': githubSignature }),
      valid: () => oursGithub.verifyRaw(payload, { 'x-hub-signature-256': githubSignature }),
      tampered: () => oursGithub.verifyRaw(tampered, { 'x-hub-signature-256': githubSignature }),
    },
    {
      name: '@octokit/webhooks-methods verify',
      floor: 'bare',
      run: () => octokitVerify(GITHUB_SECRET, payload, githubSignature),
      valid: octokitChecked(octokitVerify, payload),
      tampered: octokitChecked(octokitVerify, tampered),
    },
    {
      name: '@octokit/webhooks-methods verify (web build)',
      floor: 'bare',
      run: () => octokitWeb.verify(GITHUB_SECRET, payload, githubSignature),
      valid: octokitChecked(octokitWeb.verify, payload),
      tampered: octokitChecked(octokitWeb.verify, tampered),
    },
  ]
}

/** Throws unless the contender accepts the valid delivery and refuses the tampered one. */
export async function check(contender: Contender): Promise<void> {
  try {
    await contender.valid()
  } catch (error) {
    throw new Error(`${contender.name} refused a valid delivery`, { cause: error })
  }
  let refused = false
  try {
    await contender.tampered()
  } catch {
    refused = true
  }
  if (!refused) throw new Error(`${contender.name} accepted a tampered delivery`)
}
