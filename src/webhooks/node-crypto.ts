/**
 * Internal: node:crypto where the runtime offers it, picked for Node, Deno and Bun by the package's
 * `#node-crypto` import condition (browsers and Workers get node-crypto-none.ts). Reached through
 * `process.getBuiltinModule`, never an import, so loading this module does no work and bundlers see
 * no `node:` import. The node:crypto backend and HMAC are exported from here too, so a browser
 * bundle, whose `#node-crypto` has neither, carries none of their code.
 */
export type NodeCrypto = typeof import('node:crypto')

export { nodeBackend } from './crypto-node.js'
// The table decoder: on Node ~3× faster than the atob/btoa round trip the lean verifier's browser build uses.
export { decodeBase64 } from './encoding.js'
export { nodeHmac } from './hmac-node.js'

/** node:crypto, or null when this runtime has no `process.getBuiltinModule('node:crypto')`. */
export function loadNodeCrypto(): NodeCrypto | null {
  const processLike = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
  const found = typeof processLike?.getBuiltinModule === 'function' ? processLike.getBuiltinModule('node:crypto') : undefined
  return found && typeof (found as { createHmac?: unknown }).createHmac === 'function' ? (found as NodeCrypto) : null
}
