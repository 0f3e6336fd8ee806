import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** The package root. */
export const root = fileURLToPath(new URL('../../', import.meta.url))

interface Condition {
  types: string
  default: string
}

export const pkg = JSON.parse(readFileSync(new URL('package.json', `file://${root}`), 'utf8')) as {
  name: string
  version: string
  exports: Record<string, string | { import: Condition | Record<string, Condition>; require: Condition | Record<string, Condition> }>
}

/** Every public subpath (`@wirekit/sdk`, `@wirekit/sdk/rest`, …) with its built files, from package.json's exports. */
export const subpaths = Object.entries(pkg.exports)
  .filter(([key]) => key !== './package.json')
  .map(([key, value]) => {
    if (typeof value === 'string') throw new Error(`exports["${key}"] must have import and require conditions`)
    return { specifier: key === '.' ? pkg.name : `${pkg.name}/${key.slice(2)}`, key, entry: value }
  })
