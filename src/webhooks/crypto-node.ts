/** Internal: the node:crypto backend: HMAC from hmac-node.ts, and Ed25519. */
import type { KeyObject } from 'node:crypto'
import type { CryptoBackend, Ed25519Key } from './crypto.js'
import { PKCS8_ED25519_PREFIX } from './encoding.js'
import { nodeHmac } from './hmac-node.js'
import type { NodeCrypto } from './runtime-crypto.js'

/** Builds the backend around the node:crypto module found at run time. */
export function nodeBackend(crypto: NodeCrypto): CryptoBackend {
  const { createPublicKey, createPrivateKey, sign, verify } = crypto

  function ed25519(key: KeyObject, publicKey: KeyObject): Ed25519Key {
    return {
      verify: (message, signatures) => signatures.some((s) => s.length === 64 && verify(null, message, publicKey, s)),
      sign: (message) => new Uint8Array(sign(null, message, key)),
      publicKey: () => {
        const x = publicKey.export({ format: 'jwk' }).x as string
        return new Uint8Array(Buffer.from(x, 'base64url'))
      },
    }
  }

  return {
    name: 'node',
    hmac: (secret) => nodeHmac(crypto, secret),
    ed25519Public(raw) {
      let key: KeyObject | undefined
      const get = (): KeyObject =>
        (key ??= createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url') }, format: 'jwk' }))
      return {
        verify: (message, signatures) => signatures.some((s) => s.length === 64 && verify(null, message, get(), s)),
      }
    },
    ed25519Private(seed) {
      let pair: Ed25519Key | undefined
      const get = (): Ed25519Key => {
        if (pair) return pair
        const der = Buffer.concat([Buffer.from(PKCS8_ED25519_PREFIX), seed])
        const key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })
        return (pair = ed25519(key, createPublicKey(key)))
      }
      return {
        verify: (message, signatures) => get().verify(message, signatures),
        sign: (message) => get().sign!(message),
        publicKey: () => get().publicKey!(),
      }
    },
  }
}
