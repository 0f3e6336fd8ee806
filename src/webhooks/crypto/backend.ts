/**
 * Internal: what a verifier needs from a crypto library, and which library it gets. The choice is made
 * once per process, at first use, never at import. node:crypto comes through the package's
 * `#node-crypto` import: Node, Deno and Bun get ./node.ts, browsers and Workers get ./absent.ts, which
 * has none, so their verifiers run on Web Crypto (./web.ts) and their bundles carry no node:crypto code.
 */
import { ConfigError } from '../../core/errors.js'
import { loadNodeCrypto } from '#node-crypto'
import type { CryptoBackend, CryptoPreference, WebhookCryptoBackend } from './interface.js'
import { webBackend } from './web.js'

export type { BodyInput, CryptoBackend, CryptoPreference, Ed25519Key, HmacKey, MaybePromise, WebhookCryptoBackend } from './interface.js'

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
