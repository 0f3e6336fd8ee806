/** Internal: `client.webhooks`, a Standard Webhooks verifier bound to the client's `webhookSecret`. */
import type { ResolvedConfig } from '../core/config.js'
import { ConfigError } from '../core/errors.js'
import type { EventMap } from './events.js'
import { type CryptoPreference, resolveBackend } from './runtime-crypto.js'
import { standardWebhooks } from './standard.js'
import { type VerifierOptions, type WebhookVerifier, checkVerifierOptions } from './verifier.js'

/**
 * Binds a verifier to a client's config. The `webhooks` section is checked now; the verifier is built
 * at first use, so a client with no `webhookSecret` works for REST and realtime and fails only here.
 */
export function clientWebhooks(config: ResolvedConfig): WebhookVerifier<EventMap> {
  const section = config.webhooks as Record<string, unknown>
  if (Object.hasOwn(section, 'secret')) throw new ConfigError('webhooks.secret', 'is not an option; set webhookSecret on the client')
  checkVerifierOptions(section, 'webhooks.')
  let verifier: WebhookVerifier<EventMap> | undefined
  const get = (): WebhookVerifier<EventMap> => {
    if (verifier) return verifier
    if (config.webhookSecrets.length === 0) {
      throw new ConfigError('webhookSecret', 'is not set: pass webhookSecret to createClient() to verify webhooks')
    }
    return (verifier = standardWebhooks({ ...(section as Omit<VerifierOptions, 'secret'>), secret: config.webhookSecrets }))
  }
  return Object.freeze({
    // Answered without building the verifier, so printing or serialising a client with no (or a bad)
    // webhookSecret does not throw; the verifier resolves the same preference the same way.
    get backend() {
      return verifier ? verifier.backend : resolveBackend((section.crypto as CryptoPreference | undefined) ?? 'auto')
    },
    verify: async (payload, headers) => get().verify(payload, headers),
    verifySync: (payload, headers) => get().verifySync(payload, headers),
    verifyRaw: async (payload, headers) => get().verifyRaw(payload, headers),
    verifyRequest: async (request) => get().verifyRequest(request),
    verifyNodeRequest: async (request) => get().verifyNodeRequest(request),
    release: async (id) => get().release(id),
    sign: async (body, options) => get().sign(body, options),
  } satisfies WebhookVerifier<EventMap>)
}
