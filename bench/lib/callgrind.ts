/**
 * CPU instructions of a Node process, counted by valgrind's callgrind. An instruction count does not
 * depend on what else the machine is doing, so two builds (or two clients) can be compared on a
 * loaded, shared machine where CPU time swings by tens of percent.
 *
 * V8 runs with `--predictable` (one thread, fixed seeds), `--predictable-gc-schedule` (heap growth not
 * tuned by measured time) and a large heap; the measured script should collect garbage fully (`gc()`,
 * exposed here) before and after the part it measures. Without these, whether a major GC fell inside the measured
 * part swung figures by ~10% between identical runs; with them, runs agree to ~0.1%.
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** True when valgrind is on PATH. */
export async function hasValgrind(): Promise<boolean> {
  try {
    await run('valgrind', ['--version'])
    return true
  } catch {
    return false
  }
}

/** Total instructions (callgrind's `Ir`) of `node <script> ...args`, run to its end. */
export async function countInstructions(script: string, args: readonly string[]): Promise<number> {
  // A heap large enough that no major GC is forced by `--predictable`'s small default limit.
  const v8 = ['--predictable', '--predictable-gc-schedule', '--max-old-space-size=1024', '--initial-old-space-size=512', '--expose-gc']
  const node = [process.execPath, ...v8, script, ...args]
  const { stderr } = await run('valgrind', ['--tool=callgrind', '--callgrind-out-file=/dev/null', ...node], { maxBuffer: 16 * 1024 * 1024 })
  const match = /Collected : (\d+)/.exec(stderr)
  if (!match) throw new Error(`callgrind printed no total for ${script} ${args.join(' ')}:\n${stderr.slice(-2000)}`)
  return Number(match[1])
}

/**
 * Instructions per operation: the script run with `operations` and with twice as many, the same warm-up
 * in both, and the difference divided by `operations`. Start-up, warm-up and anything done once in the
 * first stretch of operations (V8 compiling a hot function late, say) cancel out: measured against a
 * zero-operation run instead, a late optimising compile inflated one figure by 40 %.
 */
export async function instructionsPerOperation(script: string, args: readonly string[], operations: number): Promise<number> {
  const once = await countInstructions(script, [...args, String(operations)])
  const twice = await countInstructions(script, [...args, String(2 * operations)])
  return (twice - once) / operations
}
