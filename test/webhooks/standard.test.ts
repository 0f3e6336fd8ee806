import { describe, expect, it } from 'vitest'
import { Secret } from '../../src/core/secret.js'
import { type WebhookVerificationError, standardWebhooks, standardWebhooksV1Lite } from '../../src/webhooks/index.js'
import { BACKENDS, VECTOR, atVector, ed25519Keys, reasonOf, vectorHeaders } from './support.js'

const OTHER = `whsec_${Buffer.alloc(32, 7).toString('base64')}`

describe.each(BACKENDS)('Standard Webhooks (%s crypto)', (crypto) => {
  it('v1a: a whsk_ key signs, the matching whpk_ key verifies, another key does not', async () => {
    const keys = ed25519Keys()
    const sender = standardWebhooks({ secret: keys.whsk, now: atVector, crypto })
    const headers = await sender.sign('{"type":"a"}', { id: 'msg_1' })
    expect(headers['webhook-signature']).toMatch(/^v1a,[A-Za-z0-9+/]{86}==$/)
    const receiver = standardWebhooks({ secret: keys.whpk, now: atVector, crypto })
    expect((await receiver.verify('{"type":"a"}', headers)).type).toBe('a')
    expect(await reasonOf(receiver.verify('{"type":"b"}', headers))).toBe('no_matching_signature')
    const stranger = standardWebhooks({ secret: ed25519Keys().whpk, now: atVector, crypto })
    expect(await reasonOf(stranger.verify('{"type":"a"}', headers))).toBe('no_matching_signature')
  })

  it('v1a: the 64-byte libsodium form of whsk_ (seed ‖ public key) signs the same', async () => {
    const keys = ed25519Keys()
    const long = `whsk_${Buffer.concat([keys.seed, keys.publicKey]).toString('base64')}`
    const a = await standardWebhooks({ secret: keys.whsk, now: atVector, crypto }).sign('x', { id: 'm' })
    const b = await standardWebhooks({ secret: long, now: atVector, crypto }).sign('x', { id: 'm' })
    expect(a).toEqual(b)
  })

  it('v1a signatures are verified against the message bytes, including the id and timestamp', async () => {
    const keys = ed25519Keys()
    const headers = await standardWebhooks({ secret: keys.whsk, now: atVector, crypto }).sign('{}', { id: 'msg_a' })
    const receiver = standardWebhooks({ secret: keys.whpk, now: atVector, crypto })
    expect(await reasonOf(receiver.verify('{}', { ...headers, 'webhook-id': 'msg_b' }))).toBe('no_matching_signature')
    expect(await reasonOf(receiver.verify('{}', { ...headers, 'webhook-timestamp': String(VECTOR.timestamp - 1) }))).toBe('no_matching_signature')
  })

  it('rotation: any configured secret may match, and sign emits one signature per signing key', async () => {
    const keys = ed25519Keys()
    const rotating = standardWebhooks({ secret: [OTHER, VECTOR.secret, keys.whpk], now: atVector, crypto })
    expect((await rotating.verify(VECTOR.body, vectorHeaders())).id).toBe(VECTOR.id)
    const edSigned = await standardWebhooks({ secret: keys.whsk, now: atVector, crypto }).sign('{}', { id: 'm' })
    expect((await rotating.verify('{}', edSigned)).id).toBe('m')

    const sender = standardWebhooks({ secret: [VECTOR.secret, OTHER, keys.whsk], now: atVector, crypto })
    const headers = await sender.sign(VECTOR.body, { id: VECTOR.id })
    const entries = headers['webhook-signature']!.split(' ')
    expect(entries).toHaveLength(3)
    expect(entries[0]).toBe(VECTOR.signature)
    for (const secret of [VECTOR.secret, OTHER, keys.whpk]) {
      await standardWebhooks({ secret, now: atVector, crypto }).verify(VECTOR.body, headers)
    }
  })

  it('a signature list with unknown versions and a wrong signature still finds the right one', async () => {
    const webhooks = standardWebhooks({ secret: VECTOR.secret, now: atVector, crypto })
    const wrong = `v1,${Buffer.alloc(32).toString('base64')}`
    const event = await webhooks.verify(VECTOR.body, vectorHeaders(`v2,whatever ${wrong} ${VECTOR.signature}`))
    expect(event.id).toBe(VECTOR.id)
  })

  it('reads the svix- header names too', async () => {
    const webhooks = standardWebhooks({ secret: VECTOR.secret, now: atVector, crypto })
    const event = await webhooks.verify(VECTOR.body, {
      'svix-id': VECTOR.id,
      'svix-timestamp': String(VECTOR.timestamp),
      'svix-signature': VECTOR.signature,
    })
    expect(event.id).toBe(VECTOR.id)
  })

  it('with no signature header, the refusal names webhook-signature and says svix-signature counts too', async () => {
    const headers = { 'webhook-id': VECTOR.id, 'webhook-timestamp': String(VECTOR.timestamp) }
    for (const verifier of [standardWebhooks({ secret: VECTOR.secret, now: atVector, crypto }), standardWebhooksV1Lite({ secret: VECTOR.secret, now: atVector, crypto })]) {
      const error = await verifier.verify(VECTOR.body, headers).catch((e: unknown) => e as WebhookVerificationError)
      expect(error).toMatchObject({ reason: 'missing_header' })
      expect((error as Error).message).toContain('webhook-signature')
      expect((error as Error).message).not.toMatch(/^(the )?svix-signature/)
    }
    const error = await standardWebhooks({ secret: VECTOR.secret, now: atVector, crypto }).verify(VECTOR.body, headers).catch((e: unknown) => e)
    expect((error as Error).message).toBe('the webhook-signature header is missing (svix-signature is accepted too)')
  })

  it('tolerance defaults to 300 s both ways and is configurable per direction', async () => {
    const at = (seconds: number) => () => (VECTOR.timestamp + seconds) * 1000
    const check = (now: () => number, tolerance?: number | { past?: number; future?: number }) =>
      standardWebhooks({ secret: VECTOR.secret, now, crypto, ...(tolerance === undefined ? {} : { tolerance }) }).verify(VECTOR.body, vectorHeaders())
    await check(at(300))
    await check(at(-300))
    expect(await reasonOf(check(at(301)))).toBe('timestamp_too_old')
    expect(await reasonOf(check(at(-301)))).toBe('timestamp_in_future')
    await check(at(3_000), { past: 3_000 })
    expect(await reasonOf(check(at(-10), { future: 5 }))).toBe('timestamp_in_future')
    expect(await reasonOf(check(at(1), 0))).toBe('timestamp_too_old')
    await check(at(0), 0)
  })

  it('sign uses the injected clock and makes up a msg_ id when none is given', async () => {
    const headers = await standardWebhooks({ secret: VECTOR.secret, now: () => 1_700_000_000_999, crypto }).sign('{}')
    expect(headers['webhook-timestamp']).toBe('1700000000')
    expect(headers['webhook-id']).toMatch(/^msg_[0-9a-f]{32}$/)
  })
})

