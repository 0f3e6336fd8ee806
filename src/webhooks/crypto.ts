/**
 * Internal: the two crypto backends behind one small interface, and the once-per-process choice
 * between them. node:crypto is reached through `process.getBuiltinModule` at first use, never through
 * an import, so this module loads in a browser or a Worker and importing it does no work.
 */
import { ConfigError } from '../core/errors.js'
import { nodeBackend } from './crypto-node.js'
import { webBackend } from './crypto-web.js'

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

/**
 * Which crypto to use: `'auto'` takes node:crypto where the runtime has it (Node, Bun, Deno, Workers
 * with nodejs_compat) and Web Crypto elsewhere.
 */
export type CryptoPreference = 'auto' | 'node' | 'web'

let nodeCrypto: typeof import('node:crypto') | null | undefined
let node: CryptoBackend | undefined
let web: CryptoBackend | undefined

function findNodeCrypto(): typeof import('node:crypto') | null {
  if (nodeCrypto !== undefined) return nodeCrypto
  const processLike = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
  const found = typeof processLike?.getBuiltinModule === 'function' ? processLike.getBuiltinModule('node:crypto') : undefined
  nodeCrypto = found && typeof (found as { createHmac?: unknown }).createHmac === 'function' ? (found as typeof import('node:crypto')) : null
  return nodeCrypto
}

/** The backend for a preference, detected once per process and then reused. */
export function cryptoBackend(preference: CryptoPreference): CryptoBackend {
  if (preference !== 'web') {
    const found = findNodeCrypto()
    if (found) return (node ??= nodeBackend(found))
    if (preference === 'node') throw new ConfigError('crypto', "'node' was asked for, but this runtime has no node:crypto")
  }
  const subtle = globalThis.crypto?.subtle
  if (!subtle) throw new ConfigError('crypto', 'this runtime has neither node:crypto nor Web Crypto (crypto.subtle)')
  return (web ??= webBackend(subtle))
}
