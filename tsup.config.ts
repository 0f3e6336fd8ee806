import { defineConfig } from 'tsup'

/** One entry per public subpath; package.json's `exports` lists the same names. */
export const entries = {
  index: 'src/index.ts',
  rest: 'src/rest/index.ts',
  realtime: 'src/realtime/index.ts',
  testing: 'src/testing/index.ts',
  webhooks: 'src/webhooks/index.ts',
}

export default defineConfig({
  entry: entries,
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  platform: 'neutral',
  splitting: true,
  treeshake: true,
  // Runtime dependencies stay imports: a browser bundler then resolves isomorphic-ws to its
  // `browser` build (the global WebSocket), and wirekit/testing keeps `ws` (Node only) external.
  external: ['ws', 'isomorphic-ws', 'eventemitter3'],
})
