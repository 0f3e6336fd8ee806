import { readdirSync, readFileSync } from 'node:fs'
import { createHmac } from 'node:crypto'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { githubWebhooks, shopifyWebhooks, slackWebhooks, standardWebhooks, stripeWebhooks } from '../../src/webhooks/index.js'
import { BACKENDS, VECTOR, atVector, reasonOf, vectorHeaders } from './support.js'

const SECRET = 'whsec_strict_parsing_secret_0123456789'
const NOW = 1_750_000_000
const clock = () => NOW * 1000

describe.each(BACKENDS)('strict parsing (%s crypto)', (crypto) => {
  const standard = standardWebhooks({ secret: VECTOR.secret, now: atVector, crypto })

  it.each(['123abc', '1e9', '0x10', '+1', ' 1', '1 ', '-1', '1.0', '', '１６１４２６５３３０', '1614265330\n', '0'.repeat(13)])(
    'refuses the timestamp %j',
    async (timestamp) => {
      const reason = await reasonOf(standard.verify(VECTOR.body, { ...vectorHeaders(), 'webhook-timestamp': timestamp }))
      expect(reason).toBe(timestamp === '' ? 'missing_header' : 'malformed_header')
    },
  )

  it('refuses every proper prefix of a valid Standard Webhooks signature, and an empty v1,', async () => {
    for (let length = 0; length < VECTOR.signature.length; length++) {
      const reason = await reasonOf(standard.verify(VECTOR.body, vectorHeaders(VECTOR.signature.slice(0, length))))
      expect(['missing_header', 'malformed_header']).toContain(reason)
    }
    expect(await reasonOf(standard.verify(VECTOR.body, vectorHeaders('v1,')))).toBe('malformed_header')
    expect(await reasonOf(standard.verify(VECTOR.body, vectorHeaders(`${VECTOR.signature}A`)))).toBe('malformed_header')
  })

  it('refuses every proper prefix of a valid signature in each preset', async () => {
    const body = '{"id":"evt_1"}'
    const hex = (content: string) => createHmac('sha256', SECRET).update(content).digest('hex')
    const cases = [
      { verifier: stripeWebhooks({ secret: SECRET, now: clock, crypto }), name: 'stripe-signature', value: `t=${NOW},v1=${hex(`${NOW}.${body}`)}`, extra: {} },
      { verifier: githubWebhooks({ secret: SECRET, crypto }), name: 'x-hub-signature-256', value: `sha256=${hex(body)}`, extra: {} },
      {
        verifier: slackWebhooks({ secret: SECRET, now: clock, crypto }),
        name: 'x-slack-signature',
        value: `v0=${hex(`v0:${NOW}:${body}`)}`,
        extra: { 'x-slack-request-timestamp': String(NOW) },
      },
      { verifier: shopifyWebhooks({ secret: SECRET, crypto }), name: 'x-shopify-hmac-sha256', value: createHmac('sha256', SECRET).update(body).digest('base64'), extra: {} },
    ]
    for (const { verifier, name, value, extra } of cases) {
      await verifier.verify(body, { ...extra, [name]: value })
      for (let length = 0; length < value.length; length++) {
        const reason = await reasonOf(verifier.verify(body, { ...extra, [name]: value.slice(0, length) }))
        expect(['missing_header', 'malformed_header']).toContain(reason)
      }
    }
  })

  it('refuses a 100 KB signature header as malformed before parsing it', async () => {
    const huge = `v1,${'A'.repeat(100 * 1024)}`
    expect(await reasonOf(standard.verify(VECTOR.body, vectorHeaders(huge)))).toBe('malformed_header')
    const hugeList = Array.from({ length: 3_000 }, () => VECTOR.signature).join(' ')
    expect(await reasonOf(standard.verify(VECTOR.body, vectorHeaders(hugeList)))).toBe('malformed_header')
  })

  it('refuses more than 20 signatures even within the length bound', async () => {
    const list = Array.from({ length: 21 }, () => VECTOR.signature).join(' ')
    expect(await reasonOf(standard.verify(VECTOR.body, vectorHeaders(list)))).toBe('malformed_header')
  })

  it('refuses missing and empty headers, a header sent twice, and two spellings of one header', async () => {
    expect(await reasonOf(standard.verify(VECTOR.body, { 'webhook-id': VECTOR.id }))).toBe('missing_header')
    expect(await reasonOf(standard.verify(VECTOR.body, { ...vectorHeaders(), 'webhook-id': '' }))).toBe('missing_header')
    expect(await reasonOf(standard.verify(VECTOR.body, { ...vectorHeaders(), 'webhook-signature': [VECTOR.signature, VECTOR.signature] }))).toBe(
      'malformed_header',
    )
    const { 'webhook-signature': _, ...rest } = vectorHeaders()
    expect(await reasonOf(standard.verify(VECTOR.body, { ...rest, 'Webhook-Signature': VECTOR.signature, 'WEBHOOK-SIGNATURE': VECTOR.signature }))).toBe(
      'malformed_header',
    )
    expect(await reasonOf(standard.verify(VECTOR.body, undefined))).toBe('missing_header')
    expect(await reasonOf(standard.verify(VECTOR.body, { ...vectorHeaders(), 'webhook-id': 'msg 1' }))).toBe('malformed_header')
  })

  it('refuses non-canonical base64 that decodes to the same bytes', async () => {
    // The last character carries 2 spare bits; 'E=' and 'F=' decode alike, only 'E=' is canonical here.
    const altered = VECTOR.signature.replace(/E=$/, 'F=')
    expect(altered).not.toBe(VECTOR.signature)
    expect(await reasonOf(standard.verify(VECTOR.body, vectorHeaders(altered)))).toBe('malformed_header')
  })
})

describe('no backtracking by construction', () => {
  it('src/webhooks parses headers without regular expressions', () => {
    const dir = join(import.meta.dirname, '../../src/webhooks')
    for (const file of readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.ts'))) {
      const source = readFileSync(join(dir, file), 'utf8').replace(/\/\*\*[\s\S]*?\*\/|\/\/.*$/gm, '')
      expect(source, file).not.toMatch(/new RegExp|\.match\(|\.test\(|\.replace\(\/|\.split\(\//)
    }
  })
})
