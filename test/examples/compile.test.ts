/**
 * Every example compiles as a user's code would: it imports wirekit by package name, and those
 * imports resolve through package.json `exports` to the built declarations (`npm test` builds
 * first), not to src/ as the project's own tsconfig paths would.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { root, typecheck } from '../support.js'

const examples = readdirSync(join(root, 'examples'), { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.ts'))
  .map((file) => join(root, 'examples', file))
  .sort()

describe('examples/', () => {
  it('has examples to check', () => {
    expect(examples.length).toBeGreaterThan(0)
  })

  it.each(examples.map((file) => [file.replace(root, ''), file]))('%s imports wirekit only by package name', (_, file) => {
    const source = readFileSync(file, 'utf8')
    const specifiers = [...source.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((match) => match[1]!)
    expect(specifiers.filter((specifier) => /(^|\/)src\//.test(specifier))).toEqual([])
  })

  it('every example compiles against the built package', { timeout: 60_000 }, async () => {
    expect(await typecheck(examples, { resolve: 'package' })).toEqual([])
  })
})
