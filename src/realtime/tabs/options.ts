/**
 * Internal: the `realtime.tabs` options of the shared client and their one kit check. The rest of
 * the `realtime` section is the plain client's, so every option it takes is checked the same way.
 */
import { type Check, boolean, check, milliseconds, record } from '../../core/checks.js'
import { type OptionFields } from '../../core/index.js'
import { REALTIME_OPTIONS, type RealtimeOptions, type RealtimeSettings, realtimeSection } from '../options.js'

/** Options of tab sharing and persistence, the `realtime.tabs` section of {@link RealtimeTabsOptions}. */
export interface TabsOptions {
  /**
   * Tabs that give the same name share one connection (one Web Lock and one BroadcastChannel per
   * name) and, with `persist`, one IndexedDB database. Give clients for different servers or users
   * different names.
   * @default 'wirekit'
   */
  name?: string
  /**
   * Keep each channel's position and the unacknowledged publishes in IndexedDB, so a reload or a
   * crash resumes where the tab was and resends those publishes once (same ids; the server dedupes).
   * A persistent client starts when it is created, so saved publishes go out even if the page makes no call.
   * @default false
   */
  persist?: boolean
  /**
   * How long a newly elected leader waits for the other tabs to tell it what they need before it
   * subscribes, in ms; a later answer still works (it resubscribes from the older position).
   * @default 50
   */
  gatherMs?: number
  /**
   * With `persist`: saved positions untouched for this long are deleted at the next start, in ms.
   * Saved publishes expire with `realtime.queue.ttlMs`.
   * @default 86400000 (one day)
   */
  keepPositionsMs?: number
}

/** The realtime options of the shared client: the plain client's, plus `tabs`. */
export interface RealtimeTabsOptions extends RealtimeOptions {
  /** Tab sharing and persistence. */
  tabs?: TabsOptions
}

/** `realtime.tabs`, validated and defaulted. */
export interface TabsSettings {
  readonly name: string
  readonly persist: boolean
  readonly gatherMs: number
  readonly keepPositionsMs: number
}

/** The realtime section of the shared client, validated: the plain client's settings plus `tabs`. */
export interface RealtimeTabsSettings extends RealtimeSettings {
  readonly tabs: TabsSettings
}

/** `realtime.tabs`: an unknown key is a ConfigError naming its path (`realtime.tabs.persit` → `persist`). */
export const tabsSection: Check<TabsSettings> = /* @__PURE__ */ record({
  name: /* @__PURE__ */ check((value) => typeof value === 'string' && value.length > 0 && value.length <= 200, 'a non-empty string of at most 200 characters', 'wirekit'),
  persist: /* @__PURE__ */ boolean(false),
  gatherMs: /* @__PURE__ */ milliseconds(50),
  keepPositionsMs: /* @__PURE__ */ milliseconds(86_400_000, 1),
})

/** The options `createSharedRealtimeClient()` reads: the plain client's, with `realtime.tabs` added. */
export const TABS_CLIENT_OPTIONS = {
  ...REALTIME_OPTIONS,
  realtime: /* @__PURE__ */ record({ ...realtimeSection.fields!, tabs: tabsSection }),
} satisfies OptionFields
