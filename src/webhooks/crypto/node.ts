/**
 * Internal: the node:crypto backend, the Node, Deno and Bun build of the package's `#node-crypto`
 * import (browsers and Workers get ./absent.ts). node:crypto is reached through
 * `process.getBuiltinModule` at first use, never an import, so loading this module does no work and
 * bundlers see no `node:` import.
 */
import type { KeyObject } from 'node:crypto'
import { PKCS8_ED25519_PREFIX, decodeBase64 } from '../encoding.js'
import type { CryptoBackend, Ed25519Key, HmacKey } from './interface.js'

// The type this entry's declarations name, so its .d.ts stands on its own.
export type { CryptoBackend } from './interface.js'

type NodeCrypto = typeof import('node:crypto')

/** A strict base64 decoder: `undefined` for anything but canonical padded base64. */
export type Base64Decoder = (text: string) => Uint8Array<ArrayBuffer> | undefined

/**
 * The lean verifier's base64 decoder where this build has one: the table decoder, ~3× faster on Node
 * than the atob/btoa round trip the browser build uses (perf: docs/performance.md#webhooks-lean-base64).
 */
export const fastDecodeBase64: Base64Decoder | null = decodeBase64

let backend: CryptoBackend | null | undefined

/** The node:crypto backend, or null when this runtime has no `process.getBuiltinModule('node:crypto')`; looked up once. */
export function loadNodeCrypto(): CryptoBackend | null {
  if (backend !== undefined) return backend
  const processLike = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
  const found = typeof processLike?.getBuiltinModule === 'function' ? processLike.getBuiltinModule('node:crypto') : undefined
  return (backend = found && typeof (found as { createHmac?: unknown }).createHmac === 'function' ? nodeBackend(found as NodeCrypto) : null)
}

/** One secret as a node:crypto HMAC key; verify compares with `timingSafeEqual` after the length check it needs. */
function nodeHmac(crypto: NodeCrypto, secret: Uint8Array<ArrayBuffer>): HmacKey {
  const { createHmac, timingSafeEqual } = crypto
  // perf: docs/performance.md#webhooks-key-object
  const key = crypto.createSecretKey(secret)
  // perf: docs/performance.md#webhooks-two-updates
  const digest = (prefix: string, body: string | Uint8Array): Buffer => createHmac('sha256', key).update(prefix).update(body).digest()
  // Holds only a received (public) signature, for the synchronous comparison below.
  // perf: docs/performance.md#webhooks-off-heap-copy
  const received = new Uint8Array(new ArrayBuffer(32))
  return {
    verify(prefix, body, signatures) {
      const expected = digest(prefix, body)
      // An indexed loop: no iterator object per call on the hot path.
      for (let i = 0; i < signatures.length; i++) {
        const signature = signatures[i]!
        if (signature.length !== expected.length) continue
        received.set(signature)
        if (timingSafeEqual(expected, received)) return true
      }
      return false
    },
    sign: (prefix, body) => new Uint8Array(digest(prefix, body)),
  }
}

/** Builds the backend around the node:crypto module found at run time. */
function nodeBackend(crypto: NodeCrypto): CryptoBackend {
  const { createPublicKey, createPrivateKey, sign, verify } = crypto

  function ed25519(key: KeyObject, publicKey: KeyObject): Ed25519Key {
    return {
      verify: (message, signatures) => signatures.some((s) => s.length === 64 && verify(null, message, publicKey, s)),
      sign: (message) => new Uint8Array(sign(null, message, key)),
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
      }
    },
  }
}
