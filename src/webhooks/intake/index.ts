/**
 * `@wirekit/sdk/webhooks/intake`: each webhook delivery handled once across every receiver process —
 * `webhookIntake` (verify → lease → your handler → done, with the HTTP answer senders expect) and
 * `RedisReplayStore` (leases on a Redis client you pass in: ioredis or node-redis); `MemoryReplayStore`
 * (the same leases in one process) comes with the re-exported verifiers. Public: everything exported here. No third-party dependency; a subpath of its own so verifier-only bundles never carry it.
 *
 * @module
 */
export { webhookIntake } from './intake.js'
export type { IntakeOptions, IntakeOrdering, IntakeOutcome, IntakeResult, NodeResponseLike, WebhookIntake } from './intake.js'
export { RedisReplayStore } from './redis-store.js'
export type { IoredisCommands, NodeRedisCommands, RedisCommandClient, RedisReplayStoreOptions } from './redis-store.js'
// Every verifier and type of @wirekit/sdk/webhooks too, so one import serves a receiver (and the build
// keeps the shared chunks it had before this entry: the other entries' bundle sizes do not move).
export * from '../index.js'
