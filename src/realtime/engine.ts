/**
 * Internal: the realtime engine, one closure per client. It owns the socket and the timers and
 * wires the pure parts to them: the heartbeat rule (heartbeat.ts), the close-code policy
 * (close-policy.ts), the publish queue (publish-queue.ts) and the channel table (channels.ts). Its
 * protocol (protocol.ts; `wirekit.v1` in frames.ts) turns frames into text and back and says what a
 * close code means; the engine deals in frame objects only.
 */
import type { EventEmitter } from './emitter.js'
// `#socket` is a package import resolved by condition: `ws` on Node, the runtime's own WebSocket elsewhere.
import { defaultWebSocket, socketKind } from '#socket'
import { type ClientContext, type RealtimeConfig, type RealtimeError, backoffDelay, parseUrl } from '../core/index.js'
import type { ClientFrame, CloseCode, StreamPosition } from '../core/protocol.js'
import { type Channel, createChannels } from './channels.js'
import { closed, fail } from './fail.js'
import { type Heartbeat, createHeartbeat } from './heartbeat.js'
import type { RealtimeSettings } from './options.js'
import type { ProtocolFrame, RealtimeProtocol } from './protocol.js'
import { createPublishQueue } from './publish-queue.js'
import { type Sink, type Subscription, createSubscription } from './subscription.js'
import type { ConnectionState, RealtimeClientEvents, RealtimeDebugInfo, StateChange, SubscribeOptions, SubscriptionHandlers } from './types.js'

/** What `RealtimeClient` delegates to. */
export interface Engine {
  state(): ConnectionState
  subscribe(channel: string, handler?: ((event: any) => void) | SubscriptionHandlers<any>, options?: SubscribeOptions): Subscription<any>
  /** `id`: a publish id made elsewhere (another tab's, or one saved before a reload), kept so the server dedupes it. */
  publish(channel: string, name: string, data: unknown, id?: string): Promise<void>
  position(channel: string): StreamPosition | undefined
  close(): void
  inspect(): RealtimeDebugInfo
}

/** Why the last connection ended, as every later `state` event reports it. */
type LastClose = Pick<StateChange, 'closeCode' | 'closeReason' | 'cause' | 'status'>

type Slot = 'connect' | 'reconnect' | 'heartbeat' | 'expiry' | 'auth'

