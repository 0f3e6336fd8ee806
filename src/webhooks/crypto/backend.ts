/**
 * Internal: what a verifier needs from a crypto library, and which library it gets. The choice is made
 * once per process, at first use, never at import. node:crypto comes through the package's
 * `#node-crypto` import: Node, Deno and Bun get ./node.ts, browsers and Workers get ./absent.ts, which
 * has none, so their verifiers run on Web Crypto (./web.ts) and their bundles carry no node:crypto code.
 */
import { ConfigError } from '../../core/errors.js'
import { loadNodeCrypto } from '#node-crypto'
import { webBackend } from './web.js'

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

/** One Ed25519 key; `sign` exists only for private keys. */
export interface Ed25519Key {
  /** True when any of `signatures` is a valid signature of `message`. */
  verify(message: Uint8Array<ArrayBuffer>, signatures: readonly Uint8Array<ArrayBuffer>[]): MaybePromise<boolean>
  sign?(message: Uint8Array<ArrayBuffer>): MaybePromise<Uint8Array<ArrayBuffer>>
}

/** What the verifier needs from a crypto library. */
export interface CryptoBackend {
  readonly name: WebhookCryptoBackend
  hmac(secret: Uint8Array<ArrayBuffer>): HmacKey
  ed25519Public(publicKey: Uint8Array<ArrayBuffer>): Ed25519Key
  ed25519Private(seed: Uint8Array<ArrayBuffer>): Ed25519Key
}

/**
 * Which crypto to use: `'auto'` takes node:crypto where this build looks for it and the runtime has it
 * (Node, Bun, Deno) and Web Crypto elsewhere (browsers and Workers, whose build does not look).
 */
export type CryptoPreference = 'auto' | 'node' | 'web'

/** The crypto a verifier runs on: node:crypto (`createHmac` + `timingSafeEqual`) or Web Crypto (`subtle.verify`). */
export type WebhookCryptoBackend = 'node' | 'web'

/** The runtime's SubtleCrypto, or a ConfigError saying there is none. */
export function findSubtle(): SubtleCrypto {
  const subtle = globalThis.crypto?.subtle
  if (!subtle) throw new ConfigError('crypto', 'this runtime has neither node:crypto nor Web Crypto (crypto.subtle)')
  return subtle
}

/**
 * The backend a preference resolves to here: `'auto'` picks node:crypto wherever it exists, since it
 * is several times faster than Web Crypto there and answers synchronously, which `verifySync` needs.
 * perf: docs/performance.md#webhooks-node-crypto-first
 */
export function resolveBackend(preference: CryptoPreference): WebhookCryptoBackend {
  if (preference !== 'web') {
    if (loadNodeCrypto()) return 'node'
    if (preference === 'node') throw new ConfigError('crypto', "'node' was asked for, but this runtime has no node:crypto")
  }
  findSubtle()
  return 'web'
}

let web: CryptoBackend | undefined

/** The backend for a preference; each is built once per process and then reused. */
export function cryptoBackend(preference: CryptoPreference): CryptoBackend {
  return resolveBackend(preference) === 'node' ? loadNodeCrypto()! : (web ??= webBackend(findSubtle()))
}

/**
 * The crypto backend wirekit's webhook verifiers use in this runtime for a `crypto` preference:
 * `'node'` (node:crypto, in Node, Deno and Bun) or `'web'` (Web Crypto, in browsers and Workers). It
 * only looks, it makes no key; a preference the runtime cannot meet throws a ConfigError.
 *
 * @default preference 'auto'
 * @example
 * webhookCryptoBackend() // 'node' on Node, Deno and Bun; 'web' in a browser or a Worker
 */
export function webhookCryptoBackend(preference: CryptoPreference = 'auto'): WebhookCryptoBackend {
  return resolveBackend(preference)
}
