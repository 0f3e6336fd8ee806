import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { root, subpaths } from './support.js'

/**
 * Importing wirekit must do no work: no timers, no randomness, no network, no crypto. Each subpath is
 * loaded in a fresh Node process whose globals are wrapped to count calls, so nothing else running
 * (vitest's own timers) can mask or fake a call.
 */
const probe = (loader: string) => `
const calls = []
const watch = (owner, name, label) => {
  const original = owner[name]
  if (typeof original !== 'function') return
  owner[name] = function (...args) { calls.push(label); return original.apply(this, args) }
}
watch(globalThis, 'setTimeout', 'setTimeout')
watch(globalThis, 'setInterval', 'setInterval')
watch(globalThis, 'setImmediate', 'setImmediate')
watch(globalThis, 'queueMicrotask', 'queueMicrotask')
watch(globalThis, 'fetch', 'fetch')
watch(Math, 'random', 'Math.random')
watch(globalThis.crypto, 'getRandomValues', 'crypto.getRandomValues')
watch(globalThis.crypto, 'randomUUID', 'crypto.randomUUID')
if (globalThis.WebSocket) {
  const Original = globalThis.WebSocket
  globalThis.WebSocket = class extends Original { constructor(...a) { calls.push('WebSocket'); super(...a) } }
}
const net = require('node:net')
watch(net, 'connect', 'net.connect')
watch(net, 'createConnection', 'net.createConnection')
const nodeCrypto = require('node:crypto')
for (const name of ['randomBytes', 'randomUUID', 'createHmac', 'createSecretKey', 'createPublicKey']) watch(nodeCrypto, name, 'crypto.' + name)
Promise.resolve(${loader}).then((mod) => {
  if (Object.keys(mod).length === 0) throw new Error('nothing exported')
  process.stdout.write(JSON.stringify(calls))
})
`

// Each test spawns a Node process; the limits only end a hang, generously, since the machine may be busy.
const SPAWN = { cwd: root, encoding: 'utf8', timeout: 50_000 } as const

describe('importing does no work', () => {
  for (const { specifier } of subpaths) {
    for (const [format, loader] of [
      ['import', `import(${JSON.stringify(specifier)})`],
      ['require', `require(${JSON.stringify(specifier)})`],
    ] as const) {
      it(`${specifier} (${format}) starts no timer, draws no random number, opens no socket`, { timeout: 60_000 }, () => {
        const out = execFileSync(process.execPath, ['-e', probe(loader)], SPAWN)
        expect(JSON.parse(out)).toEqual([])
      })
    }
  }

  it('the probe itself notices work done at import', { timeout: 60_000 }, () => {
    const out = execFileSync(process.execPath, ['-e', probe(`Promise.resolve(Math.random()).then(() => ({ a: setTimeout(() => {}, 0) }))`)], SPAWN)
    expect(JSON.parse(out)).toEqual(['Math.random', 'setTimeout'])
  })
})
