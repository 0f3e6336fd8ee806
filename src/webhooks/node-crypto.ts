/**
 * Internal: node:crypto where the runtime offers it, picked for Node, Deno and Bun by the package's
 * `#node-crypto` import condition (browsers and Workers get node-crypto-none.ts). Reached through
 * `process.getBuiltinModule`, never an import, so loading this module does no work and bundlers see
 * no `node:` import. The node:crypto HMAC is exported from here too, so a browser bundle of the lean
 * verifier, whose `#node-crypto` has none, carries none of its code.
 */
export type NodeCrypto = typeof import('node:crypto')

export { nodeHmac } from './hmac-node.js'

/** node:crypto, or null when this runtime has no `process.getBuiltinModule('node:crypto')`. */
export function loadNodeCrypto(): NodeCrypto | null {
  const processLike = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
  const found = typeof processLike?.getBuiltinModule === 'function' ? processLike.getBuiltinModule('node:crypto') : undefined
  return found && typeof (found as { createHmac?: unknown }).createHmac === 'function' ? (found as NodeCrypto) : null
}
