/**
 * wirekit: one client for a service's REST API, its signed webhooks and its live WebSocket events,
 * on one configuration and one auth layer.
 *
 * @module
 */
import { type ClientContext, type CoreOptions, type ModuleSections, createContext } from './core/index.js'
import type { EventMap, WebhookVerifier } from './webhooks/index.js'
import { clientWebhooks } from './webhooks/client.js'

export {
  ApiError,
  AuthenticationError,
  AuthError,
  BadRequestError,
  ConfigError,
  ConflictError,
  ConnectionError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  RealtimeError,
  TimeoutError,
  UnprocessableEntityError,
  WebhookVerificationError,
  WirekitError,
  isWirekitError,
  Auth,
  Secret,
  backoffDelay,
  backoffWindow,
  resolveConfig,
  VERSION,
} from './core/index.js'
export type {
  ApiErrorInit,
  ApiKeyAuth,
  AuthOption,
  BackoffOptions,
  CoreOptions,
  Logger,
  LogLevel,
  RandomSource,
  ResolvedConfig,
  RetryOptions,
  TokenAuth,
  TokenProvider,
  TokenResult,
  WebhookFailureReason,
  WebSocketConstructor,
  WirekitErrorOptions,
  ClientContext,
  Log,
} from './core/index.js'

export type {
  EventMap,
  EventSchemas,
  ReplayStore,
  VerifiedDelivery,
  WebhookEvent,
  WebhookEventOf,
  WebhookVerifier,
} from './webhooks/index.js'

/** Everything {@link createClient} takes. Every field is optional. */
export interface ClientOptions extends CoreOptions, ModuleSections {}

/** What {@link createClient} returns: the shared context, and each module bound to it. */
export interface Client extends ClientContext {
  /**
   * Standard Webhooks verification bound to `webhookSecret` (options from the `webhooks` section).
   * Calling it on a client without a secret throws a ConfigError naming `webhookSecret`.
   */
  readonly webhooks: WebhookVerifier<EventMap>
}

/**
 * Creates a client: options are validated and frozen once, and one Auth is shared by every module.
 *
 * @example
 * const client = createClient({ baseUrl: 'https://api.example.com', auth: { apiKey: process.env.API_KEY! } })
 */
export function createClient(options: ClientOptions = {}): Client {
  const context = createContext(options)
  return Object.freeze({ ...context, webhooks: clientWebhooks(context.config) })
}
