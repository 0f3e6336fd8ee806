import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const src = fileURLToPath(new URL('./src/', import.meta.url))

export default defineConfig({
  resolve: {
    // Examples import `@wirekit/sdk/…` by name, as users do; tests run them against the source. The
    // built package is tested on its own in test/exports.
    alias: [
      { find: /^@wirekit\/sdk$/, replacement: `${src}index.ts` },
      { find: /^@wirekit\/sdk\/(.+)$/, replacement: `${src}$1/index.ts` },
      // The Node build's pick of the package's `#socket` import.
      { find: /^#socket$/, replacement: `${src}realtime/socket-node.ts` },
      { find: /^#node-crypto$/, replacement: `${src}webhooks/crypto/node.ts` },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // The Redis suite (`*.redis.test.ts`) needs redis-server and runs as `npm run test:redis`; the
    // Chromium suite (`*.chromium.test.ts`) needs a browser and runs as `npm run test:browser`.
    exclude: ['**/node_modules/**', 'test/**/*.redis.test.ts', 'test/**/*.chromium.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Tests that open sockets bind 127.0.0.1 on port 0; files run in parallel safely.
    pool: 'forks',
  },
})
