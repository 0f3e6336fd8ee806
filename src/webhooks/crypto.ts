/**
 * Internal: the two crypto backends behind one small interface, and the once-per-process choice
 * between them (made in runtime-crypto.ts, at first use). The node:crypto backend comes through
 * `#node-crypto`, so browser and Worker bundles, which get no node:crypto lookup, carry none of it.
 */
import { nodeBackend } from '#node-crypto'
import { webBackend } from './crypto-web.js'
import { type CryptoPreference, findNodeCrypto, findSubtle, resolveBackend } from './runtime-crypto.js'

export type { CryptoPreference } from './runtime-crypto.js'

/** A value now, or later. The Node backend answers synchronously; Web Crypto never does. */
export type MaybePromise<T> = T | Promise<T>

/** A body as the verifier holds it: the caller's string, or its bytes. */
export type BodyInput = string | Uint8Array<ArrayBuffer>

/** One HMAC-SHA256 secret, prepared once (a KeyObject or a CryptoKey) and reused for every call. */
export interface HmacKey {
  /** True when any of `signatures` is HMAC(prefix ‖ body), compared in constant time. */
  verify(prefix: string, body: BodyInput, signatures: readonly Uint8Array<ArrayBuffer>[]): MaybePromise<boolean>
  /** HMAC(prefix ‖ body). */
  sign(prefix: string, body: BodyInput): MaybePromise<Uint8Array<ArrayBuffer>>
}

/** One Ed25519 key; `sign` and `publicKey` exist only for private keys. */
export interface Ed25519Key {
  /** True when any of `signatures` is a valid signature of `message`. */
  verify(message: Uint8Array<ArrayBuffer>, signatures: readonly Uint8Array<ArrayBuffer>[]): MaybePromise<boolean>
  sign?(message: Uint8Array<ArrayBuffer>): MaybePromise<Uint8Array<ArrayBuffer>>
  publicKey?(): MaybePromise<Uint8Array<ArrayBuffer>>
}

/** What the verifier needs from a crypto library. */
export interface CryptoBackend {
  readonly name: 'node' | 'web'
  hmac(secret: Uint8Array<ArrayBuffer>): HmacKey
  ed25519Public(publicKey: Uint8Array<ArrayBuffer>): Ed25519Key
  ed25519Private(seed: Uint8Array<ArrayBuffer>): Ed25519Key
}

let node: CryptoBackend | undefined
let web: CryptoBackend | undefined

/** The backend for a preference, detected once per process and then reused. */
export function cryptoBackend(preference: CryptoPreference): CryptoBackend {
  return resolveBackend(preference) === 'node' ? (node ??= nodeBackend(findNodeCrypto()!)) : (web ??= webBackend(findSubtle()))
}
