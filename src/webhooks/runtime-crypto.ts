/**
 * Internal: which crypto this runtime has, found at first use and never at import. Whether to look
 * for node:crypto at all is decided by the package's `#node-crypto` import condition: Node, Deno and
 * Bun get a lookup through `process.getBuiltinModule`; browsers and Workers get a build that has none,
 * so their verifiers run on Web Crypto.
 */
import { ConfigError } from '../core/errors.js'
import { loadNodeCrypto } from '#node-crypto'
import type { NodeCrypto } from './node-crypto.js'

/**
 * Which crypto to use: `'auto'` takes node:crypto where this build looks for it and the runtime has it
 * (Node, Bun, Deno) and Web Crypto elsewhere (browsers and Workers, whose build does not look).
 */
export type CryptoPreference = 'auto' | 'node' | 'web'

/** The crypto a verifier runs on: node:crypto (`createHmac` + `timingSafeEqual`) or Web Crypto (`subtle.verify`). */
export type WebhookCryptoBackend = 'node' | 'web'

export type { NodeCrypto } from './node-crypto.js'

let nodeCrypto: NodeCrypto | null | undefined

/** node:crypto when this build and runtime offer it, else null; looked up once per process. */
export function findNodeCrypto(): NodeCrypto | null {
  if (nodeCrypto === undefined) nodeCrypto = loadNodeCrypto()
  return nodeCrypto
}

/** The runtime's SubtleCrypto, or a ConfigError saying there is none. */
export function findSubtle(): SubtleCrypto {
  const subtle = globalThis.crypto?.subtle
  if (!subtle) throw new ConfigError('crypto', 'this runtime has neither node:crypto nor Web Crypto (crypto.subtle)')
  return subtle
}

/**
 * The backend a preference resolves to here. `'auto'` picks node:crypto wherever it exists. Measured
 * for a 1 KB HMAC verify with cached keys (bench/webhooks.results.md): node:crypto is ~4× Web Crypto on
 * Node 24, ~7× on Bun 1.4 and ~4× on Deno 2.9, where each `subtle.verify` is a hop to a thread pool;
 * node:crypto also answers synchronously, which `verifySync` needs.
 */
export function resolveBackend(preference: CryptoPreference): WebhookCryptoBackend {
  if (preference !== 'web') {
    if (findNodeCrypto()) return 'node'
    if (preference === 'node') throw new ConfigError('crypto', "'node' was asked for, but this runtime has no node:crypto")
  }
  findSubtle()
  return 'web'
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
