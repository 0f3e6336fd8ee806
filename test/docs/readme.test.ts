/**
 * Every ```ts block of README.md compiles on its own, as a reader would paste it into a file of their
 * project: each block is written to .tmp/readme/ and typechecked with the project's compiler options,
 * `@wirekit/sdk` resolving to the source. A block names everything it uses: it imports it, or declares
 * what the reader supplies (`declare const fetchToken: () => Promise<string>`).
 *
 * A block that is deliberately a fragment is marked on the line before its fence with
 * `<!-- readme-check: partial, <why> -->` (invisible on GitHub and the npm page) and is not compiled.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { root, typecheck } from '../support.js'

const PARTIAL = /^<!-- readme-check: partial, .+ -->$/

interface Block {
  /** 1-based line of the opening fence in README.md. */
  line: number
  code: string
  partial: boolean
}

/** The ```ts (or ```typescript) blocks of a Markdown text, in order. */
function tsBlocks(markdown: string): Block[] {
  const lines = markdown.split('\n')
  const blocks: Block[] = []
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,})(ts|typescript)\s*$/.exec(lines[i]!)
    if (!open) continue
    const start = i
    const body: string[] = []
    while (++i < lines.length && lines[i] !== open[1]) body.push(lines[i]!)
    if (i === lines.length) throw new Error(`README.md:${start + 1}: the code block never closes`)
    blocks.push({ line: start + 1, code: body.join('\n'), partial: PARTIAL.test(lines[start - 1]?.trim() ?? '') })
  }
  return blocks
}

describe('tsBlocks', () => {
  it('finds ts blocks with their line and partial marker, and nothing else', () => {
    const markdown = ['# t', '```sh', 'npm i', '```', '```ts', 'const a = 1', '```', '<!-- readme-check: partial, a fragment -->', '```typescript', 'b()', '```'].join('\n')
    expect(tsBlocks(markdown)).toEqual([
      { line: 5, code: 'const a = 1', partial: false },
      { line: 9, code: 'b()', partial: true },
    ])
  })
})

describe('README.md', () => {
  const blocks = tsBlocks(readFileSync(join(root, 'README.md'), 'utf8'))

  it('has code blocks to check', () => {
    expect(blocks.filter((block) => !block.partial).length).toBeGreaterThan(0)
  })

  it('every ts block compiles on its own', { timeout: 60_000 }, async () => {
    const dir = join(root, '.tmp/readme')
    rmSync(dir, { recursive: true, force: true })
    mkdirSync(dir, { recursive: true })
    // `export {}` makes each block a module of its own, as a file in the reader's project would be.
    const files = blocks
      .filter((block) => !block.partial)
      .map((block) => {
        const file = join(dir, `README.md-line-${block.line}.ts`)
        writeFileSync(file, `${block.code}\nexport {}\n`)
        return file
      })
    // Each error names its README.md line: the fence's line plus the line in the block.
    const errors = (await typecheck(files, { resolve: 'source' })).map((error) =>
      error.replace(/^\.tmp\/readme\/README\.md-line-(\d+)\.ts:(\d+)/, (_, fence: string, line: string) => `README.md:${Number(fence) + Number(line)}`),
    )
    expect(errors, 'README code blocks that do not compile').toEqual([])
  })
})
