/**
 * Internal: the heartbeat and dead-link rule of one connection, without timers or I/O. The engine
 * asks it what to do when its one heartbeat timer fires, and re-arms that timer for `due()`.
 *
 * A ping goes out every `interval`; the link is dead when nothing at all arrived for
 * `interval + timeout`. One timer serves both, due at whichever comes first, so a black hole is
 * found within `interval + timeout` of the last frame, not a whole interval later.
 */
export interface Heartbeat {
  /** A frame arrived at `at`: any frame at all proves the link alive. */
  heard(at: number): void
  /**
   * The timer fired at `at`. `dead`: the link is silent past its deadline; `ping`: send a ping now;
   * `wait`: nothing to do. Unless dead, re-arm for `due()`.
   */
  tick(at: number): 'dead' | 'ping' | 'wait'
  /** A ping was sent at `at` out of turn (a hidden page shown again): allow only the timeout for an answer. */
  probe(at: number): void
  /** When the timer should fire next (epoch ms): the next ping or the deadline, whichever is first. */
  due(): number
}

/** Starts the rule on a connection that opened at `at`. */
export function createHeartbeat(interval: number, timeout: number, at: number): Heartbeat {
  let deadline = at + interval + timeout
  let nextPing = at + interval
  let due = nextPing
  return {
    heard(at) {
      deadline = at + interval + timeout
    },
    tick(at) {
      const skew = at - due
      if (skew < 0) {
        // The wall clock went back: keep the same real-time budgets.
        deadline += skew
        nextPing += skew
      } else if (skew > timeout) {
        // The tick ran far too late (the machine slept, or a background tab's timers were throttled):
        // the silence measured may be ours, not the link's. Probe now and judge on the answer.
        deadline = at + timeout
        nextPing = at
      } else if (at >= deadline) return 'dead'
      const ping = at >= nextPing
      if (ping) nextPing = at + interval
      due = Math.min(nextPing, deadline)
      return ping ? 'ping' : 'wait'
    },
    probe(at) {
      deadline = Math.min(deadline, at + timeout)
      due = Math.min(nextPing, deadline)
    },
    due: () => due,
  }
}
