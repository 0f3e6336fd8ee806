/**
 * Internal: what the client does after a connection ends, by close code (docs/protocol.md, "Close
 * codes"). Pure, so it is property-tested on its own; the engine carries the answer out.
 */
import type { CloseCode } from '../core/protocol.js'

/**
 * - `shut down`: fatal, never retried (4403);
 * - `refresh` / `refresh now`: forget the refused token and ask the provider again; the same token
 *   again is fatal. With `now`, reconnect at once with the fresh token instead of after the backoff;
 * - a number: reconnect after at least that many ms (the server asked for it) plus the backoff.
 */
export type CloseAction = 'shut down' | 'refresh' | 'refresh now' | number

/**
 * Decides for a connection that ended with `code` (undefined when no close frame came: a dead link,
 * a connect timeout) and `reason`. `serverDelay` is the wait a `reconnect` frame asked for;
 * `attempt` counts the reconnects in a row so far.
 */
export function closePolicy(code: number | undefined, reason: string, attempt: number, serverDelay = 0): CloseAction {
  // The close codes of docs/protocol.md, as literals; `satisfies` ties each to CloseCode.
  switch (code) {
    case 4403 satisfies typeof CloseCode.forbidden:
      return 'shut down'
    case 4401 satisfies typeof CloseCode.unauthorized:
      return 'refresh'
    case 4001 satisfies typeof CloseCode.tokenExpired:
      // A fresh token fixes this at once; only a repeat waits for the backoff.
      return attempt === 0 ? 'refresh now' : 'refresh'
    case 4429 satisfies typeof CloseCode.tooManyRequests: {
      // The reason is the wait in milliseconds; anything else there means "the backoff alone".
      const wait = Number.parseInt(reason, 10)
      return Number.isFinite(wait) && wait >= 0 ? wait : 0
    }
  }
  return serverDelay
}
