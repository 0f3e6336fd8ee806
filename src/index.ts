/**
 * wirekit: one client for a service's REST API, its signed webhooks and its live WebSocket events,
 * on one configuration and one auth layer.
 *
 * @module
 */
import { CLIENT_OPTIONS } from './client-options.js'
import { type ClientContext, type CoreOptions, type ModuleSections, createContext } from './core/index.js'
import { RealtimeClient } from './realtime/client.js'
import type { RealtimeOptions } from './realtime/options.js'
import { type EndpointsOf, type RestClient, type RestClientBase, type RestClientFor, buildRestClient } from './rest/client.js'
import type { RestOptions } from './rest/options.js'
import { bindWebhookVerifier } from './webhooks/bound-verifier.js'
import type { VerifierOptions, WebhookVerifier, EventMap as WebhookEventMap } from './webhooks/index.js'

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
  ModuleSections,
  RandomSource,
  RateLimitInfo,
  ResolvedConfig,
  RealtimeConfig,
  RealtimeUrlProvider,
  RestConfig,
  RetryOptions,
  TokenAuth,
  TokenProvider,
  TokenResult,
  WebhookFailureReason,
  WebSocketConstructor,
  WirekitErrorOptions,
  ClientContext,
  Log,
  AuthSettings,
  Credentials,
  Redactor,
  StandardSchemaV1,
  StandardSchemaResult,
  StandardSchemaIssue,
  InferSchemaOutput,
} from './core/index.js'

export { RealtimeClient } from './realtime/client.js'
export type { RealtimeOptions } from './realtime/options.js'
export type { Subscription } from './realtime/subscription.js'
export type { ConnectionState, EventMap as RealtimeEventMap, Gap, RealtimeEvent, StateChange, StreamPosition } from './realtime/types.js'

export { InvalidRequestError, PaginationError, ResponseValidationError, defineEndpoints, typed } from './rest/index.js'
export type { CallOptions, EndpointDefinition, Endpoints, Page, Pagination, RestClient, RestClientBase, RestHooks, RestOptions, RestOverrides } from './rest/index.js'

export { MemoryReplayStore } from './webhooks/index.js'
export type {
  EventMap as WebhookEventMap,
  EventSchemas as WebhookEventSchemas,
  ReplayStore,
  VerifiedDelivery,
  WebhookEvent,
  WebhookEventOf,
  WebhookVerifier,
} from './webhooks/index.js'

/** Everything {@link createClient} takes. Every field is optional. */
export interface ClientOptions extends CoreOptions, Omit<ModuleSections, 'rest' | 'realtime' | 'webhooks'> {
  /** Options of `@wirekit/sdk/rest`, e.g. `{ endpoints }`. See {@link RestOptions}. */
  rest?: RestOptions
  /** Options of `@wirekit/sdk/realtime`, e.g. `{ heartbeatMs, backoff }`. See {@link RealtimeOptions}. */
  realtime?: RealtimeOptions
  /** Options of `client.webhooks` (the secret comes from `webhookSecret`), e.g. `{ tolerance, replay }`. */
  webhooks?: Omit<VerifierOptions, 'secret'>
}

/**
 * What {@link createClient} returns: the shared context, and each module bound to it. `Rest` is the
 * typed REST surface: endpoint methods from `rest.endpoints`, or OpenAPI methods from
 * `createClient<paths>()`.
 */
export interface Client<Rest = RestClient> extends ClientContext {
  /** Typed REST calls; see `@wirekit/sdk/rest`. */
  readonly rest: Rest
  /** Live events over one WebSocket, opened on the first subscribe (`@wirekit/sdk/realtime`). */
  readonly realtime: RealtimeClient
  /**
   * Standard Webhooks verification bound to `webhookSecret` (options from the `webhooks` section).
   * Calling it on a client without a secret throws a ConfigError naming `webhookSecret`.
   */
  readonly webhooks: WebhookVerifier<WebhookEventMap>
}

/**
 * Creates a client: options are validated and frozen once, and one Auth is shared by every module.
 * Endpoint methods are inferred from `rest.endpoints`; for OpenAPI mode pass openapi-typescript's
 * `paths` as the type argument (`createClient<paths>(…)`). Both at once: OpenAPI mode, then
 * `client.rest.withEndpoints(endpoints)`.
 *
 * @example
 * const client = createClient({ baseUrl: 'https://api.example.com', auth: { apiKey: process.env.API_KEY! } })
 * const github = createClient<paths>({ baseUrl: 'https://api.github.com', auth: process.env.GITHUB_TOKEN })
 */
export function createClient<const O extends ClientOptions = ClientOptions>(options?: O): Client<RestClientFor<{}, EndpointsOf<O>>>
export function createClient<Paths extends object>(options?: ClientOptions): Client<RestClientFor<Paths, {}>>
export function createClient(options: ClientOptions = {}): Client<RestClientBase> {
  const context = createContext(options, CLIENT_OPTIONS)
  return Object.freeze({
    ...context,
    rest: buildRestClient(context),
    realtime: new RealtimeClient(context),
    webhooks: bindWebhookVerifier(context.config),
  })
}
