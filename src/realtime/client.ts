import { EventEmitter } from 'eventemitter3'
// `#socket` is a package import resolved by condition: `ws` on Node, the runtime's own WebSocket elsewhere.
import { defaultWebSocket, socketKind } from '#socket'
import { type ClientContext, type RealtimeConfig, RealtimeError, backoffDelay, formatIssuePath } from '../core/index.js'
import type { StandardSchemaResult } from '../core/schema.js'
import { CloseCode, PROTOCOL, type ClientFrame, type ServerFrame, type StreamPosition, isOffset } from '../core/protocol.js'
import { type WakeListeners, listenForWake } from './browser.js'
import { parseServerFrame } from './frames.js'
import { Heartbeat } from './heartbeat.js'
import { type RealtimeSettings, resolveRealtimeOptions } from './options.js'
import { PublishQueue } from './publish-queue.js'
import { judge } from './resume.js'
import { type Sink, type Subscription, createSubscription } from './subscription.js'
import { TimerSlots } from './timers.js'
import type {
  AnyEvents,
  ConnectionState,
  EventMap,
  Gap,
  RealtimeClientEvents,
  RealtimeEvent,
  StateChange,
  SubscribeOptions,
  SubscriptionHandlers,
} from './types.js'

type EventFrame = Extract<ServerFrame, { type: 'event' }>
type Slot = 'connect' | 'reconnect' | 'heartbeat' | 'expiry' | 'auth'

interface Channel {
  readonly name: string
  position: StreamPosition | undefined
  readonly sinks: Set<Sink<any>>
  /** The id of the subscribe frame in flight or confirmed on the current connection. */
  subId: string | undefined
  /** The server confirmed `subId`; events are accepted only then. */
  live: boolean
  /** Pending async schema validations; later deliveries queue behind them to keep order. */
  chain: Promise<void> | undefined
}

/** What {@link RealtimeClient.inspect} reports: the debug hook leak tests read. */
export interface RealtimeDebugInfo {
  /** The connection state, as {@link RealtimeClient.state}. */
  readonly state: ConnectionState
  /** Reconnect attempts in a row so far, as in the `state` event. */
  readonly attempt: number
  /** The client's armed timers, by purpose; at most one each. */
  readonly timers: readonly string[]
  /** Whether the client holds a socket. */
  readonly socket: boolean
  /**
   * Which WebSocket connects: `ws` (the Node build's default, the `ws` package), `native` (the
   * runtime's own, the default on Deno, Bun, workerd and browsers, picked by export condition), or
   * `custom` (the `WebSocket` option).
   */
  readonly webSocket: 'ws' | 'native' | 'custom'
  /** Browser `online` / `visibilitychange` listeners installed. */
  readonly browserListeners: number
  /** Channels with at least one subscription. */
  readonly channels: number
  /** Publishes not yet acknowledged, waiting or sent. */
  readonly pendingPublishes: number
}

// The in-band refresh goes out this long before a known expiry: Auth's default refresh margin, so
// getToken() then returns a fresh token.
const REFRESH_AHEAD = 30_000
const noop = () => {}

/**
 * The realtime client: one lazily opened WebSocket carrying every subscription, resumed without
 * loss or repeats after each reconnect. Get one from `createClient()` as `client.realtime`, or from
 * `createRealtimeClient()`.
 *
 * @example
 * const sub = realtime.subscribe('orders', (event) => console.log(event.name, event.data))
 * await realtime.publish('orders', 'created', { id: 7 })
 * sub.unsubscribe(); realtime.close()
 */
export class RealtimeClient<M extends EventMap = AnyEvents> extends EventEmitter<RealtimeClientEvents> {
  readonly #context: ClientContext<RealtimeConfig>
  readonly #settings: RealtimeSettings
  readonly #queue: PublishQueue
  readonly #channels = new Map<string, Channel>()
  readonly #timers: TimerSlots<Slot>
  readonly #heartbeat: Heartbeat
  #state: ConnectionState = 'idle'
  #attempt = 0
  #socket: WebSocket | undefined
  #token: string | undefined
  /** Bumped whenever a connection ends, so async steps of an older one stop. */
  #generation = 0
  #openedAt = 0
  #lastClose: { code?: number; reason?: string } = {}
  #seq = 0
  #idPrefix: string | undefined
  #wake: WakeListeners | undefined

