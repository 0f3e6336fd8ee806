/** The built package as the export tests see it: its root, package.json and public subpaths. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { root } from '../support.js'

export { root }

interface Condition {
  types: string
  default: string
}

export const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
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

/** The file URL of a subpath's ESM build, from its exports entry's `import` condition. */
export function importTarget(entry: (typeof subpaths)[number]['entry']): string {
  const condition = entry.import as { default?: string; node?: { default: string } }
  const file = condition.default ?? condition.node?.default
  if (!file) throw new Error('no import.default file in the exports entry')
  return pathToFileURL(join(root, file)).href
}

/** The declaration file a subpath's ESM build is typed by, from its exports entry. */
export function typesTarget(entry: (typeof subpaths)[number]['entry']): string {
  const condition = entry.import as { types?: string; node?: { types: string } }
  const file = condition.types ?? condition.node?.types
  if (!file) throw new Error('no import.types file in the exports entry')
  return join(root, file)
}
