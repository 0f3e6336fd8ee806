import { execFileSync } from 'node:child_process'
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

// The Node-only subpaths are built apart from the others (tsup.config.ts); their errors must still be the
// root's classes, so `instanceof ConfigError` holds whichever subpath threw (issue 13). Checked in a plain
// Node process: vitest would map `@wirekit/sdk` inside the built files back to the source.
describe('errors from the Node-only subpaths', () => {
  const script = `
    import { createRequire } from 'node:module'
    import { ConfigError, WirekitError } from '${pkg.name}'
    import { createRealtimeServer } from '${pkg.name}/server'
    import { createTestRealtimeServer } from '${pkg.name}/testing'
    const require = createRequire(import.meta.url)
    const caught = async (run) => { try { await run() } catch (error) { return error } }
    const cjsRoot = require('${pkg.name}')
    const errors = {
      'server, import': [await caught(() => createRealtimeServer({ porrt: 1 })), ConfigError],
      'testing, import': [await caught(() => createTestRealtimeServer({ porrt: 1 })), ConfigError],
      'server, require': [await caught(() => require('${pkg.name}/server').createRealtimeServer({ porrt: 1 })), cjsRoot.ConfigError],
      'testing, require': [await caught(() => require('${pkg.name}/testing').createTestRealtimeServer({ porrt: 1 })), cjsRoot.ConfigError],
    }
    const verdicts = Object.fromEntries(Object.entries(errors).map(([name, [error, Root]]) => [name, error instanceof Root && error instanceof (Root === ConfigError ? WirekitError : cjsRoot.WirekitError)]))
    console.log(JSON.stringify(verdicts))
  `

  it('are instances of the root ConfigError and WirekitError, by import and by require', () => {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', timeout: 20_000 })
    expect(JSON.parse(out)).toEqual({ 'server, import': true, 'testing, import': true, 'server, require': true, 'testing, require': true })
  })
})
