import { expect, inject, it } from 'vitest'
// @ts-expect-error plain JavaScript module shared with the other runtimes
import { runSmoke } from './smoke.mjs'

it('passes the smoke suite in a real Chromium page', async () => {
  const report = (await runSmoke(inject('smokeEnv'))) as { runtime: string; checks: { name: string; ok: boolean; detail?: string }[] }
  // One line the runtime runner reads.
  console.log(`WIREKIT_SMOKE_REPORT ${JSON.stringify(report)}`)
  expect(report.runtime).toBe('browser')
  expect(report.checks.filter((check) => !check.ok)).toEqual([])
  expect(report.checks.length).toBeGreaterThan(0)
})
