/** No secret in any error's message, stack, JSON or inspect output, nor in the verifier's own. */
import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { createClient } from '../../src/index.js'
import { githubWebhooks, standardWebhooks, stripeWebhooks } from '../../src/webhooks/index.js'
import { ed25519Keys } from './support.js'

const CANARY_BYTES = Buffer.from('CANARY-0123456789-abcdefghij-SECRET')
const CANARY = `whsec_${CANARY_BYTES.toString('base64')}`
const CANARY_PRESET = 'whsec_CANARY_preset_secret_zyxwvu'
const SHORT = `whsec_${Buffer.from('CANARY-short').toString('base64')}`

function leaks(value: unknown, secrets: string[]): string[] {
  const views = [String(value), JSON.stringify(value), inspect(value, { depth: 5, showHidden: true })]
  if (value instanceof Error) views.push(value.message, value.stack ?? '')
  return secrets.filter((secret) => views.some((view) => view.includes(secret)))
}

describe('secrets never leak', () => {
  it('through any refusal, the verifier, or the client', async () => {
    const keys = ed25519Keys()
    const secrets = [CANARY, CANARY.slice(6), 'CANARY-0123456789', CANARY_PRESET, SHORT, SHORT.slice(6), keys.whsk, keys.whsk.slice(5)]
    const errors: unknown[] = []
    const collect = async (promise: Promise<unknown>) => errors.push(await promise.catch((e: unknown) => e))
    const standard = standardWebhooks({ secret: [CANARY, keys.whsk] })
    const stripe = stripeWebhooks({ secret: CANARY_PRESET })
    await collect(standard.verify('{}', { 'webhook-id': 'm', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': `v1,${'A'.repeat(43)}=` }))
    await collect(standard.verify('{}', { 'webhook-id': 'm', 'webhook-timestamp': '1', 'webhook-signature': 'v1,x' }))
    await collect(standard.verify({} as never, {}))
    await collect(stripe.verify('{}', { 'stripe-signature': `t=1,v1=${'0'.repeat(64)}` }))
    await collect((async () => standardWebhooks({ secret: SHORT }))())
    await collect((async () => githubWebhooks({ secret: 'CANARY' }))())
    await collect((async () => standardWebhooks({ secret: `${CANARY}!` }))())
    await collect(createClient().webhooks.verify('{}', {}))
    expect(errors).toHaveLength(8)
    for (const error of errors) {
      expect(error).toBeInstanceOf(Error)
      expect(leaks(error, secrets)).toEqual([])
    }
    const client = createClient({ webhookSecret: [CANARY, keys.whsk] })
    for (const value of [standard, stripe, client, client.webhooks, client.config]) expect(leaks(value, secrets)).toEqual([])
  })
})
