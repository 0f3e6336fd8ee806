/**
 * The comparison is the platform's constant-time one: `timingSafeEqual` on node:crypto and
 * `subtle.verify` on Web Crypto. Spied on the very module object the backend finds at run time.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { standardWebhooks } from '../../src/webhooks/index.js'
import { VECTOR, atVector, reasonOf, vectorHeaders } from './support.js'

const nodeCrypto = (process as typeof process & { getBuiltinModule: (id: string) => typeof import('node:crypto') }).getBuiltinModule('node:crypto')

describe('constant-time comparison', () => {
  afterEach(() => vi.restoreAllMocks())

  it('node: every candidate of the right length goes through timingSafeEqual', async () => {
    const spy = vi.spyOn(nodeCrypto, 'timingSafeEqual')
    const webhooks = standardWebhooks({ secret: VECTOR.secret, now: atVector, crypto: 'node' })
    const wrong = `v1,${Buffer.alloc(32, 1).toString('base64')}`
    await webhooks.verify(VECTOR.body, vectorHeaders(`${wrong} ${VECTOR.signature}`))
    expect(spy).toHaveBeenCalledTimes(2)
    expect(await reasonOf(webhooks.verify(VECTOR.body, vectorHeaders(wrong)))).toBe('no_matching_signature')
    expect(spy).toHaveBeenCalledTimes(3)
  })

  it('web: signatures are checked by subtle.verify, and the key is imported once per secret', async () => {
    const verify = vi.spyOn(globalThis.crypto.subtle, 'verify')
    const importKey = vi.spyOn(globalThis.crypto.subtle, 'importKey')
    const sign = vi.spyOn(globalThis.crypto.subtle, 'sign')
    const webhooks = standardWebhooks({ secret: VECTOR.secret, now: atVector, crypto: 'web' })
    for (let i = 0; i < 5; i++) await webhooks.verify(VECTOR.body, vectorHeaders())
    expect(verify).toHaveBeenCalledTimes(5)
    expect(importKey).toHaveBeenCalledTimes(1)
    expect(sign).not.toHaveBeenCalled()
  })
})

describe('both backends, called directly', () => {
  it('a signature of the wrong length is a plain false, never an exception', async () => {
    const { loadNodeCrypto } = await import('../../src/webhooks/crypto/node.js')
    const { webBackend } = await import('../../src/webhooks/crypto/web.js')
    for (const backend of [loadNodeCrypto()!, webBackend(globalThis.crypto.subtle)]) {
      const key = backend.hmac(new Uint8Array(32).fill(1))
      const right = await key.sign('p.', 'body')
      expect(await key.verify('p.', 'body', [right])).toBe(true)
      for (const length of [0, 1, 31, 33, 64]) {
        expect(await key.verify('p.', 'body', [new Uint8Array(length)]), `${backend.name} ${length}`).toBe(false)
      }
      expect(await key.verify('p.', 'body', [right.subarray(0, 31) as Uint8Array<ArrayBuffer>])).toBe(false)
    }
  })
})
