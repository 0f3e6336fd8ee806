/** Each example receiver gets a signed delivery, a replay of it, and a forgery. */
import { createHmac } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import Stripe from 'stripe'
import { afterEach, describe, expect, it } from 'vitest'
import worker, { type Env } from '../../examples/webhooks/cloudflare-worker.js'
import { edgeHandler, shippedOrders } from '../../examples/webhooks/edge-lean.js'
import { processed, webhookRoute } from '../../examples/webhooks/express.js'
import { githubHandler, pushedRefs } from '../../examples/webhooks/hono.js'
import { POST, paidInvoices } from '../../examples/webhooks/nextjs-route.js'
import { createWebhookServer } from '../../examples/webhooks/node-http.js'
import { standardWebhooks } from '@wirekit/sdk/webhooks'

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
const sender = standardWebhooks({ secret: SECRET })

describe('examples/webhooks', () => {
  let close: (() => Promise<void>) | undefined
  afterEach(async () => {
    await close?.()
    close = undefined
  })

  it('edge-lean: 204 once (naming the crypto used), 200 on the replay, 400 on a forgery', async () => {
    const handle = edgeHandler(SECRET)
    const body = '{"type":"order.shipped","data":{"orderId":"o1"}}'
    const headers = await sender.sign(body, { id: 'msg_edge_1' })
    const post = (h: Record<string, string>, b = body) => handle(new Request('https://edge.example.test/webhooks', { method: 'POST', headers: h, body: b }))
    const first = await post(headers)
    expect(first.status).toBe(204)
    expect(first.headers.get('x-webhook-crypto')).toBe('node')
    expect((await post(headers)).status).toBe(200)
    expect(shippedOrders).toEqual(['o1'])
    const forged = await post(headers, body.replace('o1', 'o2'))
    expect([forged.status, await forged.text()]).toEqual([400, 'no_matching_signature'])
  })

  it('node-http: 204 once, 200 on the replay (handler not rerun), 400 on a forgery, 500 + retry allowed when the handler fails', async () => {
    const seen: string[] = []
    let fail = false
    const server = createWebhookServer(SECRET, async (event) => {
      if (fail) throw new Error('database down')
      seen.push(event.id!)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    close = () => new Promise((resolve) => server.close(() => resolve()))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`
    const body = '{"type":"note.created","data":{"id":"n1","text":"hi"}}'
    const headers = await sender.sign(body, { id: 'msg_http_1' })
    const send = (h: Record<string, string>, b = body) => fetch(url, { method: 'POST', headers: h, body: b })
    expect((await send(headers)).status).toBe(204)
    expect((await send(headers)).status).toBe(200)
    expect(seen).toEqual(['msg_http_1'])
    expect((await send(headers, `${body} `)).status).toBe(400)
    fail = true
    const second = await sender.sign(body, { id: 'msg_http_2' })
    expect((await send(second)).status).toBe(500)
    fail = false
    expect((await send(second)).status).toBe(204)
    expect(seen).toEqual(['msg_http_1', 'msg_http_2'])
  })

  it('express: takes the Buffer express.raw() leaves; a parsed body is refused with the fix', async () => {
    const body = '{"type":"note.deleted","data":{"id":"n2"}}'
    const headers = await sender.sign(body, { id: 'msg_express' })
    const answers: Array<[number, string | undefined]> = []
    const res = { status: (code: number) => ({ send: (text?: string) => answers.push([code, text]) }) }
    await webhookRoute({ body: Buffer.from(body), headers }, res)
    await webhookRoute({ body: Buffer.from(body), headers }, res)
    await webhookRoute({ body: JSON.parse(body), headers: await sender.sign(body, { id: 'msg_parsed' }) }, res)
    expect(answers).toEqual([[204, undefined], [200, 'replayed'], [400, 'payload_not_raw']])
    expect(processed).toEqual([{ type: 'note.deleted', id: 'msg_express' }])
  })

  it('nextjs-route: POST(Request) verifies, dedupes, and refuses a forgery', async () => {
    const body = '{"type":"invoice.paid","data":{"invoiceId":"in_1","amount":10}}'
    const headers = await sender.sign(body, { id: 'msg_next' })
    const request = () => new Request('https://app.example/api/webhooks', { method: 'POST', headers, body })
    expect((await POST(request())).status).toBe(204)
    expect((await POST(request())).status).toBe(200)
    expect((await POST(new Request('https://app.example/api/webhooks', { method: 'POST', headers, body: body.replace('10', '99') }))).status).toBe(400)
    expect(paidInvoices).toEqual(['in_1'])
  })

  it('hono: verifies c.req.raw with the GitHub preset and dedupes on X-GitHub-Delivery', async () => {
    const body = '{"ref":"refs/heads/main","after":"abc"}'
    const signature = `sha256=${createHmac('sha256', 'example-github-secret-0123456789').update(body).digest('hex')}`
    const headers = { 'x-hub-signature-256': signature, 'x-github-event': 'push', 'x-github-delivery': 'delivery-1' }
    const context = (h: Record<string, string>) => ({
      req: { raw: new Request('https://app.example/webhooks/github', { method: 'POST', headers: h, body }) },
      body: (data: string | null, status = 200) => new Response(data, { status }),
    })
    expect((await githubHandler(context(headers))).status).toBe(204)
    expect((await githubHandler(context(headers))).status).toBe(200)
    expect((await githubHandler(context({ ...headers, 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` }))).status).toBe(401)
    expect(pushedRefs).toEqual(['refs/heads/main'])
  })

  it('cloudflare-worker: verifies a Stripe event, keeps ids in KV with a TTL, refuses forgeries', async () => {
    const kv = new Map<string, { value: string; ttl: number | undefined }>()
    const env: Env = {
      STRIPE_WEBHOOK_SECRET: 'whsec_worker_example_secret_0123456789',
      WEBHOOK_IDS: {
        get: async (key) => kv.get(key)?.value ?? null,
        put: async (key, value, options) => void kv.set(key, { value, ttl: options?.expirationTtl }),
        delete: async (key) => void kv.delete(key),
      },
    }
    const payload = '{"id":"evt_worker","type":"checkout.session.completed"}'
    const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: env.STRIPE_WEBHOOK_SECRET })
    const request = (h: string) => new Request('https://worker.example/', { method: 'POST', headers: { 'stripe-signature': h }, body: payload })
    const first = await worker.fetch(request(header), env)
    expect(first.status).toBe(200)
    expect(await first.json()).toEqual({ received: 'checkout.session.completed', id: 'evt_worker' })
    const replay = await worker.fetch(request(header), env)
    expect([replay.status, await replay.text()]).toEqual([200, 'replayed'])
    expect(kv.get('webhook:evt_worker')).toEqual({ value: '1', ttl: 600 })
    expect((await worker.fetch(request(header.replace(/v1=[0-9a-f]{64}/, `v1=${'0'.repeat(64)}`)), env)).status).toBe(400)
  })
})
