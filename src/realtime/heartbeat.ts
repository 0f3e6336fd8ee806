import type { Clock } from './options.js'
import type { TimerSlots } from './timers.js'

/**
 * Liveness of one connection: a ping every `interval`, and a verdict of "dead" when nothing at all
 * arrived for `interval + timeout`. One timer serves both, firing at whichever is due first, so a
 * black hole is found within interval + timeout of the last frame, not a whole interval later.
 */
export class Heartbeat {
  readonly #timers: TimerSlots<'heartbeat'>
  readonly #clock: Clock
  readonly #timeout: number
  readonly #ping: (now: number) => void
  readonly #dead: (silentMs: number) => void
  #interval = 0
  #deadline = 0
  #nextPing = 0
  #due = 0

  constructor(
    timers: TimerSlots<'heartbeat'>,
    clock: Clock,
    timeout: number,
    ping: (now: number) => void,
    dead: (silentMs: number) => void,
  ) {
    this.#timers = timers
    this.#clock = clock
    this.#timeout = timeout
    this.#ping = ping
    this.#dead = dead
  }

  /** Starts for a new connection; stopping is disarming the `heartbeat` slot. */
  start(interval: number): void {
    const now = this.#clock.now()
    this.#interval = interval
    this.#deadline = now + interval + this.#timeout
    this.#nextPing = now + interval
    this.#schedule(now)
  }

  /** Any frame at all proves the link alive. Called for every frame, so it stays this small. */
  received(): void {
    this.#deadline = this.#clock.now() + this.#interval + this.#timeout
  }

  /** Asks at once and allows only `timeout` for an answer (a hidden page shown again). */
  probe(): void {
    const now = this.#clock.now()
    this.#ping(now)
    this.#deadline = Math.min(this.#deadline, now + this.#timeout)
    this.#schedule(now)
  }

  readonly #beat = (): void => {
    const now = this.#clock.now()
    const skew = now - this.#due
    if (skew < 0) {
      // The wall clock went back: keep the same real-time budgets.
      this.#deadline += skew
      this.#nextPing += skew
    } else if (skew > this.#timeout) {
      // The tick ran far too late (the machine slept, or a background tab's timers were throttled):
      // the silence measured may be ours, not the link's. Probe now and judge on the answer.
      this.#deadline = now + this.#timeout
      this.#nextPing = now
    } else if (now >= this.#deadline) {
      this.#dead(this.#interval + this.#timeout)
      return
    }
    if (now >= this.#nextPing) {
      this.#ping(now)
      this.#nextPing = now + this.#interval
    }
    this.#schedule(now)
  }

  #schedule(now: number): void {
    this.#due = Math.min(this.#nextPing, this.#deadline)
    this.#timers.arm('heartbeat', this.#due - now, this.#beat)
  }
}
