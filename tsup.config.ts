import { defineConfig } from 'tsup'

/** One entry per public subpath; package.json's `exports` lists the same names. */
export const entries = {
  index: 'src/index.ts',
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
})
