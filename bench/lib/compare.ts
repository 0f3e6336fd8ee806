/**
 * The one measuring engine of every bench: contenders run in interleaved repetitions with the order
 * rotated each time, and every figure is also a ratio to the baseline measured in the same
 * repetition. The machines are shared and noisy; a ratio taken seconds apart survives that noise,
 * an absolute number alone does not.
 */

/**
 * One thing being measured. `run(n, latency)` performs n operations and resolves when they are done;
 * a contender that wants p50/p99 times each operation with `latency` (see {@link LatencySampler}).
 */
export interface Contender {
  name: string
  run: (operations: number, latency: LatencySampler) => Promise<void> | void
  /**
   * Take this contender's ratios against another contender instead of the run's baseline, e.g. a
   * verifier that also parses JSON against the floor that also parses. @default the run's baseline
   */
  baseline?: string
}

/**
 * Per-operation latency, for contenders whose operations overlap (requests in flight): wall time per
 * operation is then not 1 / rate, so each one is timed on its own.
 *
 * @example
 * const started = latency.start(); await call(); latency.stop(started)
 */
export interface LatencySampler {
  /** A timestamp to hand back to `stop` when the operation is done. */
  start(): number
  stop(started: number): void
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
  /** The contender these ratios are taken against. */
  baseline: string
  /** The raw figures, one per repetition in repetition order, for ratios between any two contenders ({@link pairedRatio}). */
  repetitions: { opsPerSecond: number[]; cpuMicrosPerOp: number[] }
  /** Per-operation latency in ms, when the contender sampled it: each repetition's percentile, spread over repetitions. */
  latency?: { p50: Spread; p99: Spread }
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
  p50?: number
  p99?: number
}

/** The value below which `fraction` of the sorted values lie (nearest rank). */
function percentile(sorted: Float64Array, fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!
}

/** Records into a buffer allocated before the clock starts, so sampling costs two clock reads and a store. */
class Sampler implements LatencySampler {
  readonly #times: Float64Array
  count = 0
  constructor(capacity: number) {
    this.#times = new Float64Array(capacity)
  }
  start(): number {
    return performance.now()
  }
  stop(started: number): void {
    if (this.count < this.#times.length) this.#times[this.count++] = performance.now() - started
  }
  percentiles(): { p50: number; p99: number } | undefined {
    if (this.count === 0) return undefined
    const sorted = this.#times.subarray(0, this.count).sort()
    return { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) }
  }
}

/** Present when Node runs with --expose-gc, as the bench scripts do. */
const collectGarbage = (globalThis as { gc?: () => void }).gc

async function measure(contender: Contender, operations: number): Promise<Sample> {
  const sampler = new Sampler(operations)
  // The previous contender's garbage is collected before this one's clock starts, not charged to it.
  collectGarbage?.()
  const cpuBefore = process.cpuUsage()
  const start = process.hrtime.bigint()
  await contender.run(operations, sampler)
  const elapsedNs = Number(process.hrtime.bigint() - start)
  const cpu = process.cpuUsage(cpuBefore)
  return { opsPerSecond: operations / (elapsedNs / 1e9), cpuMicrosPerOp: (cpu.user + cpu.system) / operations, ...sampler.percentiles() }
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
  for (const name of [baseline, ...contenders.map((contender) => contender.baseline ?? baseline)]) {
    if (!contenders.some((contender) => contender.name === name)) throw new Error(`no contender named ${name}`)
  }
  for (let i = 0; i < (options.warmups ?? 1); i++) {
    for (const contender of contenders) await contender.run(operations, new Sampler(0))
  }
  const samples = new Map<string, Sample[]>(contenders.map((contender) => [contender.name, []]))
  for (let repetition = 0; repetition < repetitions; repetition++) {
    // Rotate, so no contender always runs first (cold) or right after the same neighbour.
    const order = contenders.map((_, index) => contenders[(index + repetition) % contenders.length]!)
    for (const contender of order) samples.get(contender.name)!.push(await measure(contender, operations))
  }
  return contenders.map((contender) => {
    const own = samples.get(contender.name)!
    const against = contender.baseline ?? baseline
    const base = samples.get(against)!
    const result: ContenderResult = {
      name: contender.name,
      opsPerSecond: spread(own.map((sample) => sample.opsPerSecond)),
      cpuMicrosPerOp: spread(own.map((sample) => sample.cpuMicrosPerOp)),
      speedRatio: spread(own.map((sample, index) => sample.opsPerSecond / base[index]!.opsPerSecond)),
      cpuRatio: spread(own.map((sample, index) => sample.cpuMicrosPerOp / base[index]!.cpuMicrosPerOp)),
      baseline: against,
      repetitions: { opsPerSecond: own.map((sample) => sample.opsPerSecond), cpuMicrosPerOp: own.map((sample) => sample.cpuMicrosPerOp) },
    }
    if (own.every((sample) => sample.p50 !== undefined)) {
      result.latency = { p50: spread(own.map((sample) => sample.p50!)), p99: spread(own.map((sample) => sample.p99!)) }
    }
    return result
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

/** What one operation is called in a table: `{ one: 'verify', many: 'verifies' }`. @default ops */
export interface OperationName {
  one: string
  many: string
}

/**
 * The results as a Markdown table. Ratios are against `baseline`, or against a contender's own
 * baseline, named in the cell. p50/p99 columns appear when the contenders sampled latency.
 */
export function resultsTable(results: ContenderResult[], baseline: string, operation: OperationName = { one: 'op', many: 'ops' }): string {
  const latency = results.some((result) => result.latency)
  const against = (result: ContenderResult) => (result.baseline === baseline ? '×' : `× ${result.baseline}`)
  const rows = [
    `| contender | ${operation.many}/s | ratio to ${baseline} | client CPU µs/${operation.one} | CPU ratio |${latency ? ' p50 ms | p99 ms |' : ''}`,
    `| --- | --- | --- | --- | --- |${latency ? ' --- | --- |' : ''}`,
    ...results.map((result) => {
      const cells = [
        result.name,
        formatSpread(result.opsPerSecond, 0),
        `${formatSpread(result.speedRatio)}${against(result)}`,
        formatSpread(result.cpuMicrosPerOp),
        `${formatSpread(result.cpuRatio)}${against(result)}`,
      ]
      if (latency) cells.push(result.latency ? formatSpread(result.latency.p50, 3) : '', result.latency ? formatSpread(result.latency.p99, 3) : '')
      return `| ${cells.join(' | ')} |`
    }),
  ]
  return rows.join('\n')
}

/** One contender's result by name; throws on a typo rather than quoting `undefined`. */
export function resultOf(results: ContenderResult[], name: string): ContenderResult {
  const found = results.find((result) => result.name === name)
  if (!found) throw new Error(`no result named ${name}`)
  return found
}

/**
 * `a`'s figure ÷ `b`'s, taken per repetition (the two ran seconds apart) and spread over repetitions:
 * the honest way to compare two contenders neither of which is the baseline.
 *
 * @example
 * pairedRatio(results, '@wirekit/sdk', 'svix', 'opsPerSecond') // 3.1 (2.9–3.3): 3.1× svix's rate
 */
export function pairedRatio(results: ContenderResult[], a: string, b: string, figure: 'opsPerSecond' | 'cpuMicrosPerOp'): Spread {
  const mine = resultOf(results, a).repetitions[figure]
  const theirs = resultOf(results, b).repetitions[figure]
  return spread(mine.map((value, index) => value / theirs[index]!))
}
