/**
 * Internal: HMAC-SHA256 on Web Crypto, for browsers, Workers and runtimes without node:crypto. The
 * secret is imported once and the CryptoKey promise is cached (stripe's edge path re-imports per call,
 * ~25× slower); a failed import is forgotten so the next call tries again. `subtle.verify` does the
 * constant-time comparison.
 */
import type { HmacKey } from './crypto.js'
import { joinMessage } from './encoding.js'

/** One secret as a Web Crypto HMAC key. */
export function webHmac(subtle: SubtleCrypto, secret: Uint8Array<ArrayBuffer>): HmacKey {
  let key: Promise<CryptoKey> | undefined
  const get = (): Promise<CryptoKey> =>
    (key ??= subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']).catch((error: unknown) => {
      key = undefined
      throw error
    }))
  return {
    async verify(prefix, body, signatures) {
      const cryptoKey = await get()
      const message = joinMessage(prefix, body)
      for (const signature of signatures) {
        if (await subtle.verify('HMAC', cryptoKey, signature, message)) return true
      }
      return false
    },
    sign: async (prefix, body) => new Uint8Array(await subtle.sign('HMAC', await get(), joinMessage(prefix, body))),
  }
}
