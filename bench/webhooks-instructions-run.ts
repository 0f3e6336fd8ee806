/**
 * One contender of bench/webhooks-contenders.ts in a process of its own, for callgrind
 * (bench/webhooks-instructions.ts): checked, warmed up, then verifying a 1 KB delivery `count` times,
 * with full garbage collections around the measured part.
 *
 * Usage: node webhooks-instructions-run.ts <contender name> <body bytes> <warm-up> <count>
 */
import { check, contenders } from './webhooks-contenders.ts'

const [name, bytes, warmup, count] = process.argv.slice(2)
const contender = (await contenders(Number(bytes))).find((candidate) => candidate.name === name)
if (!contender) throw new Error(`no contender named ${name}`)
await check(contender)

/** As bench:webhooks runs them: a promise is awaited only when the contender returns one. */
async function verify(times: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    const result = contender!.run()
    if (result instanceof Promise) await result
  }
}

const gc = (globalThis as { gc?: () => void }).gc
await verify(Number(warmup))
gc?.()
await verify(Number(count))
gc?.()
