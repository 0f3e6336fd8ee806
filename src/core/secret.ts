/**
 * Keeping credentials out of output. A {@link Secret} holds a value (a string, or a credential option) in a private field and prints as
 * `[redacted]` everywhere (String, JSON, util.inspect); a {@link Redactor} scrubs known secret values
 * from any text before it is logged.
 */

const INSPECT = Symbol.for('nodejs.util.inspect.custom')
const REDACTED = '[redacted]'

/**
 * A credential that never prints. Call `reveal()` at the one place that needs the value.
 *
 * @example
 * const key = new Secret('sk_live_…'); String(key) // '[redacted]'
 */
export class Secret<T = string> {
  readonly #value: T

  constructor(value: T) {
    this.#value = value
  }

  /** The value itself. Use it; never log it. */
  reveal(): T {
    return this.#value
  }

  /** Always `'[redacted]'`, so string interpolation never leaks the value. */
  toString(): string {
    return REDACTED
  }

  /** Always `'[redacted]'`, so `JSON.stringify` never leaks the value. */
  toJSON(): string {
    return REDACTED
  }

  /** `Secret([redacted])` for Node's `util.inspect` and `console.log`. */
  [INSPECT](): string {
    return `Secret(${REDACTED})`
  }
}

/** The shortest value worth scrubbing: shorter strings would redact ordinary words. */
const MIN_REDACTABLE_LENGTH = 6

/**
 * Scrubs every known secret value out of a text. Auth registers each token it obtains, the config
 * registers the static ones, and the logger runs every line through it.
 */
export class Redactor {
  readonly #values = new Set<string>()

  /** Remembers a secret value so it is scrubbed from now on. Values under 6 characters are ignored: they would redact ordinary words. */
  add(value: string): void {
    if (value.length >= MIN_REDACTABLE_LENGTH) this.#values.add(value)
  }

  /** The text with every known secret replaced by `[redacted]`. */
  redact(text: string): string {
    let out = text
    for (const value of this.#values) {
      if (out.includes(value)) out = out.split(value).join(REDACTED)
    }
    return out
  }

  /**
   * A copy of `value` with every known secret scrubbed from its strings, for what gets printed with
   * a log line or an error (a server may echo a credential back in its error body). Arrays and plain
   * objects are copied; an Error becomes `{ name, message }`; anything nested deeper than `maxDepth`
   * (a cycle included) becomes `'[…]'`.
   */
  scrub(value: unknown, maxDepth = 6): unknown {
    return this.#scrub(value, maxDepth)
  }

  #scrub(value: unknown, depthLeft: number): unknown {
    if (typeof value === 'string') return this.redact(value)
    if (typeof value !== 'object' || value === null) return value
    if (depthLeft <= 0) return '[…]'
    if (Array.isArray(value)) return value.map((item) => this.#scrub(item, depthLeft - 1))
    if (value instanceof Error) return { name: value.name, message: this.redact(value.message) }
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) out[key] = this.#scrub(item, depthLeft - 1)
    return out
  }

  /** `Redactor(<n> values)` for Node's `util.inspect`: how many values it knows, never the values. */
  [INSPECT](): string {
    return `Redactor(${this.#values.size} values)`
  }
}
