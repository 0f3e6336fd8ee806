import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { importTarget, pkg, root, subpaths } from './support.js'

// These load the BUILT package: `npm test` builds before vitest runs. vitest maps `@wirekit/sdk` to the
// source for the other tests, so the ESM side is imported by the file its exports entry names; the
// CJS side goes through Node's own require, by package name.
const require = createRequire(join(root, 'package.json'))

describe('the built package', () => {
  it('lists its subpaths explicitly: no wildcard export', () => {
    for (const key of Object.keys(pkg.exports)) expect(key).not.toContain('*')
    expect(subpaths.length).toBeGreaterThan(0)
  })

  it.each(subpaths)('$specifier loads with both import and require, with the same exports', async ({ specifier, entry }) => {
    const esm = (await import(/* @vite-ignore */ importTarget(entry))) as Record<string, unknown>
    const cjs = require(specifier) as Record<string, unknown>
    const esmNames = Object.keys(esm).filter((name) => name !== 'default' && name !== 'module.exports').sort()
    const cjsNames = Object.keys(cjs).filter((name) => name !== 'default' && name !== '__esModule').sort()
    expect(esmNames.length).toBeGreaterThan(0)
    expect(cjsNames).toEqual(esmNames)
  })

  it.each(subpaths)('$specifier points at files that exist, with types for both formats', ({ entry }) => {
    const files: string[] = []
    const collect = (value: unknown) => {
      if (typeof value === 'string') files.push(value)
      else if (value && typeof value === 'object') Object.values(value).forEach(collect)
    }
    collect(entry)
    expect(files.some((file) => file.endsWith('.d.ts'))).toBe(true)
    expect(files.some((file) => file.endsWith('.d.cts'))).toBe(true)
    for (const file of files) expect(existsSync(join(root, file)), file).toBe(true)
  })

  it('ships the version it says in its User-Agent', async () => {
    const { VERSION } = require(pkg.name) as { VERSION: string }
    expect(VERSION).toBe(pkg.version)
  })
})
