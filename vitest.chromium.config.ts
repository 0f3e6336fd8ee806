import { defineConfig } from 'vitest/config'
import base from './vitest.config.js'

// `npm run test:browser`: suites that drive a real Chromium (Debian's /usr/bin/chromium) from Node
// with playwright, named `*.chromium.test.ts`. Missing Chromium fails with the install command, never skips.
export default defineConfig({
  resolve: base.resolve,
  test: { ...base.test, include: ['test/**/*.chromium.test.ts'], exclude: ['**/node_modules/**'], testTimeout: 180_000, hookTimeout: 60_000, fileParallelism: false },
})
