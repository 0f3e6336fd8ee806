/** House rules for the REST folder that a refactor could quietly break. */
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'

const REST = join(import.meta.dirname, '../../src/rest')

describe('src/rest boundaries', () => {
  it('imports only ky and the shared core; ky is imported nowhere outside src/rest', () => {
    let seen = 0
    for (const file of readdirSync(REST)) {
      const source = readFileSync(join(REST, file), 'utf8')
      for (const [, target] of source.matchAll(/^(?:import|export|\})[^\n]* from '([^']+)'/gm)) {
        seen++
        expect(target === 'ky' || target!.startsWith('./') || target!.startsWith('../core/'), `${file} imports ${target}`).toBe(true)
      }
    }
    expect(seen).toBeGreaterThan(20)
    const elsewhere = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory() ? (entry.name === 'rest' ? [] : elsewhere(join(dir, entry.name))) : [join(dir, entry.name)],
      )
    for (const file of elsewhere(join(REST, '..'))) {
      expect(readFileSync(file, 'utf8'), file).not.toMatch(/^(?:import|export|\})[^\n]* from 'ky'/m)
    }
  })

  it('@wirekit/sdk/rest publishes only what README.md and the API docs describe', async () => {
    const rest = await import('../../src/rest/index.js')
    expect(Object.keys(rest).sort()).toEqual([
      'InvalidRequestError',
      'PaginationError',
      'RateLimits',
      'ResponseValidationError',
      'RevalidationCache',
      'createRestClient',
      'defineEndpoints',
      'rateLimits',
      'revalidationCache',
      'typed',
    ])
  })

  it('has no import cycle: the surface files call the engine, never the reverse', () => {
    const imports = (file: string) =>
      [...readFileSync(join(REST, file), 'utf8').matchAll(/^(?:import|export|\})[^\n]* from '\.\/([^']+)\.js'/gm)].map((match) => `${match[1]}.ts`)
    for (const surface of ['client.ts', 'endpoints.ts', 'openapi.ts', 'pagination.ts', 'options.ts']) {
      expect(imports('engine.ts'), `engine.ts imports ${surface}`).not.toContain(surface)
    }
    // Depth-first over the folder's own imports, types included.
    const visit = (file: string, path: string[]): void => {
      expect(path, `cycle: ${[...path, file].join(' → ')}`).not.toContain(file)
      for (const next of imports(file)) visit(next, [...path, file])
    }
    visit('index.ts', [])
  })

  it('does no work on import: no random numbers, no UUIDs, no fetch', async () => {
    vi.resetModules()
    const random = vi.spyOn(Math, 'random')
    const uuid = vi.spyOn(globalThis.crypto, 'randomUUID')
    const fetchSpy = vi.spyOn(globalThis, 'fetch')
    try {
      await import('../../src/rest/index.js')
      await import('../../src/index.js')
      expect(random).not.toHaveBeenCalled()
      expect(uuid).not.toHaveBeenCalled()
      expect(fetchSpy).not.toHaveBeenCalled()
    } finally {
      vi.restoreAllMocks()
    }
  })
})
