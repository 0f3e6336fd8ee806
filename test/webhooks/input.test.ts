import { type IncomingMessage, createServer, request as httpRequest } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { WebhookVerificationError } from '../../src/core/errors.js'
import { standardWebhooks } from '../../src/webhooks/index.js'
import { BACKENDS, VECTOR, atVector, reasonOf, vectorHeaders } from './support.js'

describe.each(BACKENDS)('input shapes (%s crypto)', (crypto) => {
  const webhooks = standardWebhooks({ secret: VECTOR.secret, now: atVector, crypto })
  const bytes = new TextEncoder().encode(VECTOR.body)

  it.each([
    ['string', VECTOR.body],
    ['Buffer', Buffer.from(VECTOR.body)],
    ['Uint8Array', bytes],
    ['ArrayBuffer', bytes.slice().buffer],
    ['a Uint8Array view into a larger buffer', new TextEncoder().encode(`xx${VECTOR.body}yy`).subarray(2, 2 + bytes.length)],
    ['a DataView', new DataView(bytes.slice().buffer)],
  ])('takes the body as %s', async (_, payload) => {
    expect((await webhooks.verify(payload as Uint8Array, vectorHeaders())).payload).toEqual({ test: 2432232314 })
  })

  it('takes headers as a Headers instance, any-case plain objects, and string[] values', async () => {
    await webhooks.verify(VECTOR.body, new Headers(vectorHeaders()))
    const upper = Object.fromEntries(Object.entries(vectorHeaders()).map(([k, v]) => [k.toUpperCase(), v]))
    await webhooks.verify(VECTOR.body, upper)
    const arrays = Object.fromEntries(Object.entries(vectorHeaders()).map(([k, v]) => [k, [v]]))
    await webhooks.verify(VECTOR.body, arrays)
  })

  it.each([
    ['a parsed object', { test: 2432232314 }],
    ['an array', []],
    ['null', null],
    ['undefined', undefined],
    ['a number', 42],
  ])('refuses %s as the payload with payload_not_raw and the fix', async (_, payload) => {
    const error = await webhooks.verify(payload as never, vectorHeaders()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(WebhookVerificationError)
    expect((error as WebhookVerificationError).reason).toBe('payload_not_raw')
    expect((error as Error).message).toContain('express.raw(')
    expect((error as Error).message).toContain('req.json()')
  })

  it('verifyRequest reads a Fetch Request once, raw, and refuses one whose body was already read', async () => {
    const make = () => new Request('https://example.test/hook', { method: 'POST', body: VECTOR.body, headers: vectorHeaders() })
    expect((await webhooks.verifyRequest(make())).id).toBe(VECTOR.id)
    expect((await webhooks.verify(make())).id).toBe(VECTOR.id)
    const used = make()
    await used.json()
    const error = await webhooks.verifyRequest(used).catch((e: unknown) => e)
    expect((error as WebhookVerificationError).reason).toBe('payload_not_raw')
    expect((error as Error).message).toContain('already read')
  })

  it('refuses a body over maxBodyBytes as payload_too_large', async () => {
    const small = standardWebhooks({ secret: VECTOR.secret, now: atVector, crypto, maxBodyBytes: 8 })
    const request = new Request('https://example.test/hook', { method: 'POST', body: VECTOR.body, headers: vectorHeaders() })
    expect(await reasonOf(small.verifyRequest(request))).toBe('payload_too_large')
  })
})

describe('verifyNodeRequest on a real node:http server', () => {
  let close: (() => Promise<void>) | undefined
  afterEach(async () => {
    await close?.()
    close = undefined
  })

  async function serve(handler: (req: IncomingMessage) => Promise<unknown>): Promise<number> {
    const server = createServer((req, res) => {
      handler(req).then(
        (result) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result)),
        (error: unknown) => res.writeHead(400).end(error instanceof WebhookVerificationError ? error.reason : 'crash'),
      )
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    close = () => new Promise((resolve) => server.close(() => resolve()))
    return (server.address() as AddressInfo).port
  }

  function post(port: number, body: string | Buffer, headers: Record<string, string>, chunked = false): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', headers }, (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => (text += chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }))
      })
      req.on('error', reject)
      if (chunked) {
        // Split mid-character so the reader must join bytes, not decode chunk by chunk.
        const buffer = Buffer.from(body)
        req.write(buffer.subarray(0, 3))
        req.end(buffer.subarray(3))
      } else {
        req.end(body)
      }
    })
  }

  it('reads the raw body stream and verifies it, chunked or not, unicode intact', async () => {
    const webhooks = standardWebhooks({ secret: VECTOR.secret })
    const port = await serve((req) => webhooks.verifyNodeRequest(req))
    const body = '{"type":"note.created","data":{"text":"héllo ✓\\r\\n"}}'
    const good = await webhooks.sign(body, { id: 'msg_node2' })
    const response = await post(port, body, good, true)
    expect(response.status).toBe(200)
    expect(JSON.parse(response.text)).toMatchObject({ type: 'note.created', id: 'msg_node2', payload: { data: { text: 'héllo ✓\r\n' } } })
    expect(await post(port, `${body} `, good)).toMatchObject({ status: 400, text: 'no_matching_signature' })
  })

  it('takes the Buffer express.raw() leaves in req.body, and refuses a parsed req.body', async () => {
    const webhooks = standardWebhooks({ secret: VECTOR.secret, now: atVector })
    const asIf = (body: unknown) => Object.assign((async function* () {})(), { headers: vectorHeaders(), body, readableEnded: true })
    expect((await webhooks.verifyNodeRequest(asIf(Buffer.from(VECTOR.body)))).id).toBe(VECTOR.id)
    expect(await reasonOf(webhooks.verifyNodeRequest(asIf({ test: 2432232314 })))).toBe('payload_not_raw')
    expect(await reasonOf(webhooks.verifyNodeRequest(asIf(undefined)))).toBe('payload_not_raw')
  })

  it('joins string and byte chunks from a stream, and stops reading past maxBodyBytes', async () => {
    const stream = (chunks: Array<string | Uint8Array>) =>
      Object.assign(
        (async function* () {
          yield* chunks
        })(),
        { headers: vectorHeaders() },
      )
    const webhooks = standardWebhooks({ secret: VECTOR.secret, now: atVector, maxBodyBytes: 20 })
    const event = await webhooks.verifyNodeRequest(stream([VECTOR.body.slice(0, 5), Buffer.from(VECTOR.body.slice(5))]))
    expect(event.payload).toEqual({ test: 2432232314 })
    let pulled = 0
    const endless = Object.assign(
      (async function* () {
        for (;;) {
          pulled++
          yield new Uint8Array(8)
        }
      })(),
      { headers: vectorHeaders() },
    )
    expect(await reasonOf(webhooks.verifyNodeRequest(endless))).toBe('payload_too_large')
    expect(pulled).toBe(3)
  })
})
