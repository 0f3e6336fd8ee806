import { EventEmitter } from 'eventemitter3'
// `#socket` is a package import resolved by condition: `ws` on Node, the runtime's own WebSocket elsewhere.
import { defaultWebSocket, socketKind } from '#socket'
import { type ClientContext, type RealtimeConfig, RealtimeError, type StandardSchemaResult, backoffDelay, formatIssuePath } from '../core/index.js'
import { type ClientFrame, type CloseCode, PROTOCOL, type ServerFrame, type StreamPosition, isOffset } from '../core/protocol.js'
import { parseServerFrame } from './frames.js'
import { resolveRealtimeOptions } from './options.js'
import { judge } from './resume.js'
import { type Sink, type Subscription, createSubscription } from './subscription.js'
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

type Frame<T extends ServerFrame['type']> = Extract<ServerFrame, { type: T }>
type Slot = 'connect' | 'reconnect' | 'heartbeat' | 'expiry' | 'auth'

interface Channel {
  readonly name: string
  /** The last position delivered; always set once the channel is live. */
  position: StreamPosition | undefined
  readonly sinks: Set<Sink<any>>
  /** The id of the subscribe frame in flight or confirmed on the current connection. */
  subId?: string | undefined
  /** The server confirmed `subId`; events are accepted only then. */
  live: boolean
  /** Pending async schema validations; later deliveries queue behind them to keep order. */
  chain?: Promise<void> | undefined
}

/** A publish not yet acknowledged. */
interface Pending {
  readonly text: string
  readonly expiresAt: number
  /** Sent on the current connection; unsent ones wait for the next and may expire. */
  sent: boolean
  resolve(): void
  reject(error: RealtimeError): void
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

const fail = (message: string, code: string, extra?: { cause?: unknown; closeCode?: number }) =>
  new RealtimeError(message, { code, ...extra })
const closed = () => fail('the client is closed', 'client_closed')

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
  readonly #engine: Engine

  /** Builds a client on a context; opens nothing until the first subscribe or publish. */
  constructor(context: ClientContext<RealtimeConfig>) {
    super()
    this.#engine = createEngine(context, this)
  }

  /** The connection state. */
  get state(): ConnectionState {
    return this.#engine.state()
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
    options?: SubscribeOptions,
  ): Subscription<RealtimeEvent<M, C>> {
    return this.#engine.subscribe(channel, handler, options)
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
    return this.#engine.publish(channel, name, data)
  }

  /** The last position delivered on a channel, to save and pass back as `from` later. */
  position(channel: string): StreamPosition | undefined {
    return this.#engine.position(channel)
  }

  /**
   * Ends everything: the socket, every timer and listener. Pending publishes reject with
   * `client_closed`; iterators finish. The client cannot be reopened.
   */
  close(): void {
    this.#engine.close()
  }

  /** A debug hook: what the client holds right now. Leak tests read it; it is cheap. */
  inspect(): RealtimeDebugInfo {
    return this.#engine.inspect()
  }
}

/** What {@link RealtimeClient} delegates to: one closure per client, its state in local variables. */
interface Engine {
  state(): ConnectionState
  subscribe(channel: string, handler?: ((event: any) => void) | SubscriptionHandlers<any>, options?: SubscribeOptions): Subscription<any>
  publish(channel: string, name: string, data: unknown): Promise<void>
  position(channel: string): StreamPosition | undefined
  close(): void
  inspect(): RealtimeDebugInfo
}

