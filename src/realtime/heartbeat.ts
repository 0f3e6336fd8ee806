/**
 * Internal: the heartbeat and dead-link rule of one connection, without timers or I/O. The engine
 * asks it what to do when its one heartbeat timer fires, and re-arms that timer for {@link Heartbeat.due}.
 *
 * A ping goes out every `interval`; the link is dead when nothing at all arrived for
 * `interval + timeout`. One timer serves both, due at whichever comes first, so a black hole is
 * found within `interval + timeout` of the last frame, not a whole interval later.
 */
export class Heartbeat {
  /** When the timer should fire next (epoch ms): the next ping or the deadline, whichever is first. */
  due: number
  #deadline: number
  #nextPing: number

  /** Starts the rule on a connection that opened at `at`. */
  constructor(
    readonly interval: number,
    readonly timeout: number,
    at: number,
  ) {
    this.#deadline = at + interval + timeout
    this.due = this.#nextPing = at + interval
  }

  /** A frame arrived at `at`: any frame at all proves the link alive. */
  heard(at: number): void {
    this.#deadline = at + this.interval + this.timeout
  }

  /**
   * The timer fired at `at`. `dead`: the link is silent past its deadline; `ping`: send a ping now;
   * `wait`: nothing to do. Unless dead, re-arm for {@link due}.
   */
  tick(at: number): 'dead' | 'ping' | 'wait' {
    const skew = at - this.due
    if (skew < 0) {
      // The wall clock went back: keep the same real-time budgets.
      this.#deadline += skew
      this.#nextPing += skew
    } else if (skew > this.timeout) {
      // The tick ran far too late (the machine slept, or a background tab's timers were throttled):
      // the silence measured may be ours, not the link's. Probe now and judge on the answer.
      this.#deadline = at + this.timeout
      this.#nextPing = at
    } else if (at >= this.#deadline) return 'dead'
    const ping = at >= this.#nextPing
    if (ping) this.#nextPing = at + this.interval
    this.due = Math.min(this.#nextPing, this.#deadline)
    return ping ? 'ping' : 'wait'
  }

  /** A ping was sent at `at` out of turn (a hidden page shown again): allow only the timeout for an answer. */
  probe(at: number): void {
    this.#deadline = Math.min(this.#deadline, at + this.timeout)
    this.due = Math.min(this.#nextPing, this.#deadline)
  }
}
