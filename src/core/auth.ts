/**
 * The one credential layer REST and realtime share. It caches the token, refreshes single-flight
 * (any number of concurrent callers during a refresh share one provider call), refreshes ahead of a
 * known expiry, and forgets the token on `invalidate()` after a 401 or a realtime auth-expired close.
 */
import { HEADER_NAME, unknownKey } from './checks.js'
import { AuthError, ConfigError } from './errors.js'
import { Redactor } from './secret.js'

/** What a token provider may return: the token, or the token with when it expires. */
export type TokenResult =
  | string
  | {
      /** The token itself. */
      token: string
      /** When the token stops working, as epoch milliseconds. */
      expiresAt?: number
      /** How long the token lives from now, in seconds (OAuth's `expires_in`). */
      expiresIn?: number
    }

/** Called whenever a fresh token is needed. */
export type TokenProvider = () => TokenResult | Promise<TokenResult>

/** An API key, sent as `Authorization: Bearer <key>`, or raw under `header` when one is named. */
export interface ApiKeyAuth {
  /** The key: sent as a bearer token, or raw under `header` when one is named. */
  apiKey: string
  /**
   * Send the key raw under this header instead of as a bearer token, e.g. `x-api-key`.
   * @default 'authorization' with the `Bearer` scheme
   */
  header?: string
}

/** A static bearer token. */
export interface TokenAuth {
  /** The token, sent as `Authorization: Bearer <token>`; it never changes (for one that does, pass a provider). */
  token: string
}

/**
 * How the client authenticates: a static bearer token string, an API key, or a token provider.
 *
 * @example
 * auth: { apiKey: process.env.API_KEY! }
 * auth: async () => ({ token: await fetchToken(), expiresIn: 3600 })
 */
export type AuthOption = string | ApiKeyAuth | TokenAuth | TokenProvider

/** Knobs of the shared {@link Auth}. */
export interface AuthSettings {
  /**
   * Refresh this many milliseconds before a known expiry, so no request carries a dying token.
   * @default 30000
   */
  refreshMargin?: number
  /**
   * The clock, in epoch milliseconds. Injectable for tests.
   * @default Date.now
   */
  now?: () => number
  /**
   * Where obtained tokens are registered so the logger scrubs them.
   * @default a new, unshared Redactor
   */
  redactor?: Redactor
}

interface CachedToken {
  token: string
  expiresAt: number | undefined
}

/**
 * A token with the HTTP headers that carry it, from {@link Auth.credentials}. Frozen; the same
 * object comes back for as long as the token is unchanged.
 */
export interface Credentials {
  /** The token itself: what {@link Auth.invalidate} takes after the server refused it. */
  readonly token: string
  /** The headers that carry it: `{ authorization: 'Bearer <token>' }`, or the API key under its own header. */
  readonly headers: Readonly<Record<string, string>>
}

/**
 * The shared credential. `getToken()` for the value, `getHeaders()` or `credentials()` for HTTP,
 * `invalidate()` after the server refused it.
 *
 * @example
 * const headers = await auth.getHeaders()
 */
export class Auth {
  readonly #source: AuthOption | undefined
  readonly #header: string
  readonly #scheme: string | undefined
  readonly #refreshMargin: number
  readonly #now: () => number
  readonly #redactor: Redactor
  #cached: CachedToken | undefined
  #credentials: Credentials | undefined
  #inflight: Promise<CachedToken> | undefined
  #generation = 0

