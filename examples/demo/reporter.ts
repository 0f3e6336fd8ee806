/**
 * The demo's console output: one line per step saying what happens and through which mechanism, a
 * spinner while waiting (only on a terminal; piped output stays clean), and a summary at the end.
 * With `json: true` nothing but the summary is printed, as JSON.
 */

export type Mechanism = 'rest' | 'webhooks' | 'realtime' | 'platform' | 'demo'

const TAGS: Record<Mechanism, string> = {
  rest: 'REST     ',
  webhooks: 'webhooks ',
  realtime: 'realtime ',
  platform: 'platform ',
  demo: 'demo     ',
}

const COLORS: Record<Mechanism, number> = { rest: 34, webhooks: 35, realtime: 36, platform: 33, demo: 37 }
const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏']

export interface ReporterOptions {
  json: boolean
  /** Where lines go. @default process.stdout */
  out?: NodeJS.WriteStream
}

export class Reporter {
  readonly #json: boolean
  readonly #out: NodeJS.WriteStream
  readonly #tty: boolean
  readonly #started = performance.now()

  constructor(options: ReporterOptions) {
    this.#json = options.json
    this.#out = options.out ?? process.stdout
    this.#tty = Boolean(this.#out.isTTY) && !options.json
  }

  #paint(mechanism: Mechanism, text: string): string {
    return this.#tty ? `\x1b[${COLORS[mechanism]}m${text}\x1b[0m` : text
  }

  #elapsed(): string {
    return `${((performance.now() - this.#started) / 1000).toFixed(2).padStart(6)}s`
  }

  /** A step: what happened, through which mechanism. */
  step(mechanism: Mechanism, message: string): void {
    if (this.#json) return
    this.#out.write(`${this.#elapsed()}  ${this.#paint(mechanism, TAGS[mechanism])} ${message}\n`)
  }

  /** A step that failed on purpose (a tampered webhook refused): shown with a cross. */
  refused(mechanism: Mechanism, message: string): void {
    this.step(mechanism, `✗ ${message}`)
  }

  /**
   * Shows a spinner with `label` until `work` settles, then clears it. Off a terminal it prints
   * nothing extra, so logs and CI output stay one line per step.
   */
  async wait<T>(mechanism: Mechanism, label: string, work: Promise<T>): Promise<T> {
    if (!this.#tty) return work
    let frame = 0
    const draw = () => this.#out.write(`\r${this.#elapsed()}  ${this.#paint(mechanism, TAGS[mechanism])} ${FRAMES[frame++ % FRAMES.length]} ${label}`)
    draw()
    const timer = setInterval(draw, 80)
    try {
      return await work
    } finally {
      clearInterval(timer)
      this.#out.write('\r\x1b[2K')
    }
  }

  /** The closing summary: a table on a terminal or in logs, one JSON object with `json`. */
  summary(summary: Record<string, number | string | boolean>): void {
    if (this.#json) {
      this.#out.write(`${JSON.stringify(summary)}\n`)
      return
    }
    const width = Math.max(...Object.keys(summary).map((key) => key.length))
    this.#out.write('\nsummary\n')
    for (const [key, value] of Object.entries(summary)) this.#out.write(`  ${key.padEnd(width)}  ${value}\n`)
  }

  /** A failure: always printed (to stderr), JSON mode included. */
  fail(message: string): void {
    process.stderr.write(`demo failed: ${message}\n`)
  }
}
