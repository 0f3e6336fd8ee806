/**
 * Browser bundle sizes, the way a user's bundler would see them: esbuild, browser conditions,
 * minified, tree-shaken, then gzip and brotli at their highest levels. The size bench and the
 * budget test in `npm test` both measure through here, so they can never disagree.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import { type Plugin, build } from 'esbuild'

/** The package root: `@wirekit/sdk` imports resolve to its package.json exports, as a user's would. */
export const packageRoot = fileURLToPath(new URL('../../', import.meta.url))

/**
 * `@wirekit/sdk` and `@wirekit/sdk/<subpath>` resolved through package.json `exports` to the built files, the
 * way a user's bundler resolves the published package. (Left to itself, esbuild would follow
 * tsconfig.json's `paths` to src/, which is not what users get.)
 */
const builtPackage: Plugin = {
  name: 'wirekit-built',
  setup(plugin) {
    const { exports } = JSON.parse(readFileSync(`${packageRoot}package.json`, 'utf8')) as {
      exports: Record<string, { import?: { default?: string } }>
    }
    plugin.onResolve({ filter: /^@wirekit\/sdk(\/.*)?$/ }, (args) => {
      const subpath = `.${args.path.slice('@wirekit/sdk'.length)}`
      const file = exports[subpath]?.import?.default
      if (!file) return { errors: [{ text: `wirekit has no export "${subpath}"` }] }
      return { path: fileURLToPath(new URL(file, `file://${packageRoot}`)) }
    })
  },
}

/** A user's browser build of `source`: esbuild, browser platform, ESM, minified, tree-shaken; `@wirekit/sdk` resolved by `resolver`. */
function browserBundle(source: string, resolver: Plugin) {
  return build({
    stdin: { contents: source, resolveDir: packageRoot, loader: 'js' },
    bundle: true,
    write: false,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    metafile: true,
    logLevel: 'silent',
    plugins: [resolver],
    // The built files import `#socket` (package.json `imports`); an empty tsconfig keeps the project's
    // `paths`, which point it at the source, out of their resolution.
    tsconfigRaw: {},
  })
}

export interface BundleSize {
  /** Minified bytes. */
  minified: number
  gzip: number
  brotli: number
  /** Every input file that made it into the bundle, relative to the package root. */
  inputs: string[]
  /** The minified code, for asserting what must not be in it. */
  code: string
}

/**
 * Bundles `source` (module code that imports what is measured) for the browser and measures it.
 *
 * @example
 * await bundleSize(`export { createClient } from '@wirekit/sdk'`)
 */
export async function bundleSize(source: string): Promise<BundleSize> {
  const result = await browserBundle(source, builtPackage)
  const bytes = result.outputFiles[0]!.contents
  return {
    minified: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    inputs: Object.keys(result.metafile.inputs),
    code: result.outputFiles[0]!.text,
  }
}

/** True when any input of the bundle comes from the named npm package. */
export function includesPackage(size: BundleSize, name: string): boolean {
  return size.inputs.some((input) => input.includes(`node_modules/${name}/`))
}

/**
 * Where a bundle's bytes come from: the same browser bundle built from the TypeScript sources, so each
 * byte can be traced to its file, grouped as `@wirekit/sdk/<module>`, `wirekit core` and each npm package.
 * Minified bytes (brotli does not split by file); the total agrees with {@link bundleSize}'s to within
 * a few bytes, which `minified` lets a reader check.
 */
export async function bundleOrigins(source: string): Promise<{ minified: number; groups: Map<string, number> }> {
  const sourceFile = (path: string) => ({ path: fileURLToPath(new URL(path, `file://${packageRoot}`)) })
  const fromSource: Plugin = {
    name: 'wirekit-source',
    setup(plugin) {
      // The browser picks of package.json `imports`, as the built package's browser condition has them.
      plugin.onResolve({ filter: /^#socket$/ }, () => sourceFile('src/realtime/socket-native.ts'))
      plugin.onResolve({ filter: /^#node-crypto$/ }, () => sourceFile('src/webhooks/crypto/absent.ts'))
      plugin.onResolve({ filter: /^@wirekit\/sdk(\/.*)?$/ }, (args) =>
        sourceFile(args.path === '@wirekit/sdk' ? 'src/index.ts' : `src/${args.path.slice("@wirekit/sdk/".length)}/index.ts`),
      )
    },
  }
  const result = await browserBundle(source, fromSource)
  const groups = new Map<string, number>()
  for (const output of Object.values(result.metafile.outputs)) {
    for (const [file, { bytesInOutput }] of Object.entries(output.inputs)) {
      if (bytesInOutput === 0) continue
      const group = originOf(file)
      groups.set(group, (groups.get(group) ?? 0) + bytesInOutput)
    }
  }
  return { minified: result.outputFiles[0]!.contents.length, groups }
}

function originOf(file: string): string {
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file)
  if (dependency) return dependency[1]!
  const module = /^src\/([^/]+)\//.exec(file)
  if (module) return module[1] === 'core' ? 'wirekit core' : `@wirekit/sdk/${module[1]}`
  return '@wirekit/sdk'
}
