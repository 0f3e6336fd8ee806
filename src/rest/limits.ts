/**
 * Reads a server's rate-limit announcement from response headers, in the three styles servers use:
 * the IETF fields (`RateLimit` / `RateLimit-Policy`, draft-ietf-httpapi-ratelimit-headers, as a
 * list of named policies `"default";r=50;t=30` or the older dictionary `limit=…, remaining=…,
 * reset=…`), the separate `RateLimit-Limit` / `-Remaining` / `-Reset`, and `X-RateLimit-*` (GitHub:
 * reset as epoch seconds, `X-RateLimit-Resource` naming the policy). Pure functions: bad input
 * gives `undefined` fields, never a throw and never a wait past a day.
 */
import type { RateLimitInfo } from '../core/index.js'

// A reset or window further away than a day is not believed: a bad or hostile header must not park calls.
const MAX_RESET_MS = 86_400_000
// Reset values at or past 2024 are epoch seconds, not deltas (the cut ky and retry.ts make).
const EPOCH_THRESHOLD_SECONDS = Date.parse('2024-01-01') / 1000
const WHOLE = /^\d{1,15}$/
const DECIMAL = /^\d{1,15}(?:\.\d{1,9})?$/
// The IETF fields as servers mostly send them, one policy written exactly so (perf:
// docs/performance.md#rest-budget-parsing); anything else takes the general parser.
const ONE_LIMIT = /^"([^",;=\\]*)";r=(\d{1,15});t=(\d{1,15})$/
const ONE_POLICY = /^"([^",;=\\]*)";q=(\d{1,15});w=(\d{1,15})$/

/**
 * What the budget reads from one response: {@link RateLimitInfo}'s fields, and whether `reset` came
 * as delta seconds (which servers round up to a whole second) rather than as an epoch time.
 */
export interface RateLimitReading {
  policy: string | undefined
  limit: number | undefined
  remaining: number | undefined
  reset: number | undefined
  window: number | undefined
  /** `reset` came as delta seconds: a late bound of the real reset, by up to a second. */
  delta: boolean
}

/** A non-negative whole number, or undefined. */
function whole(value: string | null | undefined): number | undefined {
  if (value == null) return undefined
  const trimmed = value.trim()
  return WHOLE.test(trimmed) ? Number(trimmed) : undefined
}

/** A non-negative number of seconds, or undefined. */
function seconds(value: string | null | undefined): number | undefined {
  if (value == null) return undefined
  const trimmed = value.trim()
  return DECIMAL.test(trimmed) ? Number(trimmed) : undefined
}

/** A reset in milliseconds from `now`: delta seconds, or epoch seconds where allowed; past epochs are 0. */
function resetMs(value: string | null | undefined, allowEpoch: boolean, now: number): number | undefined {
  const read = seconds(value)
  if (read === undefined) return undefined
  const ms = allowEpoch && read >= EPOCH_THRESHOLD_SECONDS ? Math.max(0, read * 1000 - now) : read * 1000
  return ms <= MAX_RESET_MS ? Math.ceil(ms) : undefined
}

/** Delta seconds already matched as digits, in milliseconds; undefined past a day (what {@link resetMs} gives them). */
function deltaMs(digits: string): number | undefined {
  const ms = Number(digits) * 1000
  return ms <= MAX_RESET_MS ? ms : undefined
}

/** Duplicated headers arrive joined with ", "; the most restrictive value wins (smallest). */
function smallest(value: string | null, read: (part: string) => number | undefined): number | undefined {
  if (value === null) return undefined
  if (!value.includes(',')) return read(value)
  let best: number | undefined
  for (const part of value.split(',')) {
    const read_ = read(part)
    if (read_ !== undefined && (best === undefined || read_ < best)) best = read_
  }
  return best
}

/** The value of parameter `key` among a structured-field member's `;`-separated parts (its name first). */
function parameter(parts: readonly string[], key: string): string | undefined {
  for (let index = 1; index < parts.length; index++) {
    const part = parts[index]!
    const at = part.indexOf('=')
    if (at > 0 && part.slice(0, at).trim().toLowerCase() === key) return part.slice(at + 1).trim()
  }
  return undefined
}

/** A member's bare name: a token, or a quoted string without its quotes. */
function bare(head: string): string {
  const name = head.trim()
  return name.length >= 2 && name.startsWith('"') && name.endsWith('"') ? name.slice(1, -1) : name
}

/** Limit, remaining and reset made consistent (remaining never above the limit); `undefined` when none was read. */
function reading(policy: string | undefined, limit: number | undefined, remaining: number | undefined, reset: number | undefined, delta: boolean): RateLimitReading | undefined {
  if (limit === undefined && remaining === undefined && reset === undefined) return undefined
  if (limit !== undefined && remaining !== undefined && remaining > limit) remaining = limit
  // Every field present, so every reading has one shape (perf: docs/performance.md#rest-budget-parsing).
  return { policy: policy || undefined, limit, remaining, reset, window: undefined, delta: delta && reset !== undefined }
}

