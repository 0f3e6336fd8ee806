import { type Server, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { standardWebhooks } from '@wirekit/sdk/webhooks'
import { createWebhookSender } from '../../examples/platform/webhook-sender.js'
import { until } from './support.js'

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'

describe('the example platform webhook sender', () => {
  let server: Server | undefined
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())))

  async function receiver(answer: (attempt: number) => number) {
    const seen: { id: string; signature: string; body: string; verified: boolean }[] = []
    const verifier = standardWebhooks({ secret: SECRET })
    server = createServer(async (req, res) => {
      let body = ''
      for await (const chunk of req) body += chunk
      const verified = await verifier.verify(body, req.headers).then(() => true, () => false)
      seen.push({ id: String(req.headers['webhook-id']), signature: String(req.headers['webhook-signature']), body, verified })
      res.writeHead(answer(seen.length)).end()
    })
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, seen }
  }

  it('signs each delivery so a Standard Webhooks verifier accepts it', async () => {
    const { url, seen } = await receiver(() => 204)
    const sender = createWebhookSender({ secret: SECRET })
    sender.register(url)
    await sender.send('note.created', { id: 'note_1' })
    await sender.settle()
    expect(seen).toHaveLength(1)
    expect(seen[0]!.verified).toBe(true)
    expect(JSON.parse(seen[0]!.body)).toMatchObject({ type: 'note.created', data: { id: 'note_1' } })
    expect(sender.deliveries[0]).toMatchObject({ status: 'delivered', attempts: 1 })
  })

  it('retries a failing receiver with the same id and signature until it answers 2xx', async () => {
    const { url, seen } = await receiver((attempt) => (attempt < 3 ? 503 : 200))
    const sender = createWebhookSender({ secret: SECRET, retryBase: 1 })
    sender.register(url)
    await sender.send('note.updated', { id: 'note_2' })
    await sender.settle()
    expect(seen.map((delivery) => delivery.id)).toEqual([seen[0]!.id, seen[0]!.id, seen[0]!.id])
    expect(new Set(seen.map((delivery) => delivery.signature)).size).toBe(1)
    expect(sender.deliveries[0]).toMatchObject({ status: 'delivered', attempts: 3, lastStatus: 200 })
  })

  it('gives up after maxAttempts and marks the delivery failed', async () => {
    const { url } = await receiver(() => 500)
    const sender = createWebhookSender({ secret: SECRET, retryBase: 1, maxAttempts: 2 })
    sender.register(url)
    await sender.send('note.deleted', { id: 'note_3' })
    await sender.settle()
    expect(sender.deliveries[0]).toMatchObject({ status: 'failed', attempts: 2, lastStatus: 500 })
  })

  it('close() stops pending retries, marks them failed and lets settle() return', async () => {
    const { url, seen } = await receiver(() => 503)
    const sender = createWebhookSender({ secret: SECRET, retryBase: 60_000 })
    sender.register(url)
    await sender.send('note.created', { id: 'note_4' })
    await until(() => seen.length > 0)
    sender.close()
    await sender.settle()
    expect(sender.deliveries[0]).toMatchObject({ status: 'failed', attempts: 1 })
  })
})
