/** Internal: what a signing scheme (Standard Webhooks or a provider preset) tells the shared verifier. */
import type { HeadersInput } from './headers.js'

/** One configured secret as key material, as a scheme's `secret` parses it. */
export type SecretKey = { readonly kind: 'hmac'; readonly bytes: Uint8Array<ArrayBuffer> } | { readonly kind: 'ed25519-public'; readonly bytes: Uint8Array<ArrayBuffer> } | { readonly kind: 'ed25519-private'; readonly seed: Uint8Array<ArrayBuffer> }

/** What a scheme read from the headers; every signature already decoded to its exact length. */
export interface SignedParts {
  /** The delivery id from a header, if the scheme sends one. */
  readonly id?: string | undefined
  /** The signed timestamp in seconds, if the scheme signs one. */
  readonly timestamp?: number | undefined
  /** The signed content that precedes the body, e.g. `{id}.{timestamp}.`. */
  readonly prefix: string
  /** HMAC-SHA256 candidates. */
  readonly hmac: readonly Uint8Array<ArrayBuffer>[]
  /** Ed25519 candidates. */
  readonly ed25519: readonly Uint8Array<ArrayBuffer>[]
  /** The event type from a header, for schemes that send it there. */
  readonly type?: string | undefined
  /** A replay key when the scheme has no delivery id: the signature text, unique per signed delivery. */
  readonly fallbackId: string
}

/** The signing helpers a scheme's `sign` gets: every usable key applied to the content. */
export interface SignTools {
  /** HMAC(prefix ‖ body) under each HMAC secret, in the order given. */
  hmac(prefix: string, body: string | Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>[]>
  /** Ed25519 signatures of prefix ‖ body under each private key, in the order given. */
  ed25519(prefix: string, body: string | Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>[]>
  /** Now, in whole seconds since the epoch, from the verifier's clock. */
  now(): number
}

/** Options every scheme's `sign` takes; a scheme ignores what it does not sign. */
export interface SignOptions {
  /** The delivery id. Standard Webhooks: `webhook-id` (a `msg_…` id is made up when absent). GitHub: `x-github-delivery`. Shopify: `x-shopify-webhook-id`. */
  id?: string
  /**
   * The timestamp to sign, seconds since the epoch.
   * @default now, from the verifier's clock
   */
  timestamp?: number
  /** The event type for schemes that send it in a header (GitHub, Shopify). */
  type?: string
}

/** One signing scheme. */
export interface Scheme {
  /** For messages and inspection, e.g. `Standard Webhooks`. */
  readonly name: string
  /** True when the scheme signs a timestamp, so tolerance applies. */
  readonly timestamped: boolean
  /** Turns one configured secret into key material; throws `invalid_secret`. `label` names it in messages. */
  secret(value: string | Uint8Array, label: string): SecretKey
  /** Reads and strictly parses the signature headers; throws `missing_header` / `malformed_header`. */
  read(headers: HeadersInput): SignedParts
  /** The delivery id inside the parsed payload, for schemes that keep it there (Stripe `id`, Slack `event_id`). */
  idFromPayload?(payload: unknown): string | undefined
  /** Parses a verified body; JSON (pollution-safe) when absent. Throws on a body it cannot read. */
  parseBody?(text: string): unknown
  /** The headers a sender attaches to `body`. */
  sign(body: string | Uint8Array<ArrayBuffer>, options: SignOptions, tools: SignTools): Promise<Record<string, string>>
}

/** A string field of a parsed JSON object, if there is one. */
export function stringField(data: unknown, field: string): string | undefined {
  if (typeof data !== 'object' || data === null || !Object.hasOwn(data, field)) return undefined
  const value = (data as Record<string, unknown>)[field]
  return typeof value === 'string' ? value : undefined
}
