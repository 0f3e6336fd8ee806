/** The typed result of a verification. */
import type { StandardSchemaV1 } from '../core/schema.js'

/** Event types mapped to their payloads (an interface or a type; the default when none is given), e.g. `{ 'invoice.paid': Invoice; 'user.deleted': { id: string } }`. */
export type EventMap = Record<string, unknown>

/**
 * One verified delivery of one event type: its envelope (`type`, `id`, `timestamp`) and the parsed
 * body as `payload`, so a provider's own `data` field reads `event.payload.data`.
 */
export interface WebhookEvent<Type extends string = string, Payload = unknown> {
  /**
   * The event type: the payload's `type` field (Standard Webhooks, Stripe, Slack) or the provider's
   * type header (GitHub `x-github-event`, Shopify `x-shopify-topic`). An empty string when the
   * delivery names none.
   */
  readonly type: Type
  /** The delivery id (message id, delivery id or event id), when the scheme has one. */
  readonly id: string | undefined
  /** The signed timestamp in seconds since the epoch, for schemes that sign one. */
  readonly timestamp: number | undefined
  /** The parsed body, as the sender wrote it; `undefined` for an empty body. */
  readonly payload: Payload
}

/**
 * The discriminated union of events an {@link EventMap} describes; narrow it with `switch (event.type)`.
 * The map is trusted as written unless you also give {@link EventSchemas} (and `unknownEvents: 'reject'`).
 */
export type WebhookEventOf<Events extends object> = {
  [Type in keyof Events & string]: WebhookEvent<Type, Events[Type]>
}[keyof Events & string]

/** A Standard Schema (zod, valibot, arktype, …) per event type, run on the parsed `payload` after the signature checks out. */
export type EventSchemas<Events extends object> = {
  readonly [Type in keyof Events]?: StandardSchemaV1<unknown, Events[Type]>
}

/** What a signature-only check returns: the delivery's metadata and its raw body, unparsed. */
export interface VerifiedDelivery {
  /** The delivery id, when the scheme has one in its headers. */
  readonly id: string | undefined
  /** The signed timestamp in seconds, for schemes that sign one. */
  readonly timestamp: number | undefined
  /** The body exactly as received. */
  readonly body: string | Uint8Array
}