  constructor(source: AuthOption | undefined, settings: AuthSettings = {}) {
    this.#source = source
    this.#refreshMargin = settings.refreshMargin ?? 30_000
    this.#now = settings.now ?? Date.now
    this.#redactor = settings.redactor ?? new Redactor()
    this.#header = 'authorization'
    this.#scheme = 'Bearer'
    if (typeof source === 'string') {
      this.#cached = { token: source, expiresAt: undefined }
    } else if (source !== undefined && typeof source === 'object') {
      if ('apiKey' in source) {
        this.#cached = { token: source.apiKey, expiresAt: undefined }
        if (source.header !== undefined && source.header.toLowerCase() !== 'authorization') {
          this.#header = source.header.toLowerCase()
          this.#scheme = undefined
        }
      } else {
        this.#cached = { token: source.token, expiresAt: undefined }
      }
    }
    if (this.#cached) this.#redactor.add(this.#cached.token)
  }

  /** True when there is any credential at all. */
  get enabled(): boolean {
    return this.#source !== undefined
  }

  /** The header that carries the credential: `authorization`, or the one an API key names. */
  get header(): string {
    return this.#header
  }

  /** True when `invalidate()` can lead to a different token (a provider is configured). */
  get refreshable(): boolean {
    return typeof this.#source === 'function'
  }

  /** When the current token expires (epoch ms), if the provider said. */
  get expiresAt(): number | undefined {
    return this.#cached?.expiresAt
  }

  /**
   * The current token, fetching or refreshing it first when needed. `undefined` when no auth is
   * configured. Concurrent callers during a refresh share one provider call.
   */
  async getToken(): Promise<string | undefined> {
    if (this.#source === undefined) return undefined
    const cached = this.#cached
    if (cached && !this.#isStale(cached)) return cached.token
    return (await this.#refresh()).token
  }

  /** The HTTP headers that carry the credential, a fresh object; empty when no auth is configured. */
  async getHeaders(): Promise<Record<string, string>> {
    const credentials = await this.credentials()
    return { ...credentials?.headers }
  }

  /**
   * The current token and the headers that carry it, fetching or refreshing the token first when
   * needed; `undefined` when no auth is configured. The result is frozen and the same object is
   * returned while the token is unchanged, so a caller can tell "same token" by identity and send
   * the headers without copying them.
   *
   * @example
   * const credentials = await auth.credentials()
   * const response = await fetch(url, { headers: { ...credentials?.headers } })
   * if (response.status === 401 && credentials) auth.invalidate(credentials.token)
   */
  credentials(): Promise<Credentials | undefined> {
    if (this.#source === undefined) return Promise.resolve(undefined)
    const cached = this.#cached
    // perf: docs/performance.md#rest-credentials
    if (cached && !this.#isStale(cached)) return Promise.resolve(this.#credentialsFor(cached.token))
    return this.#refresh().then((next) => this.#credentialsFor(next.token))
  }

  #credentialsFor(token: string): Credentials {
    if (this.#credentials?.token !== token) {
      const headers = Object.freeze({ [this.#header]: this.#scheme ? `${this.#scheme} ${token}` : token })
      this.#credentials = Object.freeze({ token, headers })
    }
    return this.#credentials!
  }

  /**
   * Forget the token so the next caller fetches a fresh one. Pass the token that was refused: when a
   * newer one has been fetched meanwhile, nothing is forgotten, so a burst of 401s from requests that
   * carried the same old token causes one refresh, not one each.
   */
  invalidate(refusedToken?: string): void {
    if (!this.refreshable) return
    if (refusedToken !== undefined && this.#cached !== undefined && this.#cached.token !== refusedToken) return
    this.#cached = undefined
  }

  #isStale(cached: CachedToken): boolean {
    return cached.expiresAt !== undefined && this.#now() >= cached.expiresAt - this.#refreshMargin
  }

  #refresh(): Promise<CachedToken> {
    if (this.#inflight) return this.#inflight
    const provider = this.#source as TokenProvider
    const generation = ++this.#generation
    const flight = (async () => {
      let result: TokenResult
      try {
        result = await provider()
      } catch (cause) {
        throw new AuthError('the auth token provider threw; the next call will try again', {
          code: 'auth_provider_failed',
          cause,
        })
      }
      const next = this.#normalize(result)
      this.#redactor.add(next.token)
      if (generation === this.#generation) this.#cached = next
      return next
    })()
    this.#inflight = flight
    // Whether it worked or not, the next caller after this one starts afresh.
    const clear = () => {
      if (this.#inflight === flight) this.#inflight = undefined
    }
    flight.then(clear, clear)
    return flight
  }

  #normalize(result: TokenResult): CachedToken {
    const token = typeof result === 'string' ? result : result?.token
    if (typeof token !== 'string' || token.length === 0) {
      throw new AuthError('the auth token provider returned no token: return a non-empty string or { token }', {
        code: 'auth_invalid_token',
      })
    }
    if (typeof result === 'string') return { token, expiresAt: undefined }
    if (result.expiresAt !== undefined) return { token, expiresAt: result.expiresAt }
    if (result.expiresIn !== undefined) return { token, expiresAt: this.#now() + result.expiresIn * 1000 }
    return { token, expiresAt: undefined }
  }
}

/** Checks the `auth` option's shape; throws a ConfigError naming what was wrong. */
export function validateAuthOption(value: unknown): AuthOption | undefined {
  if (value === undefined) return undefined
  if (typeof value === 'function') return value as TokenProvider
  if (typeof value === 'string') {
    if (value.length === 0) throw new ConfigError('auth', 'is an empty string; give a token, { apiKey }, or a token provider function')
    return value
  }
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>
    const keys = Object.keys(record)
    if ('apiKey' in record) {
      if (typeof record.apiKey !== 'string' || record.apiKey.length === 0) {
        throw new ConfigError('auth.apiKey', 'must be a non-empty string')
      }
      if (record.header !== undefined && (typeof record.header !== 'string' || !HEADER_NAME.test(record.header))) {
        throw new ConfigError('auth.header', 'must be a valid HTTP header name such as "x-api-key"')
      }
      for (const key of keys) if (key !== 'apiKey' && key !== 'header') unknownKey('auth', key, ['apiKey', 'header'])
      return record as unknown as ApiKeyAuth
    }
    if ('token' in record) {
      if (typeof record.token !== 'string' || record.token.length === 0) {
        throw new ConfigError('auth.token', 'must be a non-empty string; for a token that changes, pass a function')
      }
      for (const key of keys) if (key !== 'token') unknownKey('auth', key, ['token'])
      return record as unknown as TokenAuth
    }
  }
  throw new ConfigError('auth', 'must be a token string, { apiKey }, { token }, or a function returning a token')
}
