import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { MemoryReplayStore, githubWebhooks, shopifyWebhooks, slackWebhooks, stripeWebhooks } from '../../src/webhooks/index.js'
import { BACKENDS, reasonOf } from './support.js'

const SECRET = 'whsec_preset_test_secret_0123456789'
const NOW = 1_750_000_000
const clock = () => NOW * 1000
const hmac = (key: string, content: string, encoding: 'hex' | 'base64') => createHmac('sha256', key).update(content).digest(encoding)

describe.each(BACKENDS)('presets (%s crypto)', (crypto) => {
  describe('Stripe', () => {
    const stripe = () => stripeWebhooks({ secret: SECRET, now: clock, crypto })
    const body = '{"id":"evt_1","type":"invoice.paid","data":{}}'

    it('accepts t=…,v1=… over {t}.{body}; any of several v1 entries may match; v0 is skipped', async () => {
      const good = hmac(SECRET, `${NOW}.${body}`, 'hex')
      const event = await stripe().verify(body, { 'Stripe-Signature': `t=${NOW},v0=${'0'.repeat(64)},v1=${'a'.repeat(64)},v1=${good}` })
      expect(event).toMatchObject({ type: 'invoice.paid', id: 'evt_1', timestamp: NOW })
    })

    it('checks the timestamp both ways, unlike stripe-node', async () => {
      for (const [t, reason] of [[NOW - 301, 'timestamp_too_old'], [NOW + 301, 'timestamp_in_future']] as const) {
        const header = `t=${t},v1=${hmac(SECRET, `${t}.${body}`, 'hex')}`
        expect(await reasonOf(stripe().verify(body, { 'stripe-signature': header }))).toBe(reason)
      }
    })

    it('refuses a header without t, with two t, with no v1, or with uppercase hex', async () => {
      const good = hmac(SECRET, `${NOW}.${body}`, 'hex')
      for (const header of [`v1=${good}`, `t=${NOW},t=${NOW},v1=${good}`, `t=${NOW}`, `t=${NOW},v1=${good.toUpperCase()}`, `t=${NOW},,v1=${good}`]) {
        expect(await reasonOf(stripe().verify(body, { 'stripe-signature': header }))).toBe('malformed_header')
      }
    })

    it('uses the event id for replay, so a re-signed retry of one event is caught', async () => {
      const webhooks = stripeWebhooks({ secret: SECRET, now: clock, crypto, replay: new MemoryReplayStore({ now: clock }) })
      await webhooks.verify(body, await webhooks.sign(body, { timestamp: NOW }))
      expect(await reasonOf(webhooks.verify(body, await webhooks.sign(body, { timestamp: NOW - 5 })))).toBe('replayed')
    })

    it('accepts a raw Buffer body that starts with a byte-order mark (stripe-node strips it and refuses)', async () => {
      const bom = '\ufeff' + body
      const header = `t=${NOW},v1=${hmac(SECRET, `${NOW}.${bom}`, 'hex')}`
      expect((await stripe().verify(Buffer.from(bom), { 'stripe-signature': header })).id).toBe('evt_1')
    })
  })

  describe('GitHub', () => {
    it('types the event from x-github-event and keys replay on x-github-delivery', async () => {
      const webhooks = githubWebhooks<{ push: { ref: string } }>({ secret: SECRET, crypto, replay: new MemoryReplayStore() })
      const body = '{"ref":"refs/heads/main"}'
      const headers = { 'x-hub-signature-256': `sha256=${hmac(SECRET, body, 'hex')}`, 'x-github-event': 'push', 'x-github-delivery': 'd-1' }
      const event = await webhooks.verify(body, headers)
      expect(event).toEqual({ type: 'push', id: 'd-1', timestamp: undefined, payload: { ref: 'refs/heads/main' } })
      expect(await reasonOf(webhooks.verify(body, headers))).toBe('replayed')
      await webhooks.verify(body, { ...headers, 'x-github-delivery': 'd-2' })
    })

    it('refuses the SHA-1 header alone, a wrong prefix, and short hex', async () => {
      const webhooks = githubWebhooks({ secret: SECRET, crypto })
      const good = hmac(SECRET, '{}', 'hex')
      expect(await reasonOf(webhooks.verify('{}', { 'x-hub-signature': `sha1=${'0'.repeat(40)}` }))).toBe('missing_header')
      expect(await reasonOf(webhooks.verify('{}', { 'x-hub-signature-256': `sha1=${good}` }))).toBe('malformed_header')
      expect(await reasonOf(webhooks.verify('{}', { 'x-hub-signature-256': `sha256=${good.slice(0, 63)}` }))).toBe('malformed_header')
    })

    it('signs with the delivery id and event type headers when given, and verifies its own output', async () => {
      const webhooks = githubWebhooks({ secret: SECRET, crypto })
      const headers = await webhooks.sign('{"zen":"x"}', { id: 'd-9', type: 'ping' })
      expect(headers).toEqual({ 'x-hub-signature-256': `sha256=${hmac(SECRET, '{"zen":"x"}', 'hex')}`, 'x-github-delivery': 'd-9', 'x-github-event': 'ping' })
      expect(await webhooks.verify('{"zen":"x"}', headers)).toMatchObject({ type: 'ping', id: 'd-9' })
    })

    it('refuses a secret shorter than 16 bytes', async () => {
      expect(await reasonOf((async () => githubWebhooks({ secret: 'short' }))())).toBe('invalid_secret')
    })
  })

  describe('Slack', () => {
    it('verifies v0 over v0:{ts}:{body}, parses form bodies, and keys replay on event_id', async () => {
      const webhooks = slackWebhooks({ secret: SECRET, now: clock, crypto, replay: new MemoryReplayStore({ now: clock }) })
      const form = 'command=%2Fdeploy&text=prod&__proto__=x'
      const formEvent = await webhooks.verify(form, {
        'x-slack-signature': `v0=${hmac(SECRET, `v0:${NOW}:${form}`, 'hex')}`,
        'x-slack-request-timestamp': String(NOW),
      })
      expect(formEvent.payload).toEqual({ command: '/deploy', text: 'prod' })
      const json = '{"type":"event_callback","event_id":"Ev1"}'
      const sign = (ts: number) => ({ 'x-slack-signature': `v0=${hmac(SECRET, `v0:${ts}:${json}`, 'hex')}`, 'x-slack-request-timestamp': String(ts) })
      expect(await webhooks.verify(json, sign(NOW))).toMatchObject({ type: 'event_callback', id: 'Ev1' })
      expect(await reasonOf(webhooks.verify(json, sign(NOW - 1)))).toBe('replayed')
      expect(await reasonOf(webhooks.verify(json, sign(NOW - 400)))).toBe('timestamp_too_old')
    })

    it('signs what it verifies', async () => {
      const webhooks = slackWebhooks({ secret: SECRET, now: clock, crypto })
      const headers = await webhooks.sign('{"type":"x"}')
      expect(headers['x-slack-signature']).toBe(`v0=${hmac(SECRET, `v0:${NOW}:{"type":"x"}`, 'hex')}`)
      expect((await webhooks.verify('{"type":"x"}', headers)).type).toBe('x')
    })
  })

  describe('Shopify', () => {
    it('verifies the base64 HMAC of the body, types from x-shopify-topic, replays on x-shopify-webhook-id', async () => {
      const webhooks = shopifyWebhooks({ secret: SECRET, crypto, replay: new MemoryReplayStore() })
      const body = '{"id":1}'
      const headers = { 'X-Shopify-Hmac-Sha256': hmac(SECRET, body, 'base64'), 'X-Shopify-Topic': 'orders/create', 'X-Shopify-Webhook-Id': 'w1' }
      expect(await webhooks.verify(body, headers)).toEqual({ type: 'orders/create', id: 'w1', timestamp: undefined, payload: { id: 1 } })
      expect(await reasonOf(webhooks.verify(body, headers))).toBe('replayed')
      expect(await webhooks.sign(body, { id: 'w1', type: 'orders/create' })).toEqual({
        'x-shopify-hmac-sha256': headers['X-Shopify-Hmac-Sha256'],
        'x-shopify-webhook-id': 'w1',
        'x-shopify-topic': 'orders/create',
      })
    })

    it('refuses base64 that is not exactly 32 bytes', async () => {
      const webhooks = shopifyWebhooks({ secret: SECRET, crypto })
      const good = hmac(SECRET, '{}', 'base64')
      for (const header of [good.slice(0, -1), good.slice(0, -4), `${good}AAAA`, good.replace('=', '')]) {
        expect(await reasonOf(webhooks.verify('{}', { 'x-shopify-hmac-sha256': header }))).toBe('malformed_header')
      }
    })
  })
})
