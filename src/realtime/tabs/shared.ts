/**
 * Internal: one connection for all of a user's tabs. Tabs of one origin elect a leader with the Web
 * Locks API; the leader runs the ordinary engine (one socket) on behalf of every tab and relays over a
 * BroadcastChannel. Each tab keeps its own subscriptions, handlers and positions and judges every
 * event against its own position (resume.ts), so replays after a leader change are dropped per tab.
 * Where Web Locks or BroadcastChannel is missing, the tab runs the engine alone: one socket per tab.
 */
import { EventEmitter } from '../emitter.js'
import type { ClientContext, RealtimeConfig, RealtimeError } from '../../core/index.js'
import { type StreamPosition, compareOffsets } from '../../core/protocol.js'
import { type Engine, createEngine } from '../engine.js'
import { closed, fail } from '../fail.js'
import { wirekitV1 } from '../frames.js'
import { judge } from '../resume.js'
import { type Sink, type Subscription, createSubscription } from '../subscription.js'
import type { RealtimeClientEvents, RealtimeEvent, SubscribeOptions, SubscriptionHandlers } from '../types.js'
import type { RealtimeTabsSettings } from './options.js'
import { type SavedPublish, type TabStore, openTabStore, tabScope } from './store.js'

/** What this tab is: `leader` holds the socket, `follower` reaches it, `solo` has no sharing APIs. */
export type TabRole = 'starting' | 'leader' | 'follower' | 'solo' | 'closed'

/** Events of the shared client: the plain client's, plus `role`. */
export interface SharedRealtimeClientEvents extends RealtimeClientEvents {
  /** This tab's role changed, e.g. it became the leader after the previous leader closed. */
  role: (role: TabRole) => void
}

/** Messages between tabs. `tab` is the sender's id (or the addressee's, in `settled`). */
export type TabMessage =
  | { t: 'hello' }
  | { t: 'leader'; elected: boolean }
  | { t: 'state'; tab: string; subs: Array<[string, StreamPosition | undefined]>; pubs: SavedPublish[] }
  | { t: 'sub'; tab: string; channel: string; from: StreamPosition | undefined }
  | { t: 'unsub'; tab: string; channel: string }
  | { t: 'bye'; tab: string }
  | { t: 'pub'; tab: string; pub: SavedPublish }
  | { t: 'ev'; e: RealtimeEvent }
  | { t: 'ready'; channel: string; position: StreamPosition | undefined; tabs: string[] }
  | { t: 'settled'; tab: string; id: string; error?: { message: string; code: string } }

interface LocalChannel {
  position: StreamPosition | undefined
  readonly sinks: Set<Sink<any>>
  live: boolean
}

interface Pending extends SavedPublish {
  resolve?: () => void
  reject?: (error: RealtimeError) => void
}

/** The leader's view of one channel: the engine subscription, from where, and which tabs need it. */
interface Held {
  sub: Subscription<any>
  from: StreamPosition | undefined
  readonly tabs: Set<string>
  ready: boolean
}

/** Is `a` strictly older than `b`, in the same epoch? Positions in different epochs are not compared. */
const older = (a: StreamPosition | undefined, b: StreamPosition | undefined) =>
  a === undefined ? b !== undefined : b !== undefined && a.epoch === b.epoch && compareOffsets(a.offset, b.offset) < 0

/** The shared client's engine-like core, one closure per tab. */
export interface TabsCore {
  role(): TabRole
  subscribe(channel: string, handler?: ((event: any) => void) | SubscriptionHandlers<any>, options?: SubscribeOptions): Subscription<any>
  publish(channel: string, name: string, data: unknown): Promise<void>
  position(channel: string): StreamPosition | undefined
  /** Resolves once saved state is loaded and this tab knows its role. */
  started(): Promise<void>
  close(): void
}

