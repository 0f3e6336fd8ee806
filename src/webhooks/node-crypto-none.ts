/**
 * Internal: the browser and Worker build of `#node-crypto`, picked by the package's import
 * condition. There is no node:crypto to look for: verifiers run on Web Crypto.
 */
import type { nodeBackend as NodeBackend } from './crypto-node.js'
import type { decodeBase64 as DecodeBase64 } from './encoding.js'
import type { nodeHmac as NodeHmac } from './hmac-node.js'
import type { NodeCrypto } from './node-crypto.js'

/** Always null: this build is for runtimes whose crypto is Web Crypto. */
export function loadNodeCrypto(): NodeCrypto | null {
  return null
}

/** Never called: with no node:crypto found, no verifier resolves to the node backend. */
export const nodeHmac = undefined as unknown as typeof NodeHmac

/** Never called, as {@link nodeHmac}. */
export const nodeBackend = undefined as unknown as typeof NodeBackend

/** None here: the lean verifier decodes with atob/btoa instead. */
export const decodeBase64 = undefined as typeof DecodeBase64 | undefined
