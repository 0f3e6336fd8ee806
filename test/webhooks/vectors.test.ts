import { describe, expect, it } from 'vitest'
import { githubWebhooks, standardWebhooks } from '../../src/webhooks/index.js'
import { BACKENDS, VECTOR, atVector, reasonOf, vectorHeaders } from './support.js'

const GITHUB = {
  secret: "It's a Secret to Everybody",
  body: 'Hello, World!',
  signature: 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
}

describe.each(BACKENDS)('known vectors (%s crypto)', (crypto) => {
  it('Standard Webhooks: verifies the published vector', async () => {
    const webhooks = standardWebhooks({ secret: VECTOR.secret, now: atVector, crypto })
    const event = await webhooks.verify(VECTOR.body, vectorHeaders())
    expect(event).toEqual({ type: '', id: VECTOR.id, timestamp: VECTOR.timestamp, payload: { test: 2432232314 } })
  })

  it('Standard Webhooks: signs the published vector byte for byte', async () => {
    const webhooks = standardWebhooks({ secret: VECTOR.secret, now: atVector, crypto })
    const headers = await webhooks.sign(VECTOR.body, { id: VECTOR.id, timestamp: VECTOR.timestamp })
    expect(headers).toEqual(vectorHeaders())
  })

  it('Standard Webhooks: a one-byte change to the body is refused', async () => {
    const webhooks = standardWebhooks({ secret: VECTOR.secret, now: atVector, crypto })
    expect(await reasonOf(webhooks.verify('{"test": 2432232315}', vectorHeaders()))).toBe('no_matching_signature')
  })

  it('GitHub: verifies and signs the documented vector', async () => {
    const webhooks = githubWebhooks({ secret: GITHUB.secret, crypto })
    const { body } = await webhooks.verifyRaw(GITHUB.body, { 'X-Hub-Signature-256': GITHUB.signature })
    expect(body).toBe(GITHUB.body)
    expect(await webhooks.sign(GITHUB.body)).toEqual({ 'x-hub-signature-256': GITHUB.signature })
    expect(await reasonOf(webhooks.verifyRaw('Hello, World?', { 'x-hub-signature-256': GITHUB.signature }))).toBe('no_matching_signature')
  })
})
