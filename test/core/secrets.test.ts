import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { createClient } from '../../src/index.js'
import { Auth, AuthError, ConfigError, Redactor, Secret, createLog, resolveConfig } from '../../src/core/index.js'

// Canary values: if any of these shows up in output, a secret leaked.
const CANARY_KEY = 'sk_canary_9f8e7d6c5b4a'
const CANARY_TOKEN = 'tok_canary_1a2b3c4d5e6f'
// A valid whsec_ key (createClient checks webhookSecret by the Standard Webhooks rule), still easy to spot.
const CANARY_WEBHOOK = 'whsec_canaryMfKQ9r8GKYqrTwjUPD8ILPZIo2LaLa'

/** Every way an error or value can reach a user's screen or log. */
function renderings(value: unknown): string[] {
  const out = [inspect(value, { depth: 10, showHidden: true }), JSON.stringify(value) ?? '', String(value)]
  if (value instanceof Error) out.push(value.message, value.stack ?? '')
  return out
}

function expectNoCanary(value: unknown): void {
  for (const text of renderings(value)) {
    for (const canary of [CANARY_KEY, CANARY_TOKEN, CANARY_WEBHOOK]) expect(text).not.toContain(canary)
  }
}

function thrown(run: () => unknown): unknown {
  try {
    run()
  } catch (error) {
    return error
  }
  throw new Error('expected a throw')
}

describe('no secret ever reaches output', () => {
  it('the client, its config and its Auth print without the credentials', () => {
    const client = createClient({ baseUrl: 'https://api.example.com', auth: { apiKey: CANARY_KEY }, webhookSecret: CANARY_WEBHOOK })
    expectNoCanary(client)
    expectNoCanary(client.config)
    expectNoCanary(client.auth)
    expectNoCanary(client.config.webhookSecrets)
    expect(client.config.webhookSecrets[0]?.reveal()).toBe(CANARY_WEBHOOK)
    expectNoCanary(createClient({ auth: CANARY_TOKEN }))
    expectNoCanary(createClient({ auth: { token: CANARY_TOKEN } }))
  })

  it('config errors about credential options do not echo the value', () => {
    const errors = [
      thrown(() => resolveConfig({ auth: { apiKey: CANARY_KEY, header: 'bad header' } })),
      thrown(() => resolveConfig({ auth: { apiKey: CANARY_KEY, extra: CANARY_TOKEN } as never })),
      thrown(() => resolveConfig({ auth: { token: CANARY_TOKEN, scheme: 'x' } as never })),
      thrown(() => resolveConfig({ headers: { Authorization: `Bearer ${CANARY_TOKEN}` } })),
      thrown(() => resolveConfig({ headers: { 'x-key': `${CANARY_KEY}\n` } })),
      thrown(() => resolveConfig({ baseUrl: `https://user:${CANARY_KEY}@api.example.com` })),
      thrown(() => resolveConfig({ baseUrl: `not a url ${CANARY_KEY}` })),
      thrown(() => resolveConfig({ timeout: CANARY_KEY as never })),
      thrown(() => resolveConfig({ webhookSecret: [CANARY_WEBHOOK, ''] })),
      thrown(() => resolveConfig({ apiKey: CANARY_KEY } as never)),
    ]
    for (const error of errors) {
      expect(error).toBeInstanceOf(ConfigError)
      expectNoCanary(error)
    }
  })

  it('auth errors do not carry the token the provider returned', async () => {
    const auth = new Auth(() => ({ token: '', note: CANARY_TOKEN }) as never)
    const error = await auth.getToken().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AuthError)
    expectNoCanary(error)
  })

  it('log lines and their details are scrubbed of every known secret, static or fetched', async () => {
    const lines: unknown[][] = []
    const logger = { debug: (...a: unknown[]) => lines.push(a), info: (...a: unknown[]) => lines.push(a), warn: (...a: unknown[]) => lines.push(a), error: (...a: unknown[]) => lines.push(a) }
    const client = createClient({ auth: () => CANARY_TOKEN, webhookSecret: CANARY_WEBHOOK, logger, logLevel: 'debug' })
    await client.auth.getToken()
    client.log.info(`sending with ${CANARY_TOKEN}`, { headers: { authorization: `Bearer ${CANARY_TOKEN}` }, secret: [CANARY_WEBHOOK] })
    client.log.error('failed', { error: new Error(`bad key ${CANARY_TOKEN}`) })
    expect(lines).toHaveLength(2)
    expectNoCanary(lines)
    expect(JSON.stringify(lines)).toContain('[redacted]')
  })

  it('Secret and Redactor print as redacted', () => {
    const secret = new Secret(CANARY_KEY)
    expectNoCanary(secret)
    expectNoCanary({ nested: { secret } })
    const redactor = new Redactor()
    redactor.add(CANARY_KEY)
    expect(redactor.redact(`a ${CANARY_KEY} b ${CANARY_KEY}`)).toBe('a [redacted] b [redacted]')
    expectNoCanary(redactor)
  })
})

describe('the logger', () => {
  it('is silent by default', () => {
    const redactor = new Redactor()
    expect(() => createLog(undefined, 'debug', redactor).error('x')).not.toThrow()
  })

  it('writes only at or above its level, to the matching method', () => {
    const seen: string[] = []
    const logger = { debug: () => seen.push('debug'), info: () => seen.push('info'), warn: () => seen.push('warn'), error: () => seen.push('error') }
    const log = createLog(logger, 'warn', new Redactor())
    log.debug('a')
    log.info('b')
    log.warn('c')
    log.error('d')
    expect(seen).toEqual(['warn', 'error'])
    const silent = createLog(logger, 'silent', new Redactor())
    silent.error('e')
    expect(seen).toEqual(['warn', 'error'])
  })

  it('tolerates a logger without some methods and cyclic details', () => {
    const logged: unknown[] = []
    const log = createLog({ warn: (...a: unknown[]) => logged.push(a) }, 'debug', new Redactor())
    const cyclic: Record<string, unknown> = { a: 1 }
    cyclic.self = cyclic
    expect(() => log.info('no info method')).not.toThrow()
    expect(() => log.warn('cyclic', cyclic)).not.toThrow()
    expect(logged).toHaveLength(1)
  })
})
