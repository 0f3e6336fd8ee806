// The intake helper in one process: each HTTP answer of issue 14 item 3, every scheme's delivery key
// (and the signature fallback), leases that expire, fail-closed stores, ordering, and both adapters
// (a Fetch Request, and a real node:http server on 127.0.0.1).
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { ConfigError, WebhookVerificationError } from '../../src/core/errors.js'
import {
  type WebhookVerifier,
  githubWebhooks,
  shopifyWebhooks,
  slackWebhooks,
  standardWebhooks,
  stripeWebhooks,
} from '../../src/webhooks/index.js'
import { type DeliveryStore, MemoryReplayStore, webhookIntake } from '../../src/webhooks/intake/index.js'

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
const NOW = 1_750_000_000_000
const now = () => NOW

/** One signed delivery per scheme, and the key the intake must lease it under. */
const SCHEMES: { name: string; verifier: () => WebhookVerifier; body: string; sign: { id?: string; type?: string }; key: string }[] = [
  { name: 'Standard Webhooks', verifier: () => standardWebhooks({ secret: SECRET, now }), body: '{"type":"a.b"}', sign: { id: 'msg_1' }, key: 'msg_1' },
  { name: 'Stripe', verifier: () => stripeWebhooks({ secret: SECRET, now }), body: '{"id":"evt_1","type":"invoice.paid"}', sign: {}, key: 'evt_1' },
  { name: 'GitHub', verifier: () => githubWebhooks({ secret: SECRET, now }), body: '{"action":"opened"}', sign: { id: 'd7c1', type: 'issues' }, key: 'd7c1' },
  { name: 'Slack', verifier: () => slackWebhooks({ secret: SECRET, now }), body: '{"type":"event_callback","event_id":"Ev1"}', sign: {}, key: 'Ev1' },
  { name: 'Shopify', verifier: () => shopifyWebhooks({ secret: SECRET, now }), body: '{"id":1}', sign: { id: 'shp_1', type: 'orders/create' }, key: 'shp_1' },
]

describe.each(SCHEMES)('webhookIntake with $name', ({ verifier, body, sign, key }) => {
  it('handles a delivery once and answers its duplicate 200 without handling it', async () => {
    const webhooks = verifier()
    const seen: unknown[] = []
    const intake = webhookIntake(webhooks, { store: new MemoryReplayStore({ now }), handler: (event) => void seen.push(event) })
    const headers = await webhooks.sign(body, sign)
    const first = await intake.handle(body, headers)
    const again = await intake.handle(body, headers)
    expect([first.outcome, first.status, first.key]).toEqual(['handled', 200, key])
    expect([again.outcome, again.status]).toEqual(['duplicate', 200])
    expect(seen).toHaveLength(1)
  })

  it('refuses a bad signature with 400 and runs nothing', async () => {
    const webhooks = verifier()
    let calls = 0
    const intake = webhookIntake(webhooks, { store: new MemoryReplayStore({ now }), handler: () => void calls++ })
    const headers = await webhooks.sign(body, sign)
    const result = await intake.handle(`${body} `, headers)
    expect([result.outcome, result.status, calls]).toEqual(['refused', 400, 0])
    expect(result.error).toBeInstanceOf(WebhookVerificationError)
  })
})

