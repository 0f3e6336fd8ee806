import { playwright } from '@vitest/browser-playwright'
import { defineConfig } from 'vitest/config'

// The smoke suite in a real Chromium (Debian's package; no browser download is possible here).
// Flags: headless as root, and no background networking, which this machine's closed network refuses.
export default defineConfig({
  test: {
    include: ['test/runtimes/chromium.browser.ts'],
    globalSetup: ['test/runtimes/browser-setup.ts'],
    testTimeout: 30_000,
    browser: {
      enabled: true,
      headless: true,
      provider: playwright({
        launchOptions: {
          executablePath: '/usr/bin/chromium',
          args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
        },
      }),
      instances: [{ browser: 'chromium' }],
    },
  },
})