export function createTabsCore(context: ClientContext<RealtimeConfig>, client: EventEmitter<SharedRealtimeClientEvents>): TabsCore {
  const settings = context.config.realtime as unknown as RealtimeTabsSettings
  const { name, persist, gatherMs, keepPositionsMs } = settings.tabs
  const { clock } = settings
  const { size, ttlMs } = settings.queue
  const log = context.log
  const uuid = () =>
    (globalThis as { crypto?: { randomUUID?: () => string } }).crypto?.randomUUID?.() ??
    Array.from({ length: 4 }, () => Math.floor(settings.random() * 2 ** 32).toString(36)).join('')
  const tabId = uuid()
  const idPrefix = `${uuid()}:`
  let seq = 0

  const local = new Map<string, LocalChannel>()
  const pending = new Map<string, Pending>()
  let role: TabRole = 'starting'
  let engine: Engine | undefined
  let bc: BroadcastChannel | undefined
  let store: TabStore | undefined
  let startup: Promise<void> | undefined
  let loaded = false
  let releaseLock: (() => void) | undefined
  let abortLock: AbortController | undefined
  let unlistenPagehide: (() => void) | undefined
  // The leader's side.
  const held = new Map<string, Held>()
  const inflight = new Set<string>()
  let gathering = false
  let gatherTimer: unknown
  const gathered = new Map<string, { from: StreamPosition | undefined; tabs: Set<string> }>()

  const setRole = (next: TabRole) => {
    if (role === next) return
    role = next
    log.debug('realtime tabs: role', { role })
    client.emit('role', next)
  }

  const post = (message: TabMessage) => {
    try {
      bc?.postMessage(message)
    } catch (error) {
      // Only a payload the structured clone cannot copy throws; the publish itself reports that.
      log.warn('realtime tabs: a message could not be posted', { error: String(error) })
    }
  }

  // ---- this tab's own delivery: its own positions, so a replay after a leader change is dropped here.
  const deliver = (event: RealtimeEvent) => {
    const ch = local.get(event.channel)
    // Until the leader confirms this tab's own request, the live stream is not for it: a tab back
    // from a reload would otherwise jump past the events the leader is about to replay for it.
    if (!ch?.live) return
    const last = ch.position
    if (last) {
      const verdict = judge(last, event.offset, event.epoch)
      if (verdict === 'stale') return
      if (verdict) {
        const gap = { channel: event.channel, reason: verdict, from: { ...last }, epoch: event.epoch }
        client.emit('gap', gap)
        for (const sink of ch.sinks) sink.gap(gap)
      }
    }
    ch.position = { offset: event.offset, epoch: event.epoch }
    store?.savePosition(event.channel, ch.position)
    for (const sink of ch.sinks) sink.event(event)
  }

  const ready = (channel: string, position: StreamPosition | undefined) => {
    const ch = local.get(channel)
    if (!ch) return
    // A tab that asked for live events only starts at the head the leader's subscription started from.
    if (!ch.position && position) ch.position = { ...position }
    ch.live = true
    for (const sink of ch.sinks) sink.ready()
  }

  const settleLocal = (id: string, error?: RealtimeError) => {
    const entry = pending.get(id)
    if (!entry) return
    pending.delete(id)
    store?.deletePublish(id)
    if (error) entry.reject?.(error)
    else entry.resolve?.()
  }

  // ---- the leader's side: one engine, every tab's channels, every tab's publishes.
  const engineOf = () =>
    (engine ??= createEngine(context, {
      emit: (event: keyof RealtimeClientEvents, ...args: unknown[]) => (client.emit as (...all: unknown[]) => boolean)(event, ...args),
    } as EventEmitter<RealtimeClientEvents>, wirekitV1))

  const hold = (channel: string, from: StreamPosition | undefined, tabs: Set<string>) => {
    const previous = held.get(channel)
    previous?.sub.unsubscribe()
    const entry: Held = { sub: undefined!, from, tabs, ready: false }
    held.set(channel, entry)
    /** Tells the tabs waiting on this subscription that it is live; at most once. */
    const confirmed = (position: StreamPosition | undefined) => {
      if (entry.ready || held.get(channel) !== entry) return
      entry.ready = true
      post({ t: 'ready', channel, position, tabs: [...entry.tabs] })
      if (entry.tabs.has(tabId)) ready(channel, position)
    }
    entry.sub = engineOf().subscribe(
      channel,
      {
        onEvent: (event: RealtimeEvent) => {
          // An event proves the subscription live, and must not overtake the news: where frames are
          // handled in one go (Node's `ws`), `ready` resolves only after them. Without a position,
          // a tab takes this event as its first.
          confirmed(undefined)
          post({ t: 'ev', e: event })
          deliver(event)
        },
        // Each tab judges offsets itself and reports its own gaps; the engine's is the same gap.
        onGap: () => {},
        onError: (error) => client.emit('error', error),
      },
      from && { from },
    )
    entry.sub.ready.then(
      () => confirmed(engine?.position(channel)),
      () => {},
    )
  }

  /** A tab needs `channel` from `from`: subscribe, or resubscribe from further back when it is older. */
  const want = (tab: string, channel: string, from: StreamPosition | undefined) => {
    if (gathering) {
      const found = gathered.get(channel)
      if (!found) gathered.set(channel, { from, tabs: new Set([tab]) })
      else {
        found.tabs.add(tab)
        if (from && older(from, found.from)) found.from = from
        else if (!from && found.from === undefined) found.from = undefined
      }
      return
    }
    const entry = held.get(channel)
    if (!entry) return hold(channel, from, new Set([tab]))
    // A tab that already follows this subscription has had every event since it started (some may
    // still be on their way over the BroadcastChannel); a tab new to it has had none since its own position.
    const covered = entry.tabs.has(tab) ? entry.from : (engine?.position(channel) ?? entry.from)
    entry.tabs.add(tab)
    // Further back than that: go back for this tab; every other tab drops what it has already seen.
    if (from && older(from, covered)) return hold(channel, from, entry.tabs)
    if (entry.ready) {
      const position = engine?.position(channel)
      if (tab === tabId) ready(channel, position)
      else post({ t: 'ready', channel, position, tabs: [tab] })
    }
  }

  const unwant = (tab: string, channel: string) => {
    const entry = held.get(channel)
    if (!entry) return void gathered.get(channel)?.tabs.delete(tab)
    entry.tabs.delete(tab)
    if (entry.tabs.size > 0) return
    held.delete(channel)
    entry.sub.unsubscribe()
  }

  const forward = (tab: string, pub: SavedPublish) => {
    if (inflight.has(pub.id)) return
    inflight.add(pub.id)
    engineOf()
      .publish(pub.channel, pub.name, pub.data, pub.id)
      .then(
        () => settled(tab, pub.id),
        (error: RealtimeError) => settled(tab, pub.id, error),
      )
  }

  const settled = (tab: string, id: string, error?: RealtimeError) => {
    inflight.delete(id)
    if (tab === tabId) return settleLocal(id, error)
    // A leader that steps down must not fail other tabs' publishes: the next leader sends them.
    if (error?.code === 'client_closed') return
    post({ t: 'settled', tab, id, ...(error && { error: { message: error.message, code: error.code ?? 'error' } }) })
  }

  const lead = () => {
    setRole(bc ? 'leader' : 'solo')
    gathering = bc !== undefined && gatherMs > 0
    for (const [channel, ch] of local) want(tabId, channel, ch.position)
    for (const pub of pending.values()) forward(tabId, pub)
    if (!gathering) return
    post({ t: 'leader', elected: true })
    gatherTimer = clock.setTimeout(() => {
      gathering = false
      for (const [channel, { from, tabs }] of gathered) if (tabs.size > 0) hold(channel, from, tabs)
      gathered.clear()
    }, gatherMs)
  }

  const receive = (message: TabMessage) => {
    if (role === 'closed') return
    if (role === 'leader') {
      switch (message.t) {
        case 'hello':
          return post({ t: 'leader', elected: false })
        case 'state':
          for (const [channel, from] of message.subs) want(message.tab, channel, from)
          for (const pub of message.pubs) forward(message.tab, pub)
          return
        case 'sub':
          return want(message.tab, message.channel, message.from)
        case 'unsub':
          return unwant(message.tab, message.channel)
        case 'bye':
          for (const channel of [...held.keys(), ...gathered.keys()]) unwant(message.tab, channel)
          return
        case 'pub':
          return forward(message.tab, message.pub)
      }
      return
    }
    switch (message.t) {
      case 'leader':
        // A newly elected leader replays from what this tab reports; until it confirms, this tab
        // takes nothing from the stream, so a late report cannot make it skip ahead.
        if (message.elected) for (const ch of local.values()) ch.live = false
        // Elected or answering a hello: tell it everything this tab needs.
        return post({ t: 'state', tab: tabId, subs: [...local].map(([channel, ch]) => [channel, ch.position]), pubs: [...pending.values()].map(toSaved) })
      case 'ev':
        return deliver(message.e)
      case 'ready':
        // Addressed: only the tabs whose request this confirmation answers go live.
        if (message.tabs.includes(tabId)) ready(message.channel, message.position)
        return
      case 'settled':
        if (message.tab === tabId) settleLocal(message.id, message.error && fail(message.error.message, message.error.code))
    }
  }

  const start = () =>
    (startup ??= (async () => {
      if (persist) {
        store = await openTabStore(name, tabScope(name, uuid), () => clock.now(), keepPositionsMs)
        const saved = await store?.load().catch(() => undefined)
        if (role === 'closed') return store?.close()
        for (const [channel, position] of saved?.positions ?? []) {
          const ch = local.get(channel)
          // A position the app passed as `from` wins over the saved one.
          if (ch && !ch.position) ch.position = position
        }
        // Publishes made while the store was opening are saved now; saved ones join the queue.
        for (const pub of pending.values()) store?.savePublish(toSaved(pub))
        for (const pub of saved?.publishes ?? []) if (!pending.has(pub.id)) pending.set(pub.id, { ...pub })
        // Saved positions of channels this tab has not subscribed (yet) wait for a later subscribe.
        savedPositions = saved?.positions
      }
      if (role === 'closed') return
      loaded = true
      const locks = (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks
      const Channel = (globalThis as { BroadcastChannel?: typeof BroadcastChannel }).BroadcastChannel
      if (typeof locks?.request !== 'function' || typeof Channel !== 'function') return lead()
      bc = new Channel(`wirekit:tabs:${name}`)
      bc.onmessage = (event: MessageEvent) => receive(event.data as TabMessage)
      setRole('follower')
      const target = globalThis as unknown as EventTarget
      const bye = () => post({ t: 'bye', tab: tabId })
      if (typeof target.addEventListener === 'function') {
        target.addEventListener('pagehide', bye)
        unlistenPagehide = () => target.removeEventListener('pagehide', bye)
      }
      post({ t: 'hello' })
      abortLock = new AbortController()
      locks
        .request(`wirekit:tabs:${name}`, { signal: abortLock.signal }, () => {
          if (role === 'closed') return undefined
          // Held until this tab closes: the browser frees it when the tab goes, and the next waiting tab leads.
          return new Promise<void>((resolve) => {
            releaseLock = resolve
            lead()
          })
        })
        .catch(() => {})
    })())

  let savedPositions: Map<string, StreamPosition> | undefined

  /** This tab needs `channel` now: through the engine when it leads, else from the leader. */
  const announce = (channel: string, ch: LocalChannel) => {
    if (role === 'leader' || role === 'solo') want(tabId, channel, ch.position)
    else post({ t: 'sub', tab: tabId, channel, from: ch.position })
  }

  const detach = (channel: string, sink: Sink<any>) => {
    const ch = local.get(channel)
    if (!ch?.sinks.delete(sink) || ch.sinks.size > 0) return
    local.delete(channel)
    if (!loaded) return
    if (role === 'leader' || role === 'solo') unwant(tabId, channel)
    else post({ t: 'unsub', tab: tabId, channel })
  }

  // Saved publishes are owed to the server whether or not this load subscribes or publishes again:
  // with persistence, the client starts at once.
  if (persist) void start()

  return {
    role: () => role,
    started: () => start(),

    subscribe(channel, handler, options = {}) {
      if (role === 'closed') throw closed()
      const from = options.from
      const [subscription, sink] = createSubscription(channel, handler, from, (ended) => detach(channel, ended))
      const existing = local.get(channel)
      if (existing) {
        existing.sinks.add(sink)
        if (existing.live) sink.ready()
      } else {
        const ch: LocalChannel = { position: from ? { ...from } : savedPositions?.get(channel), sinks: new Set([sink]), live: false }
        local.set(channel, ch)
        if (loaded) announce(channel, ch)
      }
      void start()
      return subscription
    },

    publish(channel, eventName, data) {
      if (role === 'closed') return Promise.reject(closed())
      if (pending.size >= size) {
        return Promise.reject(fail(`publish refused: ${size} publishes are already waiting for an ack`, 'queue_full'))
      }
      const id = idPrefix + (++seq).toString(36)
      return new Promise<void>((resolve, reject) => {
        const entry: Pending = { id, channel, name: eventName, data, expiresAt: clock.now() + ttlMs, resolve, reject }
        pending.set(id, entry)
        store?.savePublish(toSaved(entry))
        if (loaded) {
          if (role === 'leader' || role === 'solo') forward(tabId, toSaved(entry))
          else post({ t: 'pub', tab: tabId, pub: toSaved(entry) })
        }
        void start()
      })
    },

    position(channel) {
      const position = local.get(channel)?.position
      return position && { ...position }
    },

    close() {
      if (role === 'closed') return
      const wasLeading = role === 'leader'
      if (bc && !wasLeading) post({ t: 'bye', tab: tabId })
      setRole('closed')
      clock.clearTimeout(gatherTimer)
      unlistenPagehide?.()
      abortLock?.abort()
      releaseLock?.()
      engine?.close()
      bc?.close()
      const error = fail('the client was closed', 'client_closed')
      for (const entry of pending.values()) {
        // Rejected, so never resent by a later start either.
        store?.deletePublish(entry.id)
        entry.reject?.(error)
      }
      pending.clear()
      for (const ch of local.values()) for (const sink of ch.sinks) sink.end()
      local.clear()
      store?.close()
    },
  }
}

/** The structured-clone-safe part of a pending publish. */
const toSaved = ({ id, channel, name, data, expiresAt }: SavedPublish): SavedPublish => ({ id, channel, name, data, expiresAt })
