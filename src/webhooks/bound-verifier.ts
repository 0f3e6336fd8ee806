/** Internal: `client.webhooks`, a Standard Webhooks verifier bound to a client's `webhookSecret` and `webhooks` section. */
import type { ResolvedConfig } from '../core/config.js'
import { ConfigError, WebhookVerificationError } from '../core/errors.js'
import { resolveBackend } from './crypto/backend.js'
import type { EventMap } from './events.js'
import type { WebhooksSection } from './options.js'
import { standardSecret } from './signing-keys.js'
import { standardWebhooks } from './standard.js'
import type { WebhookVerifier } from './verifier.js'

/**
 * Binds a verifier to a client's config, whose `webhooks` section createClient has checked with
 * `WEBHOOKS_SECTION`. Each `webhookSecret` is checked now, by the rule `standardWebhooks` applies, so a
 * bad one is a ConfigError from createClient() and not a failure of every delivery. The verifier is
 * built at first use, so a client with no `webhookSecret` works for REST and realtime and fails only here.
 */
export function bindWebhookVerifier(config: Pick<ResolvedConfig, 'webhooks' | 'webhookSecrets'>): WebhookVerifier<EventMap> {
  const section = config.webhooks as WebhooksSection
  const secrets = config.webhookSecrets
  secrets.forEach((secret, index) => {
    try {
      standardSecret(secret.reveal(), 'the secret')
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error
      throw new ConfigError(secrets.length === 1 ? 'webhookSecret' : `webhookSecret[${index}]`, error.message, { cause: error })
    }
  })
  let verifier: WebhookVerifier<EventMap> | undefined
  const get = (): WebhookVerifier<EventMap> => {
    if (verifier) return verifier
    if (secrets.length === 0) throw new ConfigError('webhookSecret', 'is not set: pass webhookSecret to createClient() to verify webhooks')
    const { replay, ...rest } = section
    return (verifier = standardWebhooks({ ...rest, replay: replay.store ? { store: replay.store, ttl: replay.ttl } : undefined, secret: secrets }))
  }
  return Object.freeze({
    // Answered without building the verifier, so printing or serialising a client with no
    // webhookSecret does not throw; the verifier resolves the same preference the same way.
    get backend() {
      return verifier ? verifier.backend : resolveBackend(section.crypto)
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
