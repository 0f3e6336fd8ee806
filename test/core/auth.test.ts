import { describe, expect, it, vi } from 'vitest'
import { Auth, AuthError, isWirekitError } from '../../src/core/index.js'

describe('Auth', () => {
  it('sends an API key as a bearer token, or raw under the header the user names', async () => {
    expect(await new Auth({ apiKey: 'key_123456' }).getHeaders()).toEqual({ authorization: 'Bearer key_123456' })
    expect(await new Auth({ apiKey: 'key_123456', header: 'X-Api-Key' }).getHeaders()).toEqual({ 'x-api-key': 'key_123456' })
    expect(await new Auth({ apiKey: 'key_123456', header: 'Authorization' }).getHeaders()).toEqual({ authorization: 'Bearer key_123456' })
    expect(await new Auth('tok_static').getHeaders()).toEqual({ authorization: 'Bearer tok_static' })
    expect(await new Auth({ token: 'tok_static' }).getHeaders()).toEqual({ authorization: 'Bearer tok_static' })
    expect(await new Auth(undefined).getHeaders()).toEqual({})
    expect(new Auth(undefined).enabled).toBe(false)
    expect(new Auth({ apiKey: 'key_123456', header: 'X-Api-Key' }).header).toBe('x-api-key')
    expect(new Auth(() => 'tok').header).toBe('authorization')
  })

  it('credentials() hands out the token and its headers, frozen, as one object while the token is unchanged', async () => {
    let n = 0
    const auth = new Auth(() => `tok_provided_${++n}`)
    const first = await auth.credentials()
    expect(first).toEqual({ token: 'tok_provided_1', headers: { authorization: 'Bearer tok_provided_1' } })
    expect(Object.isFrozen(first) && Object.isFrozen(first!.headers)).toBe(true)
    expect(await auth.credentials()).toBe(first)
    auth.invalidate(first!.token)
    const second = await auth.credentials()
    expect(second).toEqual({ token: 'tok_provided_2', headers: { authorization: 'Bearer tok_provided_2' } })
    expect(second).not.toBe(first)
    expect(await new Auth({ apiKey: 'key_123456', header: 'X-Api-Key' }).credentials()).toEqual({ token: 'key_123456', headers: { 'x-api-key': 'key_123456' } })
    expect(await new Auth(undefined).credentials()).toBeUndefined()
    // getHeaders() still returns an object of the caller's own.
    const headers = await auth.getHeaders()
    headers['x-extra'] = '1'
    expect((await auth.credentials())!.headers).toEqual({ authorization: 'Bearer tok_provided_2' })
  })

  it('100 concurrent callers during a refresh cause exactly 1 provider call', async () => {
    let release!: (token: string) => void
    const provider = vi.fn(() => new Promise<string>((resolve) => (release = resolve)))
    const auth = new Auth(provider)
    const callers = Array.from({ length: 100 }, () => auth.getToken())
    await Promise.resolve()
    release('tok_1')
    expect(new Set(await Promise.all(callers))).toEqual(new Set(['tok_1']))
    expect(provider).toHaveBeenCalledTimes(1)
    await auth.getToken()
    expect(provider).toHaveBeenCalledTimes(1)
  })

  it('refreshes ahead of a known expiry, by the refresh margin', async () => {
    let now = 1_000_000
    let n = 0
    const provider = vi.fn(() => ({ token: `tok_${++n}`, expiresAt: now + 60_000 }))
    const auth = new Auth(provider, { now: () => now, refreshMargin: 10_000 })
    expect(await auth.getToken()).toBe('tok_1')
    expect(auth.expiresAt).toBe(1_060_000)
    now += 49_999
    expect(await auth.getToken()).toBe('tok_1')
    now += 1
    expect(await auth.getToken()).toBe('tok_2')
    expect(provider).toHaveBeenCalledTimes(2)
  })

  it('understands expiresIn in seconds', async () => {
    const now = 5_000
    const auth = new Auth(() => ({ token: 'tok_a', expiresIn: 3600 }), { now: () => now })
    await auth.getToken()
    expect(auth.expiresAt).toBe(5_000 + 3_600_000)
  })

  it('invalidate() makes the next caller refresh, once for a burst that carried the same token', async () => {
    let n = 0
    const provider = vi.fn(async () => `tok_${++n}`)
    const auth = new Auth(provider)
    const refused = await auth.getToken()
    for (let i = 0; i < 50; i++) auth.invalidate(refused)
    const after = await Promise.all(Array.from({ length: 50 }, () => auth.getToken()))
    expect(new Set(after)).toEqual(new Set(['tok_2']))
    // A late 401 for the old token must not throw away the new one.
    auth.invalidate(refused)
    expect(await auth.getToken()).toBe('tok_2')
    expect(provider).toHaveBeenCalledTimes(2)
    auth.invalidate()
    expect(await auth.getToken()).toBe('tok_3')
  })

  it('a static credential is not refreshable and survives invalidate()', async () => {
    const auth = new Auth('tok_static')
    expect(auth.refreshable).toBe(false)
    auth.invalidate('tok_static')
    expect(await auth.getToken()).toBe('tok_static')
  })

  it('a provider that throws gives an AuthError with the cause kept, and the next call tries again', async () => {
    const cause = new Error('identity service down')
    const provider = vi.fn().mockRejectedValueOnce(cause).mockResolvedValueOnce('tok_ok')
    const auth = new Auth(provider)
    const error = await auth.getToken().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AuthError)
    expect(isWirekitError(error)).toBe(true)
    expect((error as AuthError).code).toBe('auth_provider_failed')
    expect((error as AuthError).cause).toBe(cause)
    expect(await auth.getToken()).toBe('tok_ok')
  })

  it('a provider that returns no token gives an AuthError, not a request with "Bearer undefined"', async () => {
    for (const bad of ['', undefined, null, 42, { token: '' }, {}]) {
      const auth = new Auth(() => bad as never)
      const error = await auth.getHeaders().catch((e: unknown) => e)
      expect(error).toBeInstanceOf(AuthError)
      expect((error as AuthError).code).toBe('auth_invalid_token')
    }
  })

  it('a provider that throws synchronously is handled the same way', async () => {
    const auth = new Auth(() => {
      throw new TypeError('boom')
    })
    await expect(auth.getToken()).rejects.toBeInstanceOf(AuthError)
  })
})
