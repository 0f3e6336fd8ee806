/** Internal: checking the options both verifiers share, once, when the verifier is built. */
import { ConfigError } from '../core/errors.js'
import type { ReplayStore } from './replay.js'

/** Replay protection settings. */
export interface ReplayOptions {
  /** Where accepted delivery ids are remembered. */
  store: ReplayStore
  /**
   * How long an id is remembered, in seconds.
   * @default past + future tolerance for timestamped schemes (older deliveries fail the timestamp check anyway); 86400 for GitHub and Shopify
   */
  ttl?: number
}

/** How far a signed timestamp may be from now, in seconds. */
export interface Tolerance {
  /**
   * How old a delivery may be.
   * @default 300
   */
  past?: number
  /**
   * How far ahead of this server's clock a delivery may be (clock skew).
   * @default 300
   */
  future?: number
}

function seconds(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ConfigError(field, 'must be a number of seconds, 0 or more')
  }
  return value
}

/**
 * Refuses a key that is not in `names` (a misspelling is an error, not a silently ignored option),
 * then checks `tolerance`, `now`, `replay` and `crypto`. `prefix` names the section for the client.
 */
export function checkCommonOptions(options: Record<string, unknown>, names: readonly string[], prefix: string): void {
  for (const key of Object.keys(options)) {
    if (!names.includes(key)) throw new ConfigError(prefix + key, `is not a webhooks option (known: ${names.join(', ')})`)
  }
  const { tolerance, now, replay, crypto } = options
  if (tolerance !== undefined) {
    if (typeof tolerance === 'object' && tolerance !== null) {
      const { past, future } = tolerance as Tolerance
      if (past !== undefined) seconds(`${prefix}tolerance.past`, past)
      if (future !== undefined) seconds(`${prefix}tolerance.future`, future)
    } else {
      seconds(`${prefix}tolerance`, tolerance)
    }
  }
  if (now !== undefined && typeof now !== 'function') throw new ConfigError(`${prefix}now`, 'must be a function returning milliseconds')
  if (replay !== undefined) {
    const store = (replay as { store?: unknown }).store ?? replay
    if (typeof (store as { claim?: unknown } | null)?.claim !== 'function') {
      throw new ConfigError(`${prefix}replay`, 'must be a ReplayStore (with claim(id, ttl)) or { store, ttl }')
    }
    const ttl = (replay as ReplayOptions).ttl
    if (ttl !== undefined && seconds(`${prefix}replay.ttl`, ttl) === 0) throw new ConfigError(`${prefix}replay.ttl`, 'must be more than 0')
  }
  if (crypto !== undefined && crypto !== 'auto' && crypto !== 'node' && crypto !== 'web') {
    throw new ConfigError(`${prefix}crypto`, "must be 'auto', 'node' or 'web'")
  }
}

/** `{ store, ttl }` from either spelling of the `replay` option. */
export function replayOptions(replay: ReplayStore | ReplayOptions | undefined): ReplayOptions | undefined {
  return replay === undefined ? undefined : 'store' in replay ? replay : { store: replay }
}
