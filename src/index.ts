/**
 * wirekit: one client for a service's REST API, its signed webhooks and its live WebSocket events,
 * on one configuration and one auth layer.
 *
 * @module
 */
import { Auth, type CoreOptions, type Log, type ModuleSections, type ResolvedConfig, createLog, resolveConfig } from './core/index.js'

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
} from './core/index.js'

/** Everything {@link createClient} takes. Every field is optional. */
export interface ClientOptions extends CoreOptions, ModuleSections {}

/** What {@link createClient} returns. */
export interface Client {
  /** The validated, frozen configuration. */
  readonly config: ResolvedConfig
  /** The one credential layer every module shares. */
  readonly auth: Auth
  /** The leveled, redacting logger every module writes through. */
  readonly log: Log
}

/**
 * Creates a client: options are validated and frozen once, and one Auth is shared by every module.
 *
 * @example
 * const client = createClient({ baseUrl: 'https://api.example.com', auth: { apiKey: process.env.API_KEY! } })
 */
export function createClient(options: ClientOptions = {}): Client {
  const config = resolveConfig(options)
  const auth = new Auth(config.auth, { redactor: config.redactor })
  const log = createLog(config.logger, config.logLevel, config.redactor)
  return Object.freeze({ config, auth, log })
}
