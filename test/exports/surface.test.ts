/**
 * The public surface, pinned: every name each public subpath of the BUILT package exports, values
 * (what `import()` returns) and types (what its declarations add), checked against surface.json
 * beside this file. A change to the surface is then a decision someone makes in a diff, not an
 * accident. To accept a change: `npm run build && npx vitest run test/exports/surface.test.ts -u`,
 * and commit surface.json with the change that caused it.
 */
import { describe, expect, it } from 'vitest'
import { importTarget, subpaths, typesTarget } from './support.js'

const UPDATE = 'The public surface changed. If that is intended, run `npm run build && npx vitest run test/exports/surface.test.ts -u` and commit test/exports/surface.json'

/** Each subpath's export names from its declaration file, values and types apart, each sorted. */
async function declaredNames(): Promise<Map<string, { values: string[]; types: string[] }>> {
  const { default: ts } = await import('typescript')
  const files = subpaths.map(({ entry }) => typesTarget(entry))
  const program = ts.createProgram({ rootNames: files, options: { noEmit: true, skipLibCheck: true, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler } })
  const checker = program.getTypeChecker()
  const names = new Map<string, { values: string[]; types: string[] }>()
  subpaths.forEach(({ specifier }, index) => {
    const module = checker.getSymbolAtLocation(program.getSourceFile(files[index]!)!)
    if (!module) throw new Error(`${files[index]} is not a module`)
    const values: string[] = []
    const types: string[] = []
    for (const symbol of checker.getExportsOfModule(module)) {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol
      ;(target.flags & ts.SymbolFlags.Value ? values : types).push(symbol.name)
    }
    names.set(specifier, { values: values.sort(), types: types.sort() })
  })
  return names
}

interface Surface {
  /** What `import()` of the subpath returns. */
  values: string[]
  /** Names only its declarations export. */
  types: string[]
  /**
   * Names its declarations call values (a class, a function) that the module does not export: code
   * that uses one compiles and fails at run time. Listed so the mismatch is visible; empty is right.
   */
  declaredButNotExported?: string[]
  /** Names the module exports that its declarations do not know. */
  exportedButNotDeclared?: string[]
}

describe('the public surface', () => {
  it('matches test/exports/surface.json', { timeout: 60_000 }, async () => {
    const declared = await declaredNames()
    const surface: Record<string, Surface> = {}
    for (const { specifier, entry } of subpaths) {
      const loaded = (await import(/* @vite-ignore */ importTarget(entry))) as Record<string, unknown>
      const values = Object.keys(loaded).filter((name) => name !== 'default').sort()
      const { values: declaredValues, types } = declared.get(specifier)!
      const declaredButNotExported = declaredValues.filter((name) => !values.includes(name))
      const exportedButNotDeclared = values.filter((name) => !declaredValues.includes(name))
      surface[specifier] = {
        values,
        types,
        ...(declaredButNotExported.length > 0 && { declaredButNotExported }),
        ...(exportedButNotDeclared.length > 0 && { exportedButNotDeclared }),
      }
    }
    await expect(`${JSON.stringify(surface, null, 2)}\n`, UPDATE).toMatchFileSnapshot('./surface.json')
  })
})
