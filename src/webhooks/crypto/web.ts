/**
 * Internal: the Web Crypto backend, for browsers, Workers and runtimes without node:crypto. Each key is
 * imported once and its CryptoKey promise kept (perf: docs/performance.md#webhooks-cached-keys);
 * `subtle.verify` does the constant-time comparison.
 */
import { PKCS8_ED25519_PREFIX, joinMessage } from '../encoding.js'
import type { CryptoBackend, HmacKey } from './interface.js'

/** A key imported at first use and kept; a failed import is forgotten, so the next call tries again. */
function cached(load: () => Promise<CryptoKey>): () => Promise<CryptoKey> {
  let key: Promise<CryptoKey> | undefined
  return () =>
    (key ??= load().catch((error: unknown) => {
      key = undefined
      throw error
    }))
}

/** True when `subtle.verify` accepts any of `signatures` for `message`. */
async function anyValid(subtle: SubtleCrypto, algorithm: 'HMAC' | 'Ed25519', key: CryptoKey, message: Uint8Array<ArrayBuffer>, signatures: readonly Uint8Array<ArrayBuffer>[]): Promise<boolean> {
  for (const signature of signatures) {
    if (await subtle.verify(algorithm, key, signature, message)) return true
  }
  return false
}

/** One secret as a Web Crypto HMAC-SHA256 key. */
export function webHmac(subtle: SubtleCrypto, secret: Uint8Array<ArrayBuffer>): HmacKey {
  const key = cached(() => subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']))
  return {
    verify: async (prefix, body, signatures) => anyValid(subtle, 'HMAC', await key(), joinMessage(prefix, body), signatures),
    sign: async (prefix, body) => new Uint8Array(await subtle.sign('HMAC', await key(), joinMessage(prefix, body))),
  }
}

/** Builds the backend around a SubtleCrypto. */
export function webBackend(subtle: SubtleCrypto): CryptoBackend {
  return {
    name: 'web',
    hmac: (secret) => webHmac(subtle, secret),
    ed25519Public(raw) {
      const key = cached(() => subtle.importKey('raw', raw, { name: 'Ed25519' }, false, ['verify']))
      return { verify: async (message, signatures) => anyValid(subtle, 'Ed25519', await key(), message, signatures) }
    },
    ed25519Private(seed) {
      const der = new Uint8Array(PKCS8_ED25519_PREFIX.length + seed.length)
      der.set(PKCS8_ED25519_PREFIX, 0)
      der.set(seed, PKCS8_ED25519_PREFIX.length)
      // Extractable only so the public half can be read back through JWK; the key never leaves this closure.
      const privateKey = cached(() => subtle.importKey('pkcs8', der, { name: 'Ed25519' }, true, ['sign']))
      const publicKey = cached(async () => {
        const { x } = await subtle.exportKey('jwk', await privateKey())
        return subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x }, { name: 'Ed25519' }, false, ['verify'])
      })
      return {
        verify: async (message, signatures) => anyValid(subtle, 'Ed25519', await publicKey(), message, signatures),
        sign: async (message) => new Uint8Array(await subtle.sign('Ed25519', await privateKey(), message)),
      }
    },
  }
}