function createEngine({ config, auth, log }: ClientContext<RealtimeConfig>, client: EventEmitter<RealtimeClientEvents>): Engine {
  const {
    heartbeatMs,
    heartbeatTimeoutMs,
    backoff,
    maxRetries,
    stableAfterMs,
    queue: { size: queueSize, ttlMs },
    schemas,
    random,
    clock,
  } = resolveRealtimeOptions(config.realtime)
  const emit: EventEmitter<RealtimeClientEvents>['emit'] = (...args) => client.emit(...args)
  const now = () => clock.now()
  const channels = new Map<string, Channel>()
  /** Publishes not yet acknowledged, by id, in publish order. */
  const queue = new Map<string, Pending>()
  /** The armed timers, one per purpose: arming a slot replaces its timer, so none is forgotten or doubled. */
  const timers = new Map<Slot, unknown>()
  /** Removes the browser's `online` / `visibilitychange` listeners. */
  let unlisten: Array<() => void> = []
  let state: ConnectionState = 'idle'
  let attempt = 0
  let socket: WebSocket | undefined
  /** The token the current connection authenticated with. */
  let token: string | undefined
  /** Bumped whenever a connection ends, so async steps of an older one stop. */
  let generation = 0
  let openedAt = 0
  let lastClose: { closeCode?: number; closeReason?: string } = {}
  let seq = 0
  let idPrefix: string | undefined
  // Heartbeat: a ping every `interval`, and "dead" when nothing at all arrived for interval +
  // timeout. One timer serves both, due at whichever comes first, so a black hole is found within
  // interval + timeout of the last frame, not a whole interval later.
  let interval = 0
  let deadline = 0
  let nextPing = 0
  let due = 0

  const nextId = (prefix: string) => prefix + (++seq).toString(36)

  const disarm = (slot: Slot) => {
    if (!timers.has(slot)) return
    clock.clearTimeout(timers.get(slot))
    timers.delete(slot)
  }

  const arm = (slot: Slot, ms: number, callback: () => void) => {
    disarm(slot)
    timers.set(
      slot,
      clock.setTimeout(() => {
        timers.delete(slot)
        callback()
      }, Math.max(0, ms)),
    )
  }

  const send = (frame: ClientFrame) => socket?.send(JSON.stringify(frame))

  const ping = (at: number) => send({ type: 'ping', t: at })

  const armBeat = (at: number) => {
    due = Math.min(nextPing, deadline)
    arm('heartbeat', due - at, beat)
  }

  const beat = () => {
    const at = now()
    const skew = at - due
    if (skew < 0) {
      // The wall clock went back: keep the same real-time budgets.
      deadline += skew
      nextPing += skew
    } else if (skew > heartbeatTimeoutMs) {
      // The tick ran far too late (the machine slept, or a background tab's timers were throttled):
      // the silence measured may be ours, not the link's. Probe now and judge on the answer.
      deadline = at + heartbeatTimeoutMs
      nextPing = at
    } else if (at >= deadline) return lost(undefined, `no frame for ${interval + heartbeatTimeoutMs} ms`)
    if (at >= nextPing) {
      ping(at)
      nextPing = at + interval
    }
    armBeat(at)
  }

  /** Asks at once and allows only the timeout for an answer (a hidden page shown again). */
  const probe = () => {
    const at = now()
    ping(at)
    deadline = Math.min(deadline, at + heartbeatTimeoutMs)
    armBeat(at)
  }

  const setState = (next: ConnectionState, extra?: { delay?: number; error?: RealtimeError }) => {
    state = next
    const change: StateChange = { state, attempt, ...extra, ...lastClose }
    log.debug('realtime: state', { ...change })
    emit('state', change)
  }

  /** Feature-detected at the first connect, never at import; a target without listeners is skipped. */
  const listen = (target: EventTarget | undefined, type: string, listener: () => void) => {
    if (typeof target?.addEventListener !== 'function') return
    target.addEventListener(type, listener)
    unlisten.push(() => target.removeEventListener?.(type, listener))
  }

  const start = () => {
    if (state !== 'idle') return
    // The network came back, or a hidden page is shown again: waiting out the backoff is pointless.
    listen(globalThis as unknown as EventTarget, 'online', reconnectNow)
    const doc = (globalThis as { document?: Document }).document
    listen(doc, 'visibilitychange', () => doc!.visibilityState === 'visible' && (state === 'open' ? probe() : reconnectNow()))
    setState('connecting')
    void connect()
  }

  const reconnectNow = () => {
    if (state === 'reconnecting' && timers.has('reconnect')) void connect()
  }

  const connect = async () => {
    const current = ++generation
    disarm('reconnect')
    if (config.timeout !== false) arm('connect', config.timeout, () => lost(undefined, 'connect timed out'))
    let fresh: string | undefined
    // Without auth the socket is made synchronously, in the same tick as the first subscribe.
    if (auth.enabled) {
      try {
        fresh = await auth.getToken()
      } catch (error) {
        if (current !== generation) return
        emit('error', error)
        return lost(undefined, 'token provider failed')
      }
      if (current !== generation) return
    }
    if (!config.realtimeUrl) return shutdown(fail('no realtime URL: set realtimeUrl or baseUrl', 'no_url'))
    let ws: WebSocket
    try {
      ws = new (config.WebSocket ?? defaultWebSocket())(config.realtimeUrl.href, PROTOCOL)
    } catch (cause) {
      return shutdown(fail('the WebSocket could not be created', 'connect_failed', { cause }))
    }
    token = fresh
    socket = ws
    ws.onopen = () => fresh !== undefined && send({ type: 'auth', token: fresh })
    ws.onmessage = (message) => receive(message.data)
    ws.onclose = (event) => lost(event.code, event.reason)
    // Errors are always followed by a close; a listener must stay so `ws` never throws one.
    ws.onerror = () => {}
  }

  /** What each server frame does; the others (pong, authed, unsubscribed) only prove the link alive. */
  const on: { [T in ServerFrame['type']]?: (frame: Frame<T>) => void } = {
    welcome(frame) {
      if (state === 'open') return
      disarm('connect')
      const at = (openedAt = now())
      interval = frame.heartbeatMs > 0 ? Math.min(heartbeatMs, frame.heartbeatMs) : heartbeatMs
      deadline = at + interval + heartbeatTimeoutMs
      nextPing = at + interval
      armBeat(at)
      // Resubscribes first, then the queued publishes, so a publish never overtakes its subscription.
      for (const ch of channels.values()) sendSubscribe(ch)
      disarm('expiry')
      flush()
      armAuthRefresh()
      setState('open')
    },

    subscribed(frame) {
      const ch = channels.get(frame.channel)
      if (!ch || ch.subId !== frame.id) return
      ch.live = true
      const last = ch.position
      if (!last || !frame.recovered || frame.epoch !== last.epoch) {
        // The missed events are gone: say so before anything newer is delivered.
        if (last) gap(ch, 'history_lost', frame.epoch)
        ch.position = { offset: frame.offset, epoch: frame.epoch }
      }
      for (const sink of ch.sinks) sink.confirmed()
    },

    event(frame) {
      const ch = channels.get(frame.channel)
      if (!ch?.live) return
      const position = ch.position!
      const verdict = judge(position, frame.offset, frame.epoch)
      if (verdict === 'stale') return
      if (verdict) gap(ch, verdict, frame.epoch)
      position.offset = frame.offset
      position.epoch = frame.epoch
      const channelSchemas = schemas?.[ch.name]
      if (!channelSchemas) return inOrder(ch, () => fanOut(ch, frame))
      const schema = channelSchemas[frame.name]
      const check = (result: StandardSchemaResult<unknown>) =>
        result.issues ? invalid(ch, frame, result.issues) : fanOut(ch, { ...frame, data: result.value })
      const issue = (error: unknown) => ({ issues: [{ message: String(error) }] })
      let result: StandardSchemaResult<unknown> | Promise<StandardSchemaResult<unknown>>
      try {
        result = schema ? schema['~standard'].validate(frame.data) : issue(`no schema for event "${frame.name}"`)
      } catch (error) {
        result = issue(error)
      }
      inOrder(ch, () => (result instanceof Promise ? result.then(check, (error) => check(issue(error))) : check(result)))
    },

    ack: (frame) => void settle(frame.id),

    error(frame) {
      const error = fail(frame.message, frame.code)
      if (frame.id !== undefined) {
        if (settle(frame.id, error)) return
        for (const ch of channels.values()) {
          if (ch.subId !== frame.id) continue
          // The server refused this subscription: it will not be retried.
          channels.delete(ch.name)
          for (const sink of ch.sinks) sink.end(error)
          return
        }
      }
      emit('error', error)
    },

    // A planned close follows; leave now and come back no sooner than asked.
    reconnect: (frame) => lost(undefined, 'server asked to reconnect', frame.afterMs),
  }

  const receive = (data: unknown) => {
    // Any frame at all proves the link alive.
    deadline = now() + interval + heartbeatTimeoutMs
    const frame = parseServerFrame(data)
    if (!frame) return log.warn('realtime: ignored a malformed or unknown frame')
    ;(on[frame.type] as ((frame: ServerFrame) => void) | undefined)?.(frame)
  }

  const sendSubscribe = (ch: Channel) => {
    ch.live = false
    send({ type: 'subscribe', id: (ch.subId = nextId('s')), channel: ch.name, ...(ch.position && { from: ch.position }) })
  }

  const fanOut = (ch: Channel, event: unknown) => {
    for (const sink of ch.sinks) sink.event(event)
  }

  const invalid = (ch: Channel, frame: Frame<'event'>, issues: ReadonlyArray<{ message: string; path?: any }>) => {
    const detail = issues.map((issue) => `${formatIssuePath(issue)}: ${issue.message}`).join('; ')
    const error = fail(`event "${frame.name}" on "${ch.name}" at offset ${frame.offset} is invalid: ${detail}`, 'invalid_event', {
      cause: issues,
    })
    let handled = false
    for (const sink of ch.sinks) if (sink.error(error)) handled = true
    if (!handled) emit('error', error)
  }

  const gap = (ch: Channel, reason: Gap['reason'], epoch: string) => {
    const event: Gap = { channel: ch.name, reason, from: { ...ch.position! }, epoch }
    inOrder(ch, () => {
      emit('gap', event)
      for (const sink of ch.sinks) sink.gap(event)
    })
  }

  /** Runs deliveries in arrival order, also when an async schema made an earlier one wait. */
  const inOrder = (ch: Channel, step: () => void | Promise<void>) => {
    const pending = ch.chain ? ch.chain.then(step) : step()
    if (!pending) return
    const chain: Promise<void> = pending.then(() => {
      if (ch.chain === chain) ch.chain = undefined
    })
    ch.chain = chain
  }

  /** Settles one publish from the server's `ack` (no error) or `error` frame; false when unknown. */
  const settle = (id: string, error?: RealtimeError) => {
    const entry = queue.get(id)
    if (!entry) return false
    queue.delete(id)
    if (error) entry.reject(error)
    else entry.resolve()
    return true
  }

  const detach = (channel: string, sink: Sink<any>) => {
    const ch = channels.get(channel)
    if (!ch?.sinks.delete(sink) || ch.sinks.size > 0) return
    channels.delete(channel)
    if (state === 'open' && ch.subId) send({ type: 'unsubscribe', id: nextId('u'), channel })
  }

  /** Sends every unsent publish, in order. */
  const flush = () => {
    if (!socket) return
    for (const entry of queue.values()) {
      if (entry.sent) continue
      entry.sent = true
      socket.send(entry.text)
    }
  }

  /** The connection ended (close, dead link, timeout, or a reconnect request): plan the next one. */
  const lost = (code: number | undefined, reason: string, serverDelay?: number): void => {
    if (state === 'closed' || state === 'idle') return
    const refused = token
    endConnection(false)
    lastClose = { ...(code !== undefined && { closeCode: code }), closeReason: reason }
    log.info('realtime: connection lost', { code, reason })
    if (openedAt && now() - openedAt >= stableAfterMs) attempt = 0
    openedAt = 0
    // The close codes of docs/protocol.md, as literals; `satisfies` ties each to CloseCode.
    switch (code) {
      case 4403 satisfies typeof CloseCode.forbidden:
        return shutdown(fail(`the server refused access (4403): ${reason}`, 'forbidden', { closeCode: code }))
      case 4401 satisfies typeof CloseCode.unauthorized:
        setState('reconnecting')
        return void retryRefused(refused, reason)
      case 4001 satisfies typeof CloseCode.tokenExpired:
        auth.invalidate(refused)
        // A fresh token fixes this at once; only a repeat waits for the backoff.
        return schedule(undefined, attempt === 0)
      case 4429 satisfies typeof CloseCode.tooManyRequests: {
        const wait = Number.parseInt(reason, 10)
        return schedule(Number.isFinite(wait) && wait >= 0 ? wait : undefined)
      }
    }
    schedule(serverDelay)
  }

  /** 4401: fatal, unless the token provider now yields a token different from the refused one. */
  const retryRefused = async (refused: string | undefined, reason: string) => {
    const current = generation
    auth.invalidate(refused)
    let next: string | undefined
    try {
      next = await auth.getToken()
    } catch (error) {
      if (current !== generation) return
      emit('error', error)
      return schedule()
    }
    if (current !== generation) return
    if (next === undefined || next === refused) {
      return shutdown(fail(`the server refused the token (4401): ${reason}`, 'unauthorized', { closeCode: 4401 }))
    }
    schedule()
  }

  /** Arms the next attempt: the server's delay, if any, plus the full-jitter backoff on top. */
  const schedule = (serverDelay = 0, immediate = false) => {
    if (attempt >= maxRetries) {
      return shutdown(fail(`gave up after ${attempt} reconnect attempts`, 'retries_exhausted', { closeCode: lastClose.closeCode }))
    }
    // A server-given delay is a floor, never shortened; jitter still goes on top so every client
    // told "come back in 5 s" does not come back in the same millisecond.
    const delay = serverDelay + (immediate ? 0 : backoffDelay(attempt, backoff, random))
    attempt += 1
    arm('reconnect', delay, connect)
    armExpiry()
    setState('reconnecting', { delay })
  }

  /** Detaches and ends the socket and everything tied to one connection. */
  const endConnection = (graceful: boolean) => {
    generation += 1
    for (const slot of ['connect', 'heartbeat', 'auth'] as const) disarm(slot)
    const ws = socket as (WebSocket & { terminate?: () => void }) | undefined
    socket = token = undefined
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = null
      try {
        // A dead link never finishes a close handshake, so it is cut; close() is for goodbyes.
        if (!graceful && ws.terminate) ws.terminate()
        else ws.close(1000 satisfies typeof CloseCode.normal)
      } catch {
        // Closing a socket that failed to open can throw in some runtimes; it is gone either way.
      }
    }
    for (const ch of channels.values()) {
      ch.live = false
      ch.subId = undefined
    }
    // Whatever was sent may not have arrived, so all of it goes again on the next connection.
    for (const entry of queue.values()) entry.sent = false
  }

  const shutdown = (error?: RealtimeError) => {
    if (state === 'closed') return
    endConnection(true)
    for (const slot of timers.keys()) disarm(slot)
    for (const remove of unlisten) remove()
    unlisten = []
    const reason = error ?? fail('the client was closed', 'client_closed')
    for (const entry of queue.values()) entry.reject(reason)
    queue.clear()
    const ended = [...channels.values()]
    channels.clear()
    for (const ch of ended) for (const sink of ch.sinks) sink.end(error)
    setState('closed', error && { error })
    if (error) emit('error', error)
  }

  /** Rejects unsent publishes past their deadline, and arms the timer for the next deadline. */
  const armExpiry = () => {
    const at = now()
    let next = Infinity
    for (const [id, entry] of queue) {
      if (entry.sent) continue
      if (entry.expiresAt > at) next = Math.min(next, entry.expiresAt)
      else {
        queue.delete(id)
        entry.reject(fail(`publish expired after ${ttlMs} ms without a connection`, 'publish_expired'))
      }
    }
    if (next < Infinity) arm('expiry', next - at, armExpiry)
    else disarm('expiry')
  }

  /** Before a known expiry, the token is refreshed in-band, without dropping the connection. */
  const armAuthRefresh = () => {
    // Only a token provider gives an expiry.
    const expiresAt = auth.expiresAt
    if (expiresAt === undefined) return
    const current = generation
    // At least a second apart, so a provider handing out near-expired tokens cannot spin. The
    // refresh goes out 30 s before expiry: Auth's default refresh margin, so getToken() then
    // returns a fresh token.
    arm('auth', Math.max(1_000, expiresAt - 30_000 - now()), async () => {
      let next: string | undefined
      try {
        next = await auth.getToken()
      } catch (error) {
        return void emit('error', error)
      }
      if (current !== generation || next === undefined || next === token) return
      token = next
      send({ type: 'auth', token })
      armAuthRefresh()
    })
  }

  return {
    state: () => state,

    subscribe(channel, handler, options = {}) {
      if (state === 'closed') throw closed()
      if (typeof channel !== 'string' || !channel) throw fail('channel must be a non-empty string', 'invalid_channel')
      const from = options.from
      if (from !== undefined && !(isOffset(from.offset) && typeof from.epoch === 'string')) {
        throw fail('from must be { offset: "<decimal>", epoch }', 'invalid_position')
      }
      const handlers = typeof handler === 'function' ? { onEvent: handler } : (handler ?? {})
      const { subscription, sink } = createSubscription(channel, handlers, (ended) => detach(channel, ended))
      const ch = channels.get(channel)
      if (ch) {
        ch.sinks.add(sink)
        if (ch.live) sink.confirmed()
      } else {
        const created: Channel = { name: channel, position: from && { ...from }, sinks: new Set([sink]), live: false }
        channels.set(channel, created)
        if (state === 'open') sendSubscribe(created)
      }
      start()
      return subscription
    },

    publish(channel, name, data) {
      if (state === 'closed') return Promise.reject(closed())
      const id = nextId((idPrefix ??= newPrefix(random)))
      let text: string
      try {
        text = JSON.stringify({ type: 'publish', id, channel, name, data } satisfies ClientFrame)
      } catch (error) {
        return Promise.reject(error)
      }
      const settled =
        queue.size >= queueSize
          ? Promise.reject(fail(`publish refused: ${queueSize} publishes are already waiting for an ack`, 'queue_full'))
          : new Promise<void>((resolve, reject) => queue.set(id, { text, expiresAt: now() + ttlMs, sent: false, resolve, reject }))
      if (state === 'open') flush()
      else {
        start()
        armExpiry()
      }
      return settled
    },

    position(channel) {
      const position = channels.get(channel)?.position
      return position && { ...position }
    },

    close: () => shutdown(),

    inspect: () => ({
      state,
      attempt,
      timers: [...timers.keys()],
      socket: socket !== undefined,
      webSocket: config.WebSocket ? 'custom' : socketKind,
      browserListeners: unlisten.length,
      channels: channels.size,
      pendingPublishes: queue.size,
    }),
  }
}

/** A per-client id prefix for publishes, so ids from different clients never collide. */
function newPrefix(random: () => number): string {
  const uuid = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto?.randomUUID?.()
  return `${uuid ?? Array.from({ length: 4 }, () => Math.floor(random() * 2 ** 32).toString(36)).join('')}:`
}