describe('webhookIntake', () => {
  const webhooks = standardWebhooks({ secret: SECRET, now })
  const delivery = async (id: string, payload: object = { type: 't' }) => {
    const body = JSON.stringify(payload)
    return { body, headers: await webhooks.sign(body, { id }) }
  }

  it('keys a delivery without an id by its signature header (Slack slash commands, interactivity)', async () => {
    const slack = slackWebhooks({ secret: SECRET, now })
    const intake = webhookIntake(slack, { store: new MemoryReplayStore({ now }), handler: () => undefined })
    const body = '{"type":"block_actions"}'
    const headers = await slack.sign(body)
    const result = await intake.handle(body, headers)
    expect(result.key).toBe(`sig:${headers['x-slack-signature']}`)
    expect((await intake.handle(body, headers)).outcome).toBe('duplicate')
  })

  it('answers 409 with Retry-After while another attempt holds the lease', async () => {
    let finish!: () => void
    const intake = webhookIntake(webhooks, { store: new MemoryReplayStore({ now }), handler: () => new Promise<void>((resolve) => (finish = resolve)), retryAfter: 7 })
    const { body, headers } = await delivery('msg_busy')
    const running = intake.handle(body, headers)
    await new Promise((resolve) => setTimeout(resolve, 0))
    const response = await intake.fetch(new Request('http://127.0.0.1/hook', { method: 'POST', body, headers }))
    expect(response.status).toBe(409)
    expect(response.headers.get('retry-after')).toBe('7')
    expect(await response.json()).toEqual({ outcome: 'in_progress' })
    finish()
    expect((await running).outcome).toBe('handled')
  })

  it('releases the lease when the handler throws (500, its error untouched), so the retry is handled', async () => {
    const boom = new Error('database down')
    let calls = 0
    const intake = webhookIntake(webhooks, {
      store: new MemoryReplayStore({ now }),
      handler: () => {
        if (++calls === 1) throw boom
      },
    })
    const { body, headers } = await delivery('msg_retry')
    const failed = await intake.handle(body, headers)
    expect([failed.outcome, failed.status, failed.error]).toEqual(['failed', 500, boom])
    expect((await intake.handle(body, headers)).outcome).toBe('handled')
    expect((await intake.handle(body, headers)).outcome).toBe('duplicate')
    expect(calls).toBe(2)
  })

  it('lets the retry through once the lease of a process that died expires', async () => {
    let clock = NOW
    const store = new MemoryReplayStore({ now: () => clock })
    let calls = 0
    const intake = webhookIntake(webhooks, { store, handler: () => void calls++, lease: 30 })
    // A process that took the lease and died: its begin, never its complete.
    expect(store.begin('msg_dead', { token: 'dead', leaseMs: 30_000 })).toBe('new')
    const { body, headers } = await delivery('msg_dead')
    expect((await intake.handle(body, headers)).outcome).toBe('in_progress')
    clock += 30_000
    expect((await intake.handle(body, headers)).outcome).toBe('handled')
    expect(calls).toBe(1)
    // The dead attempt's late release does not drop the live state.
    store.release('msg_dead', 'dead')
    expect((await intake.handle(body, headers)).outcome).toBe('duplicate')
  })

  it('fails closed with 503 when the store is unreachable, and runs the handler only with failOpen', async () => {
    const down: DeliveryStore = {
      begin: () => Promise.reject(new WebhookVerificationError('store_unavailable', 'down')),
      complete: () => undefined,
      release: () => undefined,
    }
    let calls = 0
    const closed = webhookIntake(webhooks, { store: down, handler: () => void calls++ })
    const { body, headers } = await delivery('msg_down')
    const response = await closed.fetch(new Request('http://127.0.0.1/hook', { method: 'POST', body, headers }))
    expect([response.status, response.headers.get('retry-after'), calls]).toEqual([503, '5', 0])
    const open = webhookIntake(webhooks, { store: down, handler: () => void calls++, failOpen: true })
    expect(await open.handle(body, headers)).toMatchObject({ outcome: 'handled', recorded: false })
    expect(calls).toBe(1)
  })

  it('answers 200 (handled, not recorded) when complete fails after the handler ran', async () => {
    const store = new MemoryReplayStore({ now })
    const flaky: DeliveryStore = { begin: (id, r) => store.begin(id, r), complete: () => Promise.reject(new Error('gone')), release: (id, t) => store.release(id, t) }
    const intake = webhookIntake(webhooks, { store: flaky, handler: () => undefined })
    const { body, headers } = await delivery('msg_flaky')
    expect(await intake.handle(body, headers)).toMatchObject({ outcome: 'handled', status: 200, recorded: false })
  })

  it('ordering: never hands an older version of a resource after a newer one; every update is acknowledged', async () => {
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray([...Array(40).keys()], { minLength: 40, maxLength: 40 }), async (order) => {
        const last = new Map<string, number>()
        let regressions = 0
        const intake = webhookIntake(webhooks, {
          store: new MemoryReplayStore({ now }),
          handler: (event) => {
            const { resource, version } = event.payload as { resource: string; version: number }
            if ((last.get(resource) ?? -1) >= version) regressions++
            last.set(resource, version)
          },
          ordering: { key: (event) => (event.payload as { resource: string }).resource, version: (event) => (event.payload as { version: number }).version },
        })
        for (const n of order) {
          const { body, headers } = await delivery(`msg_${n}`, { type: 'sub.updated', resource: `r${n % 4}`, version: n })
          const result = await intake.handle(body, headers)
          expect(result.status).toBe(200)
          expect(['handled', 'stale']).toContain(result.outcome)
        }
        expect(regressions).toBe(0)
        // The newest version of each resource always reaches the handler.
        for (let r = 0; r < 4; r++) expect(last.get(`r${r}`)).toBe(36 + r)
      }),
      { numRuns: 30 },
    )
  })

  it('checks its options with the kit: ordering needs both key and version; unknown keys are refused', () => {
    const store = new MemoryReplayStore()
    expect(() => webhookIntake(webhooks, { store, handler: () => undefined, ordering: { key: () => 'r' } as never })).toThrow(ConfigError)
    expect(() => webhookIntake(webhooks, { store, handler: () => undefined, leese: 5 } as never)).toThrow(/leese.*lease/)
    expect(() => webhookIntake(webhooks, { store: {} as never, handler: () => undefined })).toThrow(ConfigError)
  })
})

describe('webhookIntake.node on a real node:http server', () => {
  let close: (() => Promise<void>) | undefined
  afterEach(async () => {
    await close?.()
    close = undefined
  })

  it('answers 200, 200 (duplicate) and 400 over loopback', async () => {
    const webhooks = standardWebhooks({ secret: SECRET, now })
    let calls = 0
    const intake = webhookIntake(webhooks, { store: new MemoryReplayStore({ now }), handler: () => void calls++ })
    const server = createServer((req, res) => void intake.node(req, res))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    close = () => new Promise((resolve) => server.close(() => resolve()))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
    const body = '{"type":"a"}'
    const headers = await webhooks.sign(body, { id: 'msg_node' })
    const statuses = []
    for (const sent of [headers, headers, { ...headers, 'webhook-id': 'msg_other' }]) {
      const response = await fetch(url, { method: 'POST', body, headers: sent })
      statuses.push([response.status, (await response.json()).outcome])
    }
    expect(statuses).toEqual([
      [200, 'handled'],
      [200, 'duplicate'],
      [400, 'refused'],
    ])
    expect(calls).toBe(1)
  })
})