// The last RateLimit-Policy field read and its match: a server sends the same one on every answer.
let lastPolicyField: string | undefined
let lastPolicy: RegExpExecArray | null = null

/** {@link ONE_POLICY}'s match of `field`, remembered for the next answer (perf: docs/performance.md#rest-budget-parsing). */
function onePolicy(field: string): RegExpExecArray | null {
  if (field !== lastPolicyField) {
    lastPolicy = ONE_POLICY.exec(field)
    lastPolicyField = field
  }
  return lastPolicy
}

/** The IETF `RateLimit` field: a list of policies (the most restrictive one), or the older dictionary. */
function ietf(field: string, policyField: string | null): RateLimitReading | undefined {
  const one = ONE_LIMIT.exec(field)
  const policy = one === null || policyField === null ? null : onePolicy(policyField)
  if (one !== null && (policyField === null || policy !== null)) {
    // The general parser's answer for the same input, without splitting it into parts.
    const named = policy !== null && policy[1] === one[1]
    const read = reading(one[1], named ? Number(policy[2]) : undefined, Number(one[2]), deltaMs(one[3]!), true)!
    const window = named ? Number(policy[3]) : 0
    if (window > 0 && window * 1000 <= MAX_RESET_MS) read.window = window * 1000
    return read
  }
  const members = field.split(',').map((member) => member.split(';'))
  const dictionary = new Map<string, string>()
  for (const parts of members) {
    const name = bare(parts[0]!)
    const at = name.indexOf('=')
    if (at > 0) dictionary.set(name.slice(0, at).trim().toLowerCase(), name.slice(at + 1).trim())
  }
  if (dictionary.size > 0) {
    return reading(undefined, smallest(dictionary.get('limit') ?? null, whole), smallest(dictionary.get('remaining') ?? null, whole), resetMs(dictionary.get('reset'), false, 0), true)
  }
  const policies = policyField === null ? [] : policyField.split(',').map((member) => member.split(';'))
  let best: RateLimitReading | undefined
  for (const parts of members) {
    const name = bare(parts[0]!)
    // The policy's quota (`q`) and window (`w`, in seconds) are in RateLimit-Policy.
    const policy = policies.find((candidate) => bare(candidate[0]!) === name)
    const candidate = reading(name, policy && whole(parameter(policy, 'q')), whole(parameter(parts, 'r')), resetMs(parameter(parts, 't'), false, 0), true)
    if (candidate === undefined) continue
    const window = policy && seconds(parameter(policy, 'w'))
    if (window !== undefined && window > 0 && window * 1000 <= MAX_RESET_MS) candidate.window = window * 1000
    const rank = candidate.remaining ?? Infinity
    if (best === undefined || rank < (best.remaining ?? Infinity) || (rank === (best.remaining ?? Infinity) && (candidate.reset ?? 0) > (best.reset ?? 0))) best = candidate
  }
  return best
}

/**
 * What the budget reads from a response's limit headers: {@link parseRateLimit}'s fields, and
 * whether the reset came as delta seconds. Internal.
 */
export function readRateLimit(headers: Headers, now: number): RateLimitReading | undefined {
  const field = headers.get('ratelimit')
  if (field !== null) {
    const parsed = ietf(field, headers.get('ratelimit-policy'))
    if (parsed) return parsed
  }
  for (const prefix of ['ratelimit-', 'x-ratelimit-']) {
    const resetField = headers.get(`${prefix}reset`)
    const parsed = reading(
      prefix === 'x-ratelimit-' ? (headers.get('x-ratelimit-resource') ?? undefined) : undefined,
      smallest(headers.get(`${prefix}limit`), whole),
      smallest(headers.get(`${prefix}remaining`), whole),
      smallest(resetField, (part) => resetMs(part, true, now)),
      resetField !== null && (seconds(resetField.split(',')[0]) ?? 0) < EPOCH_THRESHOLD_SECONDS,
    )
    if (parsed) return parsed
  }
  return undefined
}

/**
 * The rate limit a response announces, or `undefined` when it announces none (or nothing readable).
 * `reset` is in milliseconds from `now`.
 *
 * @example
 * parseRateLimit(new Headers({ ratelimit: '"default";r=0;t=30' })) // { policy: 'default', remaining: 0, reset: 30000 }
 */
export function parseRateLimit(headers: Headers, now: number = Date.now()): RateLimitInfo | undefined {
  const read = readRateLimit(headers, now)
  if (read === undefined) return undefined
  // Only the fields that were read: `{ remaining: 0 }`, not `{ policy: undefined, … }`.
  return Object.fromEntries(Object.entries(read).filter(([name, value]) => name !== 'delta' && value !== undefined)) as RateLimitInfo
}
