import type { Clock } from './options.js'

/**
 * The client's timers, one per purpose. Arming a slot replaces its timer, so a timer can never be
 * forgotten or doubled, and `clear()` provably ends them all.
 */
export class TimerSlots<Slot extends string> {
  readonly #clock: Clock
  readonly #handles = new Map<Slot, unknown>()

  constructor(clock: Clock) {
    this.#clock = clock
  }

  /** Runs `callback` after `ms` (at least 0), replacing any timer in the slot. */
  arm(slot: Slot, ms: number, callback: () => void): void {
    this.disarm(slot)
    const handle = this.#clock.setTimeout(() => {
      this.#handles.delete(slot)
      callback()
    }, Math.max(0, ms))
    this.#handles.set(slot, handle)
  }

  disarm(slot: Slot): void {
    if (!this.#handles.has(slot)) return
    this.#clock.clearTimeout(this.#handles.get(slot))
    this.#handles.delete(slot)
  }

  has(slot: Slot): boolean {
    return this.#handles.has(slot)
  }

  /** The armed slots. */
  names(): Slot[] {
    return [...this.#handles.keys()]
  }

  clear(): void {
    for (const slot of this.names()) this.disarm(slot)
  }
}
