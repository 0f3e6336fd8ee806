import { defineConfig } from 'vitest/config'
import base from './vitest.config.js'

// `npm run test:redis`: the suites that need a real redis-server (Debian's package), each file
// starting its own on a unix socket (startRedis in test/support.ts). Missing redis-server fails, never skips.
export default defineConfig({
  resolve: base.resolve,
  test: { ...base.test, include: ['test/**/*.redis.test.ts'], exclude: ['**/node_modules/**'], testTimeout: 120_000, hookTimeout: 60_000 },
})
