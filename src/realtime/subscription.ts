import { fail } from './fail.js'
import { type StreamPosition, isOffset } from '../core/protocol.js'
import type { Gap, SubscriptionHandlers } from './types.js'

/**
 * One subscription to a channel. Call `unsubscribe()` when done, or iterate it:
 * `for await (const event of subscription)`.
 */
export interface Subscription<E> extends AsyncIterable<E> {
  /** The channel. */
  readonly channel: string
  /**
   * Resolves when the server first confirmed the subscription. Rejects when it never will (the server
   * refused it, the client closed, or it was unsubscribed first), and with `connect_failed` once
   * `realtime.failedOpensBeforeError` connection attempts in a row failed before opening; the
   * subscription itself stays and delivers if a connection opens later.
   */
  readonly ready: Promise<void>
  /** Stops delivery; the last subscription of a channel unsubscribes on the server too. Idempotent. */
  unsubscribe(): void
}

/** The client's side of a subscription: where it pushes what arrives. */
export interface Sink<E> {
  event(event: E): void
  gap(gap: Gap): void
  /** Passes an error to `onError`; false when there is none to take it. */
  error(error: unknown): boolean
  /** Settles `ready`, once: resolved by the server's confirmation, rejected with `error`. */
  ready(error?: unknown): void
  /** Ends the subscription; with an error, iterators throw it and `ready` rejects with it. */
  end(error?: unknown): void
}

const finished = () => Promise.resolve<IteratorReturnResult<undefined>>({ value: undefined, done: true })

/**
 * Makes a subscription and its sink from `subscribe()`'s arguments, checked first: a RealtimeError
 * `invalid_channel` or `invalid_position` names the one that is wrong. `detach` is called once, when
 * the subscription ends by itself.
 */
export function createSubscription<E>(
  channel: string,
  handler: ((event: E) => void) | SubscriptionHandlers<E> | undefined,
  from: StreamPosition | undefined,
  detach: (sink: Sink<E>) => void,
): [subscription: Subscription<E>, sink: Sink<E>] {
  if (typeof channel !== 'string' || !channel) throw fail('channel must be a non-empty string', 'invalid_channel')
  if (from !== undefined && !(isOffset(from.offset) && typeof from.epoch === 'string')) {
    throw fail('from must be { offset: "<decimal>", epoch }', 'invalid_position')
  }
  const handlers = typeof handler === 'function' ? { onEvent: handler } : (handler ?? {})
  let settle!: (error?: unknown) => void
  const ready = new Promise<void>((resolve, reject) => {
    settle = (error) => (error === undefined ? resolve() : reject(error))
  })
  // A subscription nobody awaits must not raise an unhandled rejection.
  ready.catch(() => {})
  let done = false
  let failure: unknown
  // Buffers only once someone iterates, or when no handler was given. perf: docs/performance.md#realtime-lazy-iterator-buffer
  let buffer: E[] | undefined = handlers.onEvent ? undefined : []
  let waiting: [resolve: (result: IteratorResult<E>) => void, reject: (error: unknown) => void] | undefined

  const call = <A>(handler: ((arg: A) => void) | undefined, arg: A) => {
    try {
      handler?.call(handlers, arg)
    } catch (error) {
      // The app's own exception, passed on untouched to its error handler.
      handlers.onError?.(error)
    }
  }

  const sink: Sink<E> = {
    event(event) {
      if (done) return
      call(handlers.onEvent, event)
      if (!waiting) return buffer?.push(event)
      waiting[0]({ value: event, done: false })
      waiting = undefined
    },
    gap(gap) {
      if (!done) call(handlers.onGap, gap)
    },
    error(error) {
      if (done || !handlers.onError) return false
      handlers.onError(error)
      return true
    },
    ready: settle,
    end(error) {
      if (done) return
      done = true
      failure = error
      settle(error ?? fail('unsubscribed before the server confirmed', 'unsubscribed'))
      if (error !== undefined) handlers.onError?.(error)
      if (error === undefined) waiting?.[0]({ value: undefined, done: true })
      else waiting?.[1](error)
      waiting = undefined
    },
  }

  const subscription: Subscription<E> = {
    channel,
    ready,
    unsubscribe() {
      if (done) return
      sink.end()
      detach(sink)
    },
    [Symbol.asyncIterator]() {
      const list = (buffer ??= [])
      return {
        next: () =>
          list.length > 0
            ? Promise.resolve({ value: list.shift()!, done: false })
            : !done
              ? new Promise<IteratorResult<E>>((resolve, reject) => (waiting = [resolve, reject]))
              : failure === undefined
                ? finished()
                : Promise.reject(failure),
        return: () => {
          subscription.unsubscribe()
          return finished()
        },
      }
    },
  }
  return [subscription, sink]
}
