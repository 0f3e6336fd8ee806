import { describe, expect, it } from 'vitest'
import {
  ApiError,
  AuthenticationError,
  BadRequestError,
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
} from '../../src/core/index.js'

describe('errors', () => {
  it.each([
    [400, BadRequestError, 'bad_request'],
    [401, AuthenticationError, 'unauthenticated'],
    [403, PermissionDeniedError, 'permission_denied'],
    [404, NotFoundError, 'not_found'],
    [409, ConflictError, 'conflict'],
    [422, UnprocessableEntityError, 'unprocessable_entity'],
    [429, RateLimitError, 'rate_limited'],
    [500, InternalServerError, 'server_error'],
    [503, InternalServerError, 'server_error'],
    [418, ApiError, 'api_error'],
  ] as const)('ApiError.from(%i) picks %o', (status, Class, code) => {
    const error = ApiError.from({ status })
    expect(error).toBeInstanceOf(Class)
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toBeInstanceOf(WirekitError)
    expect(error.name).toBe(Class.name)
    expect(error.code).toBe(code)
    expect(error.status).toBe(status)
  })

  it('keeps the server code, message, request id, body, headers and response', () => {
    const response = new Response('{}', { status: 429, headers: { 'retry-after': '3' } })
    const error = ApiError.from({
      status: 429,
      code: 'slow_down',
      message: 'too many',
      requestId: 'req_1',
      body: { error: { code: 'slow_down' } },
      headers: response.headers,
      response,
      retryAfter: 3000,
    }) as RateLimitError
    expect(error).toMatchObject({ code: 'slow_down', message: 'too many', requestId: 'req_1', retryAfter: 3000 })
    expect(error.response).toBe(response)
    expect(Object.keys(error)).not.toContain('response')
    expect(error.headers.get('retry-after')).toBe('3')
  })

  it('keeps causes and machine-readable fields on every family member', () => {
    const cause = new Error('socket hang up')
    expect(new ConnectionError(undefined, { cause })).toMatchObject({ code: 'connection_failed', cause })
    expect(new TimeoutError()).toMatchObject({ code: 'timeout', name: 'TimeoutError' })
    expect(new WebhookVerificationError('replayed', 'seen before')).toMatchObject({ reason: 'replayed', code: 'webhook_verification_failed' })
    expect(new RealtimeError('forbidden', { closeCode: 4403 })).toMatchObject({ closeCode: 4403, code: 'realtime_error' })
  })

  it('toJSON has name, code, message and fields, never the cause', () => {
    const error = new ConnectionError('refused', { cause: new Error('inner detail') })
    const json = JSON.parse(JSON.stringify(error))
    expect(json).toEqual({ name: 'ConnectionError', code: 'connection_failed', message: 'refused' })
  })

  it('isWirekitError recognises errors from another copy of the package', async () => {
    // The CJS build is a second copy: its classes are not ours, so instanceof says no.
    const { createRequire } = await import('node:module')
    const require = createRequire(import.meta.url)
    const other = require('../../dist/index.cjs') as typeof import('../../src/index.js')
    const foreign = new other.NotFoundError({ status: 404 })
    expect(foreign instanceof WirekitError).toBe(false)
    expect(isWirekitError(foreign)).toBe(true)
    expect(other.isWirekitError(new TimeoutError())).toBe(true)
  })

  it('isWirekitError says no to look-alikes', () => {
    expect(isWirekitError(new Error('x'))).toBe(false)
    expect(isWirekitError({ name: 'ApiError', code: 'x', message: 'x' })).toBe(false)
    expect(isWirekitError(null)).toBe(false)
    expect(isWirekitError('ApiError')).toBe(false)
  })
})
