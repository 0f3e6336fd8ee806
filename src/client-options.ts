/** Internal: the options `createClient()` takes, each with its check; the module sections are each module's own. */
import * as option from './core/config.js'
import type { OptionFields } from './core/index.js'
import { realtimeSection } from './realtime/options.js'
import { restOptions } from './rest/options.js'
import { WEBHOOKS_SECTION } from './webhooks/options.js'

/** Every option `createClient()` takes, each with its check. */
export const CLIENT_OPTIONS = {
  baseUrl: option.baseUrl,
  realtimeUrl: option.realtimeUrl,
  auth: option.auth,
  webhookSecret: option.webhookSecret,
  timeout: option.timeout,
  totalTimeout: option.totalTimeout,
  retry: option.retry,
  headers: option.headers,
  fetch: option.fetchOption,
  WebSocket: option.webSocketOption,
  logger: option.logger,
  logLevel: option.logLevel,
  userAgent: option.userAgent,
  rest: restOptions,
  webhooks: WEBHOOKS_SECTION,
  realtime: realtimeSection,
} satisfies OptionFields
