import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Tests that open sockets bind 127.0.0.1 on port 0; files run in parallel safely.
    pool: 'forks',
  },
})
