/**
 * The one measuring engine of every bench: contenders run in interleaved repetitions with the order
 * rotated each time, and every figure is also a ratio to the baseline measured in the same
 * repetition. The machines are shared and noisy; a ratio taken seconds apart survives that noise,
 * an absolute number alone does not.
 */

/** One thing being measured. `run(n)` performs n operations and resolves when they are done. */
export interface Contender {
  name: string
  run: (operations: number) => Promise<void> | void
}

export interface CompareOptions {
  /** The name of the contender every ratio is taken against (the floor, or the peer to beat). */
  baseline: string
  contenders: Contender[]
  /** Operations per measured run. */
  operations: number
  /** Measured repetitions; each runs every contender once, in a rotated order. @default 7 */
  repetitions?: number
  /** Unmeasured runs per contender first, for the JIT. @default 1 */
  warmups?: number
}

/** The median and spread of one figure over the repetitions. */
export interface Spread {
  median: number
  min: number
  max: number
}

export interface ContenderResult {
  name: string
  /** Operations per second, by wall clock. */
  opsPerSecond: Spread
  /** Client CPU (user + system) per operation, in microseconds. */
  cpuMicrosPerOp: Spread
  /** opsPerSecond ÷ the baseline's, per repetition. Above 1 is faster than the baseline. */
  speedRatio: Spread
  /** cpuMicrosPerOp ÷ the baseline's, per repetition. Below 1 costs less CPU than the baseline. */
  cpuRatio: Spread
}

export function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  const median = sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]! }
}

interface Sample {
  opsPerSecond: number
  cpuMicrosPerOp: number
}

async function measure(contender: Contender, operations: number): Promise<Sample> {
  const cpuBefore = process.cpuUsage()
  const start = process.hrtime.bigint()
  await contender.run(operations)
  const elapsedNs = Number(process.hrtime.bigint() - start)
  const cpu = process.cpuUsage(cpuBefore)
  return { opsPerSecond: operations / (elapsedNs / 1e9), cpuMicrosPerOp: (cpu.user + cpu.system) / operations }
}

/**
 * Measures every contender, interleaved and rotated, and returns each one's spread and ratios.
 *
 * @example
 * const results = await compare({ baseline: 'floor', operations: 10_000, contenders: [floor, ours] })
 */
export async function compare(options: CompareOptions): Promise<ContenderResult[]> {
  const { contenders, operations, baseline } = options
  const repetitions = options.repetitions ?? 7
  if (!contenders.some((contender) => contender.name === baseline)) throw new Error(`no contender named ${baseline}`)
  for (let i = 0; i < (options.warmups ?? 1); i++) {
    for (const contender of contenders) await contender.run(operations)
  }
  const samples = new Map<string, Sample[]>(contenders.map((contender) => [contender.name, []]))
  for (let repetition = 0; repetition < repetitions; repetition++) {
    // Rotate, so no contender always runs first (cold) or right after the same neighbour.
    const order = contenders.map((_, index) => contenders[(index + repetition) % contenders.length]!)
    for (const contender of order) samples.get(contender.name)!.push(await measure(contender, operations))
  }
  const base = samples.get(baseline)!
  return contenders.map((contender) => {
    const own = samples.get(contender.name)!
    return {
      name: contender.name,
      opsPerSecond: spread(own.map((sample) => sample.opsPerSecond)),
      cpuMicrosPerOp: spread(own.map((sample) => sample.cpuMicrosPerOp)),
      speedRatio: spread(own.map((sample, index) => sample.opsPerSecond / base[index]!.opsPerSecond)),
      cpuRatio: spread(own.map((sample, index) => sample.cpuMicrosPerOp / base[index]!.cpuMicrosPerOp)),
    }
  })
}

const round = (value: number, digits: number) => {
  if (value >= 1000) return Math.round(value).toLocaleString('en-US')
  return value.toFixed(digits)
}

/** `median (min–max)`, in a table cell. */
export function formatSpread(value: Spread, digits = 2): string {
  return `${round(value.median, digits)} (${round(value.min, digits)}–${round(value.max, digits)})`
}

/** The results as a Markdown table, ratios against `baseline`. */
export function resultsTable(results: ContenderResult[], baseline: string): string {
  const rows = [
    `| contender | ops/s | ratio to ${baseline} | client CPU µs/op | CPU ratio |`,
    '| --- | --- | --- | --- | --- |',
    ...results.map(
      (result) =>
        `| ${result.name} | ${formatSpread(result.opsPerSecond, 0)} | ${formatSpread(result.speedRatio)}× | ${formatSpread(result.cpuMicrosPerOp)} | ${formatSpread(result.cpuRatio)}× |`,
    ),
  ]
  return rows.join('\n')
}
