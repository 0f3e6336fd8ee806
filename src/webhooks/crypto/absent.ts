/**
 * Internal: the browser and Worker build of the package's `#node-crypto` import (Node, Deno and Bun
 * get ./node.ts). It has no node:crypto and does not look for one: verifiers here run on Web Crypto.
 */
import type { CryptoBackend } from './interface.js'
import type { Base64Decoder } from './node.js'

// The types this entry's declarations name, so its .d.ts stands on its own.
export type { CryptoBackend } from './interface.js'
export type { Base64Decoder } from './node.js'

/** No node:crypto in this build. */
export const loadNodeCrypto = (): CryptoBackend | null => null

/** No table decoder either: the lean verifier decodes with its atob/btoa round trip. */
export const fastDecodeBase64: Base64Decoder | null = null
