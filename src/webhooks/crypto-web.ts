/**
 * Internal: the Web Crypto backend for browsers, Workers and runtimes without node:crypto: HMAC from
 * hmac-web.ts, and Ed25519. Each key is imported once and the CryptoKey promise is cached.
 * `subtle.verify` does the constant-time comparison.
 */
import type { CryptoBackend, MaybePromise } from './crypto.js'
import { PKCS8_ED25519_PREFIX, decodeBase64 } from './encoding.js'
import { webHmac } from './hmac-web.js'

/** Builds the backend around a SubtleCrypto. */
export function webBackend(subtle: SubtleCrypto): CryptoBackend {
  /** A lazily imported key; a failed import is forgotten so the next call tries again. */
  function cached(load: () => Promise<CryptoKey>): () => Promise<CryptoKey> {
    let key: Promise<CryptoKey> | undefined
    return () =>
      (key ??= load().catch((error: unknown) => {
        key = undefined
        throw error
      }))
  }

  async function anyValid(
    algorithm: 'HMAC' | 'Ed25519',
    key: CryptoKey,
    message: Uint8Array<ArrayBuffer>,
    signatures: readonly Uint8Array<ArrayBuffer>[],
  ): Promise<boolean> {
    for (const signature of signatures) {
      if (await subtle.verify(algorithm, key, signature, message)) return true
    }
    return false
  }

  return {
    name: 'web',
    hmac: (secret) => webHmac(subtle, secret),
    ed25519Public(raw) {
      const key = cached(() => subtle.importKey('raw', raw, { name: 'Ed25519' }, false, ['verify']))
      return { verify: async (message, signatures) => anyValid('Ed25519', await key(), message, signatures) }
    },
    ed25519Private(seed) {
      const der = new Uint8Array(PKCS8_ED25519_PREFIX.length + seed.length)
      der.set(PKCS8_ED25519_PREFIX, 0)
      der.set(seed, PKCS8_ED25519_PREFIX.length)
      // Extractable only so the public half can be read back through JWK; the key never leaves this closure.
      const privateKey = cached(() => subtle.importKey('pkcs8', der, { name: 'Ed25519' }, true, ['sign']))
      let publicBytes: Promise<Uint8Array<ArrayBuffer>> | undefined
      const publicKey = (): MaybePromise<Uint8Array<ArrayBuffer>> =>
        (publicBytes ??= (async () => {
          const jwk = await subtle.exportKey('jwk', await privateKey())
          return fromBase64Url(jwk.x ?? '')
        })())
      const verifier = cached(async () => subtle.importKey('raw', await publicKey(), { name: 'Ed25519' }, false, ['verify']))
      return {
        verify: async (message, signatures) => anyValid('Ed25519', await verifier(), message, signatures),
        sign: async (message) => new Uint8Array(await subtle.sign('Ed25519', await privateKey(), message)),
        publicKey,
      }
    },
  }
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const base64 = text.replaceAll('-', '+').replaceAll('_', '/')
  const decoded = decodeBase64(base64 + '='.repeat((4 - (base64.length % 4)) % 4))
  if (!decoded) throw new TypeError('the runtime exported a malformed Ed25519 public key')
  return decoded as Uint8Array<ArrayBuffer>
}
