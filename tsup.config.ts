import { rmSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Options, defineConfig } from 'tsup'

/** One entry per public subpath; package.json's `exports` lists the same names. */
export const entries = {
  index: 'src/index.ts',
  rest: 'src/rest/index.ts',
  realtime: 'src/realtime/index.ts',
  server: 'src/server/index.ts',
  testing: 'src/testing/index.ts',
  webhooks: 'src/webhooks/index.ts',
  'realtime-graphql': 'src/realtime/graphql/index.ts',
  'webhooks-intake': 'src/webhooks/intake/index.ts',
}

/**
 * The Node-only server subpaths, built apart: they never share a chunk with the browser entries, so
 * adding them does not re-cut the chunks the realtime and REST bundles are measured on (issue 13:
 * the server reaches the validation kit but not core/schema.ts, which split that chunk in two).
 */
const nodeOnly = new Set(['server', 'testing'])
const browserEntries = Object.fromEntries(Object.entries(entries).filter(([name]) => !nodeOnly.has(name)))
const nodeEntries = Object.fromEntries(Object.entries(entries).filter(([name]) => nodeOnly.has(name)))

/**
 * The realtime client's default WebSocket, one build per runtime family. Not public subpaths: the
 * package's `imports` map names them under `#socket`, and each consumer's resolver picks one by
 * condition (`ws` on Node; the runtime's own on Deno, Bun, workerd and browsers).
 */
const socketEntries = {
  'socket-node': 'src/realtime/socket-node.ts',
  'socket-native': 'src/realtime/socket-native.ts',
}

/**
 * Whether webhook verifiers have node:crypto, the same way: `#node-crypto` resolves to the node:crypto
 * backend on Node, Deno and Bun, and to a build without one in browsers and Workers.
 */
const cryptoEntries = {
  'node-crypto': 'src/webhooks/crypto/node.ts',
  'node-crypto-absent': 'src/webhooks/crypto/absent.ts',
}

// The two builds write to dist/ side by side and run at once: dist/ is emptied here, once, before both.
rmSync(new URL('./dist/', import.meta.url), { recursive: true, force: true })

const shared = {
  format: ['esm', 'cjs'],
  dts: true,
  clean: false,
  // No source maps in the package: dist is unminified, so a stack trace already points at readable code,
  // and maps would either carry every source (62 % of the package's bytes) or point at src/ files
  // the package does not ship. CHANGELOG, issue 12.
  sourcemap: false,
  target: 'es2022',
  platform: 'neutral',
  splitting: true,
  treeshake: true,
  // Runtime dependencies stay imports, and so do `#socket` and `#node-crypto`: it must be resolved where wirekit is
  // used, by that runtime's conditions, not once here. @wirekit/sdk/server and /testing keep `ws` (Node only) external.
  external: ['ws', 'isomorphic-ws', 'eventemitter3', '#socket', '#node-crypto'],
} satisfies Options

/**
 * The Node-only build takes the error classes from the package's root entry instead of bundling its own
 * copy, so `instanceof ConfigError` holds whichever subpath threw (test/exports/dist.test.ts).
 */
const errorsFile = fileURLToPath(new URL('./src/core/errors.js', import.meta.url))
const rootErrors: NonNullable<Options['esbuildPlugins']>[number] = {
  name: 'root-errors',
  setup(build) {
    build.onResolve({ filter: /errors\.js$/ }, (args) => (resolve(args.resolveDir, args.path) === errorsFile ? { path: '@wirekit/sdk', external: true } : undefined))
  },
}

export default defineConfig([
  // `realtime-tabs` (a public subpath too) last: an entry's place changes how shared chunks are laid out.
  { ...shared, entry: { ...browserEntries, ...socketEntries, ...cryptoEntries, 'realtime-tabs': 'src/realtime/tabs/index.ts' } },
  { ...shared, entry: nodeEntries, esbuildPlugins: [rootErrors] },
])
