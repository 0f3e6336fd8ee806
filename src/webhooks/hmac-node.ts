/**
 * Internal: HMAC-SHA256 on node:crypto. The key becomes a KeyObject once per secret: on Node 24 an HMAC
 * keyed with a KeyObject is ~4× faster than one keyed with raw bytes (see TOOLCHAIN.md).
 */
import type { HmacKey } from './crypto.js'
import type { NodeCrypto } from './runtime-crypto.js'

/** One secret as a node:crypto HMAC key; verify compares with `timingSafeEqual` after the length check it needs. */
export function nodeHmac(crypto: NodeCrypto, secret: Uint8Array<ArrayBuffer>): HmacKey {
  const { createHmac, timingSafeEqual } = crypto
  const key = crypto.createSecretKey(secret)
  // Two `update` calls, not one per piece of the prefix: each call crosses into C++, and joining the
  // short prefix string first measured faster than updating `id`, `.`, `timestamp`, `.` separately.
  const digest = (prefix: string, body: string | Uint8Array): Buffer => createHmac('sha256', key).update(prefix).update(body).digest()
  return {
    verify(prefix, body, signatures) {
      const expected = digest(prefix, body)
      // An indexed loop: no iterator object per call on the hot path.
      for (let i = 0; i < signatures.length; i++) {
        const signature = signatures[i]!
        if (signature.length === expected.length && timingSafeEqual(expected, signature)) return true
      }
      return false
    },
    sign: (prefix, body) => new Uint8Array(digest(prefix, body)),
  }
}