  /** Builds a client on a context; opens nothing until the first subscribe or publish. */
  constructor(context: ClientContext<RealtimeConfig>) {
    super()
    this.#context = context
    this.#settings = resolveRealtimeOptions(context.config.realtime)
    this.#queue = new PublishQueue(this.#settings.queueSize, this.#settings.queueTtlMs)
    this.#timers = new TimerSlots(this.#settings.clock)
    this.#heartbeat = new Heartbeat(
      this.#timers as TimerSlots<'heartbeat'>,
      this.#settings.clock,
      this.#settings.heartbeatTimeoutMs,
      (now) => this.#send({ type: 'ping', t: now }),
      (silentMs) => this.#lost(undefined, `no frame for ${silentMs} ms`),
    )
  }

  /** The connection state. */
  get state(): ConnectionState {
    return this.#state
  }

  /**
   * The same client, typed with an event map: channel names, event names and payloads.
   *
   * @example
   * const chat = client.realtime.typed<{ chat: { message: { text: string } } }>()
   */
  typed<E extends EventMap>(): RealtimeClient<E> {
    return this as unknown as RealtimeClient<E>
  }

  /**
   * Subscribes to a channel and opens the connection if needed. Events arrive in offset order,
   * never twice; missed ones are replayed after a reconnect, or `onGap` is called before newer ones.
   *
   * @example
   * const sub = realtime.subscribe('news', { onEvent: show, onGap: refetch }, { from: saved })
   * for await (const event of realtime.subscribe('news')) show(event)
   */
  subscribe<C extends keyof M & string>(
    channel: C,
    handler?: ((event: RealtimeEvent<M, C>) => void) | SubscriptionHandlers<RealtimeEvent<M, C>>,
    options: SubscribeOptions = {},
  ): Subscription<RealtimeEvent<M, C>> {
    if (this.#state === 'closed') throw new RealtimeError('the client is closed', { code: 'client_closed' })
    if (typeof channel !== 'string' || channel.length === 0) {
      throw new RealtimeError('channel must be a non-empty string', { code: 'invalid_channel' })
    }
    const from = options.from
    if (from !== undefined && !(isOffset(from.offset) && typeof from.epoch === 'string')) {
      throw new RealtimeError('from must be { offset: "<decimal>", epoch }', { code: 'invalid_position' })
    }
    const handlers = typeof handler === 'function' ? { onEvent: handler } : (handler ?? {})
    const { subscription, sink } = createSubscription(channel, handlers, (ended) => this.#detach(channel, ended))
    let ch = this.#channels.get(channel)
    if (ch) {
      ch.sinks.add(sink)
      if (ch.live) sink.confirmed()
    } else {
      ch = { name: channel, position: from && { ...from }, sinks: new Set([sink]), subId: undefined, live: false, chain: undefined }
      this.#channels.set(channel, ch)
      if (this.#state === 'open') this.#sendSubscribe(ch)
    }
    this.#start()
    return subscription
  }

  /**
   * Publishes an event. Settles when the server acknowledges it; while disconnected it waits in the
   * bounded queue and is resent with the same id after reconnecting, so it takes effect once.
   * Rejects with a RealtimeError: `queue_full`, `publish_expired`, `client_closed` or the server's code.
   *
   * @example
   * await realtime.publish('chat', 'message', { text: 'hi' })
   */
  publish<C extends keyof M & string, N extends keyof M[C] & string>(channel: C, name: N, data: M[C][N]): Promise<void> {
    if (this.#state === 'closed') return Promise.reject(new RealtimeError('the client is closed', { code: 'client_closed' }))
    const id = `${(this.#idPrefix ??= newPrefix(this.#settings.random))}${(++this.#seq).toString(36)}`
    let text: string
    try {
      text = JSON.stringify({ type: 'publish', id, channel, name, data } satisfies ClientFrame)
    } catch (error) {
      return Promise.reject(error)
    }
    const settled = this.#queue.add(id, text, this.#settings.clock.now())
    if (this.#state === 'open') this.#flush()
    else {
      this.#start()
      this.#armExpiry()
    }
    return settled
  }

  /** The last position delivered on a channel, to save and pass back as `from` later. */
  position(channel: string): StreamPosition | undefined {
    const position = this.#channels.get(channel)?.position
    return position && { ...position }
  }

  /**
   * Ends everything: the socket, every timer and listener. Pending publishes reject with
   * `client_closed`; iterators finish. The client cannot be reopened.
   */
  close(): void {
    this.#shutdown(undefined)
  }

  /** A debug hook: what the client holds right now. Leak tests read it; it is cheap. */
  inspect(): RealtimeDebugInfo {
    return {
      state: this.#state,
      attempt: this.#attempt,
      timers: this.#timers.names(),
      socket: this.#socket !== undefined,
      webSocket: this.#context.config.WebSocket ? 'custom' : socketKind,
      browserListeners: this.#wake?.count ?? 0,
      channels: this.#channels.size,
      pendingPublishes: this.#queue.size,
    }
  }

  #start(): void {
    if (this.#state !== 'idle') return
    this.#wake = listenForWake(
      () => this.#reconnectNow(),
      () => (this.#state === 'open' ? this.#heartbeat.probe() : this.#reconnectNow()),
    )
    this.#setState('connecting')
    void this.#connect()
  }

  async #connect(): Promise<void> {
    const generation = ++this.#generation
    this.#timers.disarm('reconnect')
    const { config, auth } = this.#context
    if (config.timeout !== false) this.#timers.arm('connect', config.timeout, () => this.#lost(undefined, 'connect timed out'))
    let token: string | undefined
    if (auth.enabled) {
      try {
        token = await auth.getToken()
      } catch (error) {
        if (generation !== this.#generation) return
        this.emit('error', error)
        this.#lost(undefined, 'token provider failed')
        return
      }
      if (generation !== this.#generation) return
    }
    if (!config.realtimeUrl) {
      this.#shutdown(new RealtimeError('no realtime URL: set realtimeUrl or baseUrl', { code: 'no_url' }))
      return
    }
    let socket: WebSocket
    try {
      socket = new (config.WebSocket ?? defaultWebSocket())(config.realtimeUrl.href, PROTOCOL)
    } catch (cause) {
      this.#shutdown(new RealtimeError('the WebSocket could not be created', { code: 'connect_failed', cause }))
      return
    }
    this.#token = token
    this.#socket = socket
    socket.onopen = () => {
      if (token !== undefined) socket.send(JSON.stringify({ type: 'auth', token } satisfies ClientFrame))
    }
    socket.onmessage = (message) => this.#receive(message.data)
    socket.onclose = (event) => this.#lost(event.code, event.reason)
    // Errors are always followed by a close; a listener must stay so `ws` never throws one.
    socket.onerror = noop
  }

  #receive(data: unknown): void {
    this.#heartbeat.received()
    const frame = parseServerFrame(data)
    if (!frame) {
      this.#context.log.warn('realtime: ignored a malformed or unknown frame')
      return
    }
    switch (frame.type) {
      case 'event':
        return this.#onEvent(frame)
      case 'welcome':
        return this.#onWelcome(frame.heartbeatMs)
      case 'subscribed':
        return this.#onSubscribed(frame)
      case 'ack':
        this.#queue.settle(frame.id)
        return
      case 'error':
        return this.#onError(frame)
      case 'reconnect':
        // A planned close follows; leave now and come back no sooner than asked.
        return this.#lost(undefined, 'server asked to reconnect', frame.afterMs)
      default:
    }
  }

  #onWelcome(serverHeartbeat: number): void {
    if (this.#state === 'open') return
    const { clock, heartbeatMs } = this.#settings
    this.#timers.disarm('connect')
    this.#openedAt = clock.now()
    this.#heartbeat.start(serverHeartbeat > 0 ? Math.min(heartbeatMs, serverHeartbeat) : heartbeatMs)
    // Resubscribes first, then the queued publishes, so a publish never overtakes its subscription.
    for (const ch of this.#channels.values()) this.#sendSubscribe(ch)
    this.#timers.disarm('expiry')
    this.#state = 'open'
    this.#flush()
    this.#armAuthRefresh()
    this.#emitState({})
  }

  #sendSubscribe(ch: Channel): void {
    ch.subId = `s${(++this.#seq).toString(36)}`
    ch.live = false
    this.#send({ type: 'subscribe', id: ch.subId, channel: ch.name, ...(ch.position && { from: ch.position }) })
  }

  #onSubscribed(frame: Extract<ServerFrame, { type: 'subscribed' }>): void {
    const ch = this.#channels.get(frame.channel)
    if (!ch || ch.subId !== frame.id) return
    ch.live = true
    const last = ch.position
    if (last && (!frame.recovered || frame.epoch !== last.epoch)) {
      // The missed events are gone: say so before anything newer is delivered.
      this.#gap(ch, 'history_lost', frame.epoch)
      ch.position = { offset: frame.offset, epoch: frame.epoch }
    } else if (!last) ch.position = { offset: frame.offset, epoch: frame.epoch }
    for (const sink of ch.sinks) sink.confirmed()
  }

  #onEvent(frame: EventFrame): void {
    const ch = this.#channels.get(frame.channel)
    if (!ch || !ch.live) return
    const verdict = judge(ch.position, frame.offset, frame.epoch)
    if (verdict === 'stale') return
    if (verdict !== 'deliver') this.#gap(ch, verdict === 'epoch' ? 'epoch_changed' : 'offset_skipped', frame.epoch)
    if (ch.position) {
      ch.position.offset = frame.offset
      ch.position.epoch = frame.epoch
    } else ch.position = { offset: frame.offset, epoch: frame.epoch }
    const schemas = this.#settings.schemas?.[ch.name]
    if (!schemas) return this.#inOrder(ch, () => fanOut(ch, frame))
    const schema = schemas[frame.name]
    if (!schema) return this.#inOrder(ch, () => this.#invalid(ch, frame, [{ message: `no schema for event "${frame.name}"` }]))
    const check = (result: StandardSchemaResult<unknown>) =>
      result.issues ? this.#invalid(ch, frame, result.issues) : fanOut(ch, { ...frame, data: result.value })
    let result: ReturnType<typeof schema['~standard']['validate']>
    try {
      result = schema['~standard'].validate(frame.data)
    } catch (error) {
      result = { issues: [{ message: String(error) }] }
    }
    if (result instanceof Promise) {
      const pending = result
      this.#inOrder(ch, () => pending.then(check, (error) => check({ issues: [{ message: String(error) }] })))
    } else {
      const sync = result
      this.#inOrder(ch, () => check(sync))
    }
  }

  #invalid(ch: Channel, frame: EventFrame, issues: ReadonlyArray<{ message: string; path?: any }>): void {
    const detail = issues.map((issue) => `${formatIssuePath(issue)}: ${issue.message}`).join('; ')
    const error = new RealtimeError(`event "${frame.name}" on "${ch.name}" at offset ${frame.offset} is invalid: ${detail}`, {
      code: 'invalid_event',
      cause: issues,
    })
    let handled = false
    for (const sink of ch.sinks) {
      if (sink.handlers.onError) {
        sink.error(error)
        handled = true
      }
    }
    if (!handled) this.emit('error', error)
  }

  #gap(ch: Channel, reason: Gap['reason'], epoch: string): void {
    const gap: Gap = { channel: ch.name, reason, from: { ...ch.position! }, epoch }
    this.#inOrder(ch, () => {
      this.emit('gap', gap)
      for (const sink of ch.sinks) sink.gap(gap)
    })
  }

  /** Runs deliveries in arrival order, also when an async schema made an earlier one wait. */
  #inOrder(ch: Channel, step: () => void | Promise<void>): void {
    if (ch.chain) {
      const chain: Promise<void> = ch.chain.then(step).then(() => {
        if (ch.chain === chain) ch.chain = undefined
      })
      ch.chain = chain
      return
    }
    const pending = step()
    if (pending) {
      const chain: Promise<void> = pending.then(() => {
        if (ch.chain === chain) ch.chain = undefined
      })
      ch.chain = chain
    }
  }

  #onError(frame: Extract<ServerFrame, { type: 'error' }>): void {
    const error = new RealtimeError(frame.message, { code: frame.code })
    if (frame.id === undefined) {
      this.emit('error', error)
      return
    }
    if (this.#queue.settle(frame.id, error)) return
    for (const ch of this.#channels.values()) {
      if (ch.subId !== frame.id) continue
      // The server refused this subscription: it will not be retried.
      this.#channels.delete(ch.name)
      for (const sink of ch.sinks) sink.end(error)
      return
    }
    this.emit('error', error)
  }

  #detach(channel: string, sink: Sink<any>): void {
    const ch = this.#channels.get(channel)
    if (!ch || !ch.sinks.delete(sink) || ch.sinks.size > 0) return
    this.#channels.delete(channel)
    if (this.#state === 'open' && ch.subId) this.#send({ type: 'unsubscribe', id: `u${(++this.#seq).toString(36)}`, channel })
  }

  #flush(): void {
    const socket = this.#socket
    if (!socket) return
    for (const text of this.#queue.drain()) socket.send(text)
  }

  #send(frame: ClientFrame): void {
    this.#socket?.send(JSON.stringify(frame))
  }

  /** The connection ended (close, dead link, timeout, or a reconnect request): plan the next one. */
  #lost(code: number | undefined, reason: string, serverDelay?: number): void {
    if (this.#state === 'closed' || this.#state === 'idle') return
    const refused = this.#token
    this.#endConnection(false)
    this.#lastClose = { code, reason }
    this.#context.log.info('realtime: connection lost', { code, reason })
    const now = this.#settings.clock.now()
    if (this.#openedAt && now - this.#openedAt >= this.#settings.stableAfterMs) this.#attempt = 0
    this.#openedAt = 0
    switch (code) {
      case CloseCode.forbidden:
        return this.#shutdown(new RealtimeError(`the server refused access (4403): ${reason}`, { code: 'forbidden', closeCode: code }))
      case CloseCode.unauthorized:
        this.#setState('reconnecting')
        void this.#retryRefused(refused, reason)
        return
      case CloseCode.tokenExpired:
        this.#context.auth.invalidate(refused)
        // A fresh token fixes this at once; only a repeat waits for the backoff.
        return this.#schedule(undefined, this.#attempt === 0)
      case CloseCode.tooManyRequests: {
        const wait = Number.parseInt(reason, 10)
        return this.#schedule(Number.isFinite(wait) && wait >= 0 ? wait : undefined, false)
      }
      default:
        this.#schedule(serverDelay, false)
    }
  }

  /** 4401: fatal, unless the token provider now yields a token different from the refused one. */
  async #retryRefused(refused: string | undefined, reason: string): Promise<void> {
    const generation = this.#generation
    const auth = this.#context.auth
    let next: string | undefined
    if (auth.refreshable) {
      auth.invalidate(refused)
      try {
        next = await auth.getToken()
      } catch (error) {
        if (generation !== this.#generation) return
        this.emit('error', error)
        return this.#schedule(undefined, false)
      }
    }
    if (generation !== this.#generation) return
    if (next === undefined || next === refused) {
      return this.#shutdown(new RealtimeError(`the server refused the token (4401): ${reason}`, { code: 'unauthorized', closeCode: 4401 }))
    }
    this.#schedule(undefined, false)
  }

  /** Arms the next attempt: the server's delay, if any, plus the full-jitter backoff on top. */
  #schedule(serverDelay: number | undefined, now: boolean): void {
    const { maxRetries, backoff, random } = this.#settings
    if (this.#attempt >= maxRetries) {
      return this.#shutdown(
        new RealtimeError(`gave up after ${this.#attempt} reconnect attempts`, {
          code: 'retries_exhausted',
          closeCode: this.#lastClose.code,
        }),
      )
    }
    // A server-given delay is a floor, never shortened; jitter still goes on top so every client
    // told "come back in 5 s" does not come back in the same millisecond.
    // The exponent is clamped: past 2^1023 the core's window is base·Infinity, NaN when base is 0.
    const delay = (serverDelay ?? 0) + (now ? 0 : backoffDelay(Math.min(this.#attempt, 64), backoff, random))
    this.#attempt += 1
    this.#timers.arm('reconnect', delay, () => void this.#connect())
    this.#armExpiry()
    this.#state = 'reconnecting'
    this.#emitState({ delay })
  }

  /** Detaches and ends the socket and everything tied to one connection. */
  #endConnection(graceful: boolean): void {
    this.#generation += 1
    for (const slot of ['connect', 'heartbeat', 'auth'] as const) this.#timers.disarm(slot)
    const socket = this.#socket
    this.#socket = undefined
    this.#token = undefined
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = null
      const ws = socket as WebSocket & { terminate?: () => void }
      try {
        // A dead link never finishes a close handshake, so it is cut; close() is for goodbyes.
        if (!graceful && ws.terminate) ws.terminate()
        else socket.close(CloseCode.normal)
      } catch {
        // Closing a socket that failed to open can throw in some runtimes; it is gone either way.
      }
    }
    for (const ch of this.#channels.values()) {
      ch.live = false
      ch.subId = undefined
    }
    this.#queue.unsend()
  }

  #shutdown(error: RealtimeError | undefined): void {
    if (this.#state === 'closed') return
    this.#endConnection(true)
    this.#timers.clear()
    this.#wake?.remove()
    this.#wake = undefined
    this.#queue.clear(error ?? new RealtimeError('the client was closed', { code: 'client_closed' }))
    const channels = [...this.#channels.values()]
    this.#channels.clear()
    for (const ch of channels) for (const sink of ch.sinks) sink.end(error)
    this.#state = 'closed'
    this.#emitState(error ? { error } : {})
    if (error) this.emit('error', error)
  }

  #armExpiry(): void {
    const next = this.#queue.expire(this.#settings.clock.now())
    if (next === undefined) this.#timers.disarm('expiry')
    else this.#timers.arm('expiry', next - this.#settings.clock.now(), () => this.#armExpiry())
  }

  /** Before a known expiry, the token is refreshed in-band, without dropping the connection. */
  #armAuthRefresh(): void {
    const auth = this.#context.auth
    const expiresAt = auth.expiresAt
    if (expiresAt === undefined || !auth.refreshable) return
    const generation = this.#generation
    // At least a second apart, so a provider handing out near-expired tokens cannot spin.
    const wait = Math.max(1_000, expiresAt - REFRESH_AHEAD - this.#settings.clock.now())
    this.#timers.arm('auth', wait, async () => {
      let token: string | undefined
      try {
        token = await auth.getToken()
      } catch (error) {
        this.emit('error', error)
        return
      }
      if (generation !== this.#generation || token === undefined || token === this.#token) return
      this.#token = token
      this.#send({ type: 'auth', token })
      this.#armAuthRefresh()
    })
  }

  /** The network came back, or the page was shown again: waiting out the backoff is pointless. */
  #reconnectNow(): void {
    if (this.#state === 'reconnecting' && this.#timers.has('reconnect')) void this.#connect()
  }

  #setState(state: ConnectionState): void {
    this.#state = state
    this.#emitState({})
  }

  #emitState(extra: { delay?: number; error?: RealtimeError }): void {
    const change: StateChange = {
      state: this.#state,
      attempt: this.#attempt,
      ...extra,
      ...(this.#lastClose.code !== undefined && { closeCode: this.#lastClose.code }),
      ...(this.#lastClose.reason !== undefined && { closeReason: this.#lastClose.reason }),
    }
    this.#context.log.debug('realtime: state', { ...change })
    this.emit('state', change)
  }
}

function fanOut(ch: Channel, event: unknown): void {
  for (const sink of ch.sinks) sink.event(event)
}

/** A per-client id prefix for publishes, so ids from different clients never collide. */
function newPrefix(random: () => number): string {
  const uuid = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto?.randomUUID?.()
  return `${uuid ?? Array.from({ length: 4 }, () => Math.floor(random() * 2 ** 32).toString(36)).join('')}:`
}