describe('Standard Webhooks secrets', () => {
  it('refuses v1 secrets shorter than 24 bytes when the verifier is built', async () => {
    const short = `whsec_${Buffer.alloc(23, 1).toString('base64')}`
    expect(await reasonOf((async () => standardWebhooks({ secret: short }))())).toBe('invalid_secret')
    expect(await reasonOf((async () => standardWebhooks({ secret: new Uint8Array(10) }))())).toBe('invalid_secret')
    standardWebhooks({ secret: `whsec_${Buffer.alloc(24, 1).toString('base64')}` })
  })

  it('refuses malformed keys, an empty list, and non-strings, naming which one', async () => {
    for (const secret of ['whsec_not base64!', 'whpk_AAAA', 'whsk_AAAA', '', 'whsec_', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS=']) {
      expect(await reasonOf((async () => standardWebhooks({ secret }))())).toBe('invalid_secret')
    }
    expect(await reasonOf((async () => standardWebhooks({ secret: [] }))())).toBe('invalid_secret')
    expect(await reasonOf((async () => standardWebhooks({ secret: 42 as never }))())).toBe('invalid_secret')
    await expect((async () => standardWebhooks({ secret: [VECTOR.secret, 'whsec_x'] }))()).rejects.toThrow('secret[1]')
  })

  it('accepts a bare base64 key (as svix prints it), raw bytes, and a wirekit Secret', async () => {
    const bare = VECTOR.secret.slice('whsec_'.length)
    const raw = Buffer.from(bare, 'base64')
    for (const secret of [bare, raw, new Secret(VECTOR.secret)]) {
      await standardWebhooks({ secret, now: atVector }).verify(VECTOR.body, vectorHeaders())
    }
  })

  it('a whpk_ key cannot sign', async () => {
    await expect(standardWebhooks({ secret: ed25519Keys().whpk }).sign('{}')).rejects.toThrow('whpk_')
  })

  it('refuses bad options with a ConfigError naming the field', () => {
    expect(() => standardWebhooks({ secret: VECTOR.secret, tolerance: -1 })).toThrow('tolerance')
    expect(() => standardWebhooks({ secret: VECTOR.secret, tolerance: { past: Number.NaN } })).toThrow('tolerance.past')
    expect(() => standardWebhooks({ secret: VECTOR.secret, crypto: 'openssl' as never })).toThrow('crypto')
    expect(() => standardWebhooks({ secret: VECTOR.secret, replay: {} as never })).toThrow('replay')
    expect(() => standardWebhooks({ secret: VECTOR.secret, tolerence: 5 } as never)).toThrow('tolerence')
    expect(() => standardWebhooks({ secret: VECTOR.secret, maxBodyBytes: 0 })).toThrow('maxBodyBytes')
  })
})
