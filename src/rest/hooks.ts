/**
 * What the user's REST hooks are and what each one sees. The engine runs them; the options declare
 * them (`rest.hooks`, `withOptions({ hooks })`).
 */
import type { WirekitError } from '../core/index.js'

/** What a `beforeRequest` hook sees. It may change `request.headers`. */
export interface BeforeRequestContext {
  /** The outgoing request, credential included: log `request.method` and `request.url`, not its headers. */
  request: Request
  /**
   * 0 for the first attempt, 1 for the first retry, … A retry that then had to wait for the
   * rate-limit budget (`rest.limits`) is announced again, with the same number, on the request that
   * is sent once its place is free.
   */
  attempt: number
}

/** What an `afterResponse` hook sees: every response, including ones that will be retried. */
export interface AfterResponseContext {
  /** The request this response answers, credential included: do not log its headers. */
  request: Request
  /** A clone: reading its body does not disturb the call. */
  response: Response
  /** 0 for the first attempt, 1 for the first retry, … */
  attempt: number
}

/** What an `onError` hook sees: the final error of a call that failed, after all retries. */
export interface OnErrorContext {
  /** The wirekit error the call failed with. */
  error: WirekitError
  /** `GET /notes/{id}`, or the endpoint name. */
  label: string
}

/**
 * Hooks for logging and metrics. `beforeRequest` and `afterResponse` run on ky's hooks, once per
 * attempt; `onError` runs once per failed call with the wirekit error. An exception thrown by a hook
 * fails the call and reaches the caller unchanged.
 *
 * @example
 * hooks: { afterResponse: [({ request, response }) => metrics.count(request.method, response.status)] }
 */
export interface RestHooks {
  /** @default [] */
  beforeRequest?: ReadonlyArray<(context: BeforeRequestContext) => void | Promise<void>>
  /** @default [] */
  afterResponse?: ReadonlyArray<(context: AfterResponseContext) => void | Promise<void>>
  /** @default [] */
  onError?: ReadonlyArray<(context: OnErrorContext) => void | Promise<void>>
}