/** Builds the engine of one client speaking `protocol`; `client` is where its events are emitted. */
export function createEngine({ config, auth, log }: ClientContext<RealtimeConfig>, client: EventEmitter<RealtimeClientEvents>, protocol: RealtimeProtocol): Engine {
  // Checked, defaulted and frozen by `realtimeSection` in the client's option table.
  const settings = config.realtime as unknown as RealtimeSettings
  const { heartbeatMs, heartbeatTimeoutMs, backoff, maxRetries, failedOpensBeforeError, stableAfterMs, random, clock } = settings
  const emit: EventEmitter<RealtimeClientEvents>['emit'] = (...args) => client.emit(...args)
  const now = () => clock.now()
  const channels = createChannels(settings.schemas, emit)
  const queue = createPublishQueue(settings.queue)
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
  let lastClose: LastClose = {}
  /** The current socket fired `open`; connection attempts in a row that ended before it did. */
  let opened = false
  let failedOpens = 0
  /** The current socket's last `error` event, and the error the current run of failed opens reported. */
  let failure: unknown
  let connectError: RealtimeError | undefined
  let heartbeat: Heartbeat | undefined
  /** The ping interval of the current connection: ours, or the server's when smaller. */
  let interval = 0
  let seq = 0
  let idPrefix: string | undefined
  /** The URL of the current connection attempt, and the `realtimeUrl` list entry it was taken from. */
  let url: URL | undefined
  let turn: number | undefined

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

  const sendText = (text: string | undefined) => text && socket?.send(text)
  const send = (frame: ClientFrame) => sendText(protocol.encode(frame))
  /** Sends every queued publish not yet sent on this connection, in publish order. */
  const flush = () => socket && queue.flush((text) => socket!.send(text))
  /**
   * The one heartbeat timer fired; or, `probing`, a hidden page is shown again: then a ping goes out
   * at once and only the timeout is allowed for an answer.
   */
  const beat = (probing?: boolean) => {
    const at = now()
    const verdict = probing ? (heartbeat!.probe(at), 'ping') : heartbeat!.tick(at)
    if (verdict === 'dead') return lost(`no frame for ${interval + heartbeatTimeoutMs} ms`)
    if (verdict === 'ping') send({ type: 'ping', t: at })
    arm('heartbeat', heartbeat!.due() - at, beat)
  }

  const setState = (next: ConnectionState, extra?: { delay?: number; error?: RealtimeError }) => {
    state = next
    const change = { state, attempt, ...extra, ...lastClose }
    log.debug('realtime: state', change)
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
    listen(doc, 'visibilitychange', () => doc!.visibilityState === 'visible' && (state === 'open' ? beat(true) : reconnectNow()))
    setState('connecting')
    void connect()
  }

  const reconnectNow = () => {
    if (state === 'reconnecting' && timers.has('reconnect')) void connect()
  }

  /**
   * A provider's answer (the token's, `realtimeUrl`'s) for connection `current`; `false` when that
   * connection ended meanwhile, or when the provider failed: then its error is emitted and `failed` runs.
   */
  const ask = <T>(current: number, answer: Promise<T>, failed?: () => void): Promise<T | false> =>
    answer.then(
      (value) => current === generation && value,
      (error) => {
        if (current === generation) {
          emit('error', error)
          failed?.()
        }
        return false
      },
    )

  const connect = async () => {
    const current = ++generation
    disarm('reconnect')
    if (config.timeout !== false) arm('connect', config.timeout, () => lost('connect timed out'))
    // Without auth or a realtimeUrl function the socket is made synchronously, in the same tick as the first subscribe.
    const fresh = auth.enabled ? await ask(current, auth.getToken(), () => lost('token provider failed')) : undefined
    if (fresh === false) return
    const target = config.realtimeUrl
    const next =
      typeof target === 'function'
        ? await ask(current, (async () => parseUrl('realtimeUrl()', await target({ attempt }), 'ws'))(), () => lost('realtimeUrl failed'))
        : // A list is taken in turn, from a random entry so clients spread over the servers.
          Array.isArray(target)
          ? target[Math.floor((turn = turn === undefined ? random() * target.length : turn + 1)) % target.length]
          : target
    if (next === false) return
    if (!(url = next)) return shutdown(fail('no realtime URL: set realtimeUrl or baseUrl', 'no_url'))
    let ws: WebSocket
    try {
      ws = new (config.WebSocket ?? defaultWebSocket())(url.href, protocol.name)
    } catch (cause) {
      return shutdown(fail('the WebSocket could not be created', 'connect_failed', { cause }))
    }
    token = fresh
    socket = ws
    opened = false
    failure = undefined
    ws.onopen = () => {
      opened = true
      failedOpens = 0
      sendText(protocol.open(fresh))
    }
    ws.onmessage = (message) => receive(message.data)
    ws.onclose = (event) => lost(event.reason, event.code)
    // An error is always followed by a close; it is kept only to say why. A listener must stay so `ws` never throws.
    ws.onerror = (event) => (failure = event)
  }

  /** What each server frame does; the others (pong, authed, unsubscribed) only prove the link alive. */
  const on: { [T in ProtocolFrame['type']]?: (frame: Extract<ProtocolFrame, { type: T }>) => void } = {
    welcome(frame) {
      if (state === 'open') return
      disarm('connect')
      const at = (openedAt = now())
      interval = frame.heartbeatMs > 0 ? Math.min(heartbeatMs, frame.heartbeatMs) : heartbeatMs
      heartbeat = createHeartbeat(interval, heartbeatTimeoutMs, at)
      arm('heartbeat', heartbeat.due() - at, beat)
      // Resubscribes first, then the queued publishes, so a publish never overtakes its subscription.
      for (const ch of channels.byName.values()) sendSubscribe(ch)
      disarm('expiry')
      flush()
      armAuthRefresh()
      setState('open')
    },
    subscribed: channels.confirm,
    event: channels.deliver,
    ack: (frame) => queue.settle(frame.id),
    complete: (frame) => channels.refuse(frame.id),
    error(frame) {
      const error = (frame as { error?: RealtimeError }).error ?? fail(frame.message, frame.code)
      // An error for a publish rejects it; for a subscribe, the server refused it and it is not retried.
      if (frame.id !== undefined && (queue.settle(frame.id, error) || channels.refuse(frame.id, error))) return
      emit('error', error)
    },
    // A planned close follows; leave now and come back no sooner than asked.
    reconnect: (frame) => lost('server asked to reconnect', undefined, frame.afterMs),
  }

  const receive = (data: unknown) => {
    // perf: docs/performance.md#realtime-one-heartbeat-timer
    heartbeat?.heard(now())
    const decoded = protocol.decode(data, sendText)
    if (!decoded) return log.warn('realtime: ignored a malformed or unknown frame')
    for (const frame of [decoded].flat()) (on[frame.type] as ((frame: ProtocolFrame) => void) | undefined)?.(frame)
  }

  const sendSubscribe = (ch: Channel) => {
    ch.live = false
    send({ type: 'subscribe', id: (ch.subId = nextId('s')), channel: ch.name, from: ch.position })
  }

  const detach = (channel: string, sink: Sink<any>) => {
    const ch = channels.remove(channel, sink)
    if (ch?.subId) send({ type: 'unsubscribe', id: nextId('u'), channel })
  }

  /** The connection ended (close, dead link, timeout, or a reconnect request): plan the next one. */
  const lost = (reason: string, code?: number, serverDelay?: number): void => {
    if (state === 'closed' || state === 'idle') return
    const refused = token
    const failedOpen = socket !== undefined && !opened
    const event = failure as { message?: unknown; error?: unknown } | undefined
    const cause = failureOf(event?.message)
    endConnection(false)
    lastClose = { ...(code !== undefined && { closeCode: code }), closeReason: reason, ...cause }
    log.info('realtime: connection lost', { code, reason, ...cause })
    if (openedAt && now() - openedAt >= stableAfterMs) attempt = 0
    openedAt = 0
    // Too many attempts in a row failed before the socket opened: every time, the subscriptions still
    // waiting for `ready` are told; the first time, one `error` too. Retrying goes on.
    if (failedOpen && ++failedOpens >= failedOpensBeforeError) {
      const first = failedOpens === failedOpensBeforeError
      if (first) {
        connectError = fail(`could not connect to ${url} (${failedOpens} tries): ${cause.cause ?? (reason || code)}`, 'connect_failed', {
          cause: event?.error ?? cause.cause,
          closeCode: code,
        })
      }
      channels.unready(connectError!)
      if (first) emit('error', connectError)
    }
    const action = protocol.closeAction(code, reason, attempt, serverDelay)
    if (action === 'shut down') return shutdown(fail(`the server refused access (${code}): ${reason}`, 'forbidden', { closeCode: code }))
    if (typeof action === 'number') return schedule(action)
    // No event yet: the refreshed token decides between a reconnect (whose event says when) and a shutdown.
    state = 'reconnecting'
    void refresh(code!, refused, reason, action === 'refresh now')
  }

  /** 4001 and 4401: fatal, unless the token provider now yields a token different from the refused one. */
  const refresh = async (code: number, refused: string | undefined, reason: string, immediate: boolean) => {
    auth.invalidate(refused)
    const next = await ask(generation, auth.getToken(), schedule)
    if (next === false) return
    if (next === undefined || next === refused) {
      return shutdown(fail(`the server refused the token (${code}): ${reason}`, 'unauthorized', { closeCode: code }))
    }
    schedule(0, immediate)
  }

  /** Arms the next attempt: the server's delay, if any, plus the full-jitter backoff on top. */
  const schedule = (serverDelay = 0, immediate = false) => {
    // An `error` listener may have closed the client just before.
    if (state === 'closed') return
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
    socket = token = heartbeat = failure = undefined
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = null
      ws.onerror = () => {}
      try {
        // A dead link never finishes a close handshake, so it is cut; close() is for goodbyes.
        if (!graceful && ws.terminate) ws.terminate()
        else ws.close(1000 satisfies typeof CloseCode.normal)
      } catch {
        // Closing a socket that failed to open can throw in some runtimes; it is gone either way.
      }
    }
    channels.reset()
    queue.unsend()
  }

  const shutdown = (error?: RealtimeError) => {
    if (state === 'closed') return
    endConnection(true)
    for (const slot of timers.keys()) disarm(slot)
    for (const remove of unlisten) remove()
    unlisten = []
    queue.clear(error ?? closed())
    channels.endAll(error)
    setState('closed', error && { error })
    if (error) emit('error', error)
  }

  /** Rejects unsent publishes past their deadline, and arms the timer for the next deadline. */
  const armExpiry = () => {
    const at = now()
    const next = queue.expire(at)
    if (next === undefined) disarm('expiry')
    else arm('expiry', next - at, armExpiry)
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
      const next = await ask(current, auth.getToken())
      if (!next || next === token) return
      token = next
      send({ type: 'auth', token })
      armAuthRefresh()
    })
  }

  return {
    state: () => state,

    subscribe(channel, handler, options = {}) {
      if (state === 'closed') throw closed()
      const from = options.from
      const [subscription, sink] = createSubscription(channel, handler, from, (ended) => detach(channel, ended))
      const created = channels.add(channel, sink, from)
      if (created && state === 'open') sendSubscribe(created)
      start()
      return subscription
    },

    // Async, so whatever it throws rejects the promise instead.
    async publish(channel, name, data, given) {
      if (state === 'closed') throw closed()
      const id = given ?? nextId((idPrefix ??= newPrefix(random)))
      // A protocol that cannot publish throws here (graphql-transport-ws: `unsupported`).
      const settled = queue.add(id, protocol.encode({ type: 'publish', id, channel, name, data })!, now())
      if (state === 'open') flush()
      else {
        start()
        armExpiry()
      }
      return settled
    },

    position(channel) {
      const position = channels.byName.get(channel)?.position
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
      channels: channels.byName.size,
      pendingPublishes: queue.pending(),
    }),
  }
}

/**
 * What a socket's `error` event says, where the implementation says anything: `ws` gives a message
 * ("Unexpected server response: 404", "connect ECONNREFUSED 127.0.0.1:80"); browsers give none.
 */
function failureOf(message: unknown): Pick<StateChange, 'cause' | 'status'> {
  if (typeof message !== 'string' || !message) return {}
  // `ws` words a refused upgrade "Unexpected server response: <status>".
  const status = /response: (\d{3})/.exec(message)
  return { cause: message, ...(status && { status: +status[1]! }) }
}

/** A per-client id prefix for publishes, so ids from different clients never collide. */
function newPrefix(random: () => number): string {
  const uuid = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto?.randomUUID?.()
  return `${uuid ?? random().toString(36).slice(2) + random().toString(36).slice(2)}:`
}
