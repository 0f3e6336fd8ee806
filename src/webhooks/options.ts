/**
 * Internal: the webhooks option checks, each one record of the validation kit (src/core/checks.ts):
 * the verifier factories' and createClient's `webhooks` section (the lean `standardWebhooksV1Lite`
 * keeps compact checks of its own, for its bundle size). An unknown
 * key at any depth is refused with its full path and a did-you-mean. Not exported from
 * `@wirekit/sdk/webhooks`; tests walk {@link WEBHOOK_OPTION_CHECKS} to reach every option path.
 */
import { type Check, check, count, dictionary, fn, isRecord, oneOf, record, seconds, shorthand } from '../core/checks.js'
import { ConfigError } from '../core/errors.js'
import { type StandardSchemaV1, isStandardSchema } from '../core/schema.js'
import type { CryptoPreference } from './crypto/backend.js'
import { DEFAULT_MAX_BODY_BYTES } from './payload.js'
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

// This file is imported by every verifier and by createClient, so each top-level kit call is marked
// pure: a bundle drops the checks of options it never reads. perf: docs/performance.md#pure-option-checks

/** `secret`: passed through; each scheme's key parser checks it, refusing a bad one as `invalid_secret`. */
const secret: Check<unknown> = (value) => value

/** `tolerance`: a number of seconds sets both directions; or `{ past, future }`. */
const tolerance = /* @__PURE__ */ shorthand(
  // A number is checked as `tolerance`, the name the user wrote.
  (value, path) => (typeof value === 'number' ? { past: seconds()(value, path), future: value } : value),
  /* @__PURE__ */ record({ past: /* @__PURE__ */ seconds(300), future: /* @__PURE__ */ seconds(300) }),
  'a number of seconds or { past, future }',
)

/** `now`: the clock, in milliseconds since the epoch; the verifier falls back to `Date.now`. */
// No `Date.now` fallback here: a pure call whose argument reads a property is kept by bundlers.
const now: Check<(() => number) | undefined> = /* @__PURE__ */ fn('a function returning epoch milliseconds')

const isStore = (value: unknown): value is ReplayStore => typeof (value as Partial<ReplayStore> | null)?.claim === 'function'

/** `replay`: a ReplayStore, or `{ store, ttl }`. Absent, it is `{ store: null }`: no replay check. */
const replay = /* @__PURE__ */ shorthand(
  (value) => (value === undefined ? { store: null } : isStore(value) ? { store: value } : value),
  /* @__PURE__ */ record({
    // Required once `replay` is given.
    store: (value, path): ReplayStore | null => {
      if (value === null || isStore(value)) return value
      throw new ConfigError(path, 'must be a ReplayStore (with claim(id, ttl))')
    },
    ttl: /* @__PURE__ */ check<number | undefined>((value) => typeof value === 'number' && value > 0 && value < Infinity, 'a number of seconds, more than 0'),
  }),
  'a ReplayStore (with claim(id, ttl)) or { store, ttl }',
)

/** `crypto`: which crypto library the verifier runs on. */
const crypto: Check<CryptoPreference> = /* @__PURE__ */ oneOf(['auto', 'node', 'web'], 'auto')

/** `schemas`: a Standard Schema per event type. */
const schemas: Check<Readonly<Record<string, StandardSchemaV1>>> = /* @__PURE__ */ dictionary(
  /* @__PURE__ */ check<StandardSchemaV1>(isStandardSchema, 'a Standard Schema (zod, valibot, arktype, …)'),
  'an object of Standard Schemas by event type',
)

/** `unknownEvents`: what to do with an event type that has no schema. */
const unknownEvents: Check<'accept' | 'reject'> = /* @__PURE__ */ oneOf(['accept', 'reject'], 'accept')

/** `maxBodyBytes`: the largest body read from a Request or a stream. */
const maxBodyBytes: Check<number> = /* @__PURE__ */ count(DEFAULT_MAX_BODY_BYTES, 1)

/** The options of `standardWebhooks` and every provider preset (`VerifierOptions`). */
export const VERIFIER_OPTIONS = /* @__PURE__ */ record({ secret, tolerance, now, replay, schemas, unknownEvents, crypto, maxBodyBytes })

const SECTION_FIELDS = { tolerance, now, replay, schemas, unknownEvents, crypto, maxBodyBytes }
const section = /* @__PURE__ */ record(SECTION_FIELDS)

/** createClient's `webhooks` section: the verifier options but `secret`, which is the client's `webhookSecret`. */
export const WEBHOOKS_SECTION: Check<WebhooksSection> = /* @__PURE__ */ Object.assign(
  (value: unknown, path: string) => {
    if (isRecord(value) && Object.hasOwn(value, 'secret')) throw new ConfigError(`${path}.secret`, 'is not an option; set webhookSecret on the client')
    return section(value, path)
  },
  { fields: SECTION_FIELDS },
)

/** The `webhooks` section as {@link WEBHOOKS_SECTION} returns it: every default applied, frozen. */
export type WebhooksSection = ReturnType<typeof section>

/** Each factory's option check, by the factory's name: what a test walks to reach every option path. */
export const WEBHOOK_OPTION_CHECKS: Readonly<Record<string, Check<unknown>>> = {
  standardWebhooks: VERIFIER_OPTIONS,
  stripeWebhooks: VERIFIER_OPTIONS,
  githubWebhooks: VERIFIER_OPTIONS,
  slackWebhooks: VERIFIER_OPTIONS,
  shopifyWebhooks: VERIFIER_OPTIONS,
}
