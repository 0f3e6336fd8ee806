/**
 * Reads a server's rate-limit announcement from response headers, in the three styles servers use:
 * the IETF fields (`RateLimit` / `RateLimit-Policy`, draft-ietf-httpapi-ratelimit-headers, as a
 * list of named policies `"default";r=50;t=30` or the older dictionary `limit=…, remaining=…,
 * reset=…`), the separate `RateLimit-Limit` / `-Remaining` / `-Reset`, and `X-RateLimit-*` (GitHub:
 * reset as epoch seconds, `X-RateLimit-Resource` naming the policy). A pure function: bad input
 * gives `undefined` fields, never a throw and never a wait past a day.
 */
import type { RateLimitInfo } from '../core/index.js'

// A reset further away than a day is not believed: a bad or hostile header must not park calls.
const MAX_RESET_MS = 86_400_000
// Reset values at or past 2024 are epoch seconds, not deltas (the cut ky and retry.ts make).
const EPOCH_THRESHOLD_SECONDS = Date.parse('2024-01-01') / 1000
const WHOLE = /^\d{1,15}$/
const DECIMAL = /^\d{1,15}(?:\.\d{1,9})?$/

/** A non-negative whole number, or undefined. */
function whole(value: string | null | undefined): number | undefined {
  if (value == null) return undefined
  const trimmed = value.trim()
  return WHOLE.test(trimmed) ? Number(trimmed) : undefined
}

/** A reset in milliseconds from `now`: delta seconds, or epoch seconds where allowed; past epochs are 0. */
function resetMs(value: string | null | undefined, allowEpoch: boolean, now: number): number | undefined {
  if (value == null) return undefined
  const trimmed = value.trim()
  if (!DECIMAL.test(trimmed)) return undefined
  const seconds = Number(trimmed)
  const ms = allowEpoch && seconds >= EPOCH_THRESHOLD_SECONDS ? Math.max(0, seconds * 1000 - now) : seconds * 1000
  return ms <= MAX_RESET_MS ? Math.ceil(ms) : undefined
}

/** Duplicated headers arrive joined with ", "; the most restrictive value wins (smallest). */
function smallest(value: string | null, read: (part: string) => number | undefined): number | undefined {
  if (value === null) return undefined
  let best: number | undefined
  for (const part of value.split(',')) {
    const read_ = read(part)
    if (read_ !== undefined && (best === undefined || read_ < best)) best = read_
  }
  return best
}

/** One structured-field item: its bare name (a quoted string or token) and its parameters. */
interface Item {
  name: string
  params: Map<string, string>
}

/** A structured-field list or dictionary, parsed leniently: `name;a=1;b=2, other;…` or `key=value, …`. */
function items(value: string): Item[] {
  const out: Item[] = []
  for (const member of value.split(',')) {
    const [head = '', ...rest] = member.split(';')
    const params = new Map<string, string>()
    for (const param of rest) {
      const at = param.indexOf('=')
      if (at > 0) params.set(param.slice(0, at).trim().toLowerCase(), param.slice(at + 1).trim())
    }
    out.push({ name: head.trim().replace(/^"(.*)"$/, '$1'), params })
  }
  return out
}

/** Limit, remaining and reset made consistent: remaining never above the limit. */
function info(policy: string | undefined, limit: number | undefined, remaining: number | undefined, reset: number | undefined): RateLimitInfo | undefined {
  if (limit === undefined && remaining === undefined && reset === undefined) return undefined
  if (limit !== undefined && remaining !== undefined && remaining > limit) remaining = limit
  const out: { -readonly [K in keyof RateLimitInfo]: RateLimitInfo[K] } = {}
  if (policy) out.policy = policy
  if (limit !== undefined) out.limit = limit
  if (remaining !== undefined) out.remaining = remaining
  if (reset !== undefined) out.reset = reset
  return out
}

/** The IETF `RateLimit` field: a list of policies (the most restrictive one), or the older dictionary. */
function ietf(field: string, policyField: string | null): RateLimitInfo | undefined {
  const list = items(field)
  const dictionary = new Map<string, string>()
  for (const item of list) {
    const at = item.name.indexOf('=')
    if (at > 0) dictionary.set(item.name.slice(0, at).trim().toLowerCase(), item.name.slice(at + 1).trim())
  }
  if (dictionary.size > 0) {
    return info(undefined, smallest(dictionary.get('limit') ?? null, whole), smallest(dictionary.get('remaining') ?? null, whole), resetMs(dictionary.get('reset'), false, 0))
  }
  const quotas = new Map<string, number | undefined>()
  for (const policy of policyField === null ? [] : items(policyField)) quotas.set(policy.name, whole(policy.params.get('q')))
  let best: RateLimitInfo | undefined
  for (const item of list) {
    const candidate = info(item.name, quotas.get(item.name), whole(item.params.get('r')), resetMs(item.params.get('t'), false, 0))
    if (candidate === undefined) continue
    const rank = candidate.remaining ?? Infinity
    if (best === undefined || rank < (best.remaining ?? Infinity) || (rank === (best.remaining ?? Infinity) && (candidate.reset ?? 0) > (best.reset ?? 0))) best = candidate
  }
  return best
}

/**
 * The rate limit a response announces, or `undefined` when it announces none (or nothing readable).
 * `reset` is in milliseconds from `now`.
 *
 * @example
 * parseRateLimit(new Headers({ ratelimit: '"default";r=0;t=30' })) // { policy: 'default', remaining: 0, reset: 30000 }
 */
export function parseRateLimit(headers: Headers, now: number = Date.now()): RateLimitInfo | undefined {
  const field = headers.get('ratelimit')
  if (field !== null) {
    const parsed = ietf(field, headers.get('ratelimit-policy'))
    if (parsed) return parsed
  }
  for (const prefix of ['ratelimit-', 'x-ratelimit-']) {
    const parsed = info(
      prefix === 'x-ratelimit-' ? (headers.get('x-ratelimit-resource') ?? undefined) : undefined,
      smallest(headers.get(`${prefix}limit`), whole),
      smallest(headers.get(`${prefix}remaining`), whole),
      smallest(headers.get(`${prefix}reset`), (part) => resetMs(part, true, now)),
    )
    if (parsed) return parsed
  }
  return undefined
}
