/**
 * `@wirekit/sdk/webhooks`: verify (and sign) webhook deliveries — Standard Webhooks v1/v1a and the Stripe,
 * GitHub, Slack and Shopify presets — with node:crypto on Node and Web Crypto everywhere else. Public:
 * everything exported here. No third-party dependency; each preset is tree-shaken away when unused.
 *
 * @module
 */
export { standardWebhooks } from './standard.js'
export { standardWebhooksV1Lite } from './standard-v1-lite.js'
export type { StandardWebhooksV1Lite, StandardWebhooksV1LiteOptions } from './standard-v1-lite.js'
export { stripeWebhooks } from './stripe.js'
export { githubWebhooks } from './github.js'
export { slackWebhooks } from './slack.js'
export { shopifyWebhooks } from './shopify.js'
export { MemoryReplayStore } from './replay.js'
export type { BeginOrder, BeginOutcome, BeginRequest, DeliveryStore, MemoryReplayStoreOptions, ReplayStore } from './replay.js'
export type { EventMap, EventSchemas, VerifiedDelivery, WebhookEvent, WebhookEventOf } from './events.js'
export type { ReplayOptions, Tolerance, VerifierOptions, WebhookSecret, WebhookVerifier } from './verifier.js'
export type { SignOptions } from './scheme.js'
export type { HeadersInput } from './headers.js'
export type { NodeRequestLike, RawPayload, RequestLike } from './payload.js'
export { webhookCryptoBackend } from './crypto/backend.js'
export type { CryptoPreference, WebhookCryptoBackend } from './crypto/backend.js'
export { WebhookVerificationError } from '../core/errors.js'
export type { WebhookFailureReason } from '../core/errors.js'
