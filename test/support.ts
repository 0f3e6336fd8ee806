/**
 * Support shared by every test folder. Each folder keeps its own in `<folder>/support.ts`; what more
 * than one folder needs lives here.
 */
import { fileURLToPath } from 'node:url'
import type { CompilerOptions } from 'typescript'

/** The repository root. */
export const root = fileURLToPath(new URL('../', import.meta.url))

/**
 * A seeded uniform source in [0, 1) (mulberry32), for tests whose randomness must be reproducible:
 * jitter statistics, fault schedules. A failing run replays with the same seed.
 */
export function seeded(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface TypecheckOptions {
  /**
   * How `@wirekit/sdk` resolves. `'source'`: to src/ through the project tsconfig's `paths`, as the
   * unit tests do. `'package'`: by package name through package.json `exports` to the built
   * declarations in dist/, as a user's compiler does (run the build first).
   */
  resolve: 'source' | 'package'
}

/**
 * Typechecks `files` (absolute paths) with the project's compiler options and returns one line per
 * error, `file:line:col message`, or none when they compile.
 */
export async function typecheck(files: readonly string[], { resolve }: TypecheckOptions): Promise<string[]> {
  // Loaded here, not at the top: most files that import this support never typecheck.
  const { default: ts } = await import('typescript')
  const config = ts.getParsedCommandLineOfConfigFile(`${root}tsconfig.json`, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'))
    },
  })
  if (!config) throw new Error('tsconfig.json could not be read')
  const options: CompilerOptions = { ...config.options, noEmit: true }
  if (resolve === 'package') delete options.paths
  const program = ts.createProgram({ rootNames: files, options })
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')
    if (!diagnostic.file || diagnostic.start === undefined) return message
    const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start)
    return `${diagnostic.file.fileName.replace(root, '')}:${line + 1}:${character + 1} ${message}`
  })
}
