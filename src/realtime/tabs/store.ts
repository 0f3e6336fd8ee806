/**
 * Internal: what a tab keeps in IndexedDB across reloads and crashes: each channel's last delivered
 * position, and the publishes not yet acknowledged, with their ids. One database per `tabs.name`;
 * entries belong to one tab (its `scope`, kept in sessionStorage, which a reload keeps and a new tab
 * does not), so a reloaded tab resumes from its own positions, never from another tab's newer ones.
 * Bounded: publishes expire with the queue TTL (and a tab holds at most `queue.size`), positions
 * untouched for `keepPositionsMs` are deleted, and at most {@link MAX_POSITIONS} are kept.
 * Each position is also written to sessionStorage, synchronously, so a reload resumes exactly.
 * perf: docs/performance.md#realtime-positions-in-sessionstorage
 */
import type { StreamPosition } from '../../core/protocol.js'

/** A publish saved until its ack. */
export interface SavedPublish {
  readonly id: string
  readonly channel: string
  readonly name: string
  readonly data: unknown
  readonly expiresAt: number
}

/** What a tab finds at start. */
export interface Saved {
  readonly positions: Map<string, StreamPosition>
  readonly publishes: SavedPublish[]
}

/** The tab's persistent store. Writes are fire-and-forget: a failed write costs a resume, never an event. */
export interface TabStore {
  load(): Promise<Saved>
  savePosition(channel: string, position: StreamPosition): void
  savePublish(publish: SavedPublish): void
  deletePublish(id: string): void
  close(): void
}

/** Positions kept across all tabs of one name; the oldest go first beyond it. */
export const MAX_POSITIONS = 1_000

const POSITIONS = 'positions'
const PUBLISHES = 'publishes'

interface PositionRow {
  scope: string
  channel: string
  position: StreamPosition
  savedAt: number
}

interface PublishRow extends SavedPublish {
  scope: string
}

/** The sessionStorage of this page, where it exists and is allowed. */
const session = (): Storage | undefined => {
  try {
    return (globalThis as { sessionStorage?: Storage }).sessionStorage
  } catch {
    return undefined
  }
}

const done = (request: IDBRequest | IDBOpenDBRequest) =>
  new Promise<any>((resolve, reject) => {
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error)
  })

/** This tab's scope: kept in sessionStorage, so it survives a reload of this tab and no other tab has it. */
export function tabScope(name: string, fresh: () => string): string {
  const storage = (globalThis as { sessionStorage?: Storage }).sessionStorage
  const key = `wirekit:tabs:${name}`
  try {
    const found = storage?.getItem(key)
    if (found) return found
    const made = fresh()
    storage?.setItem(key, made)
    return made
  } catch {
    // Storage can be disabled (privacy settings): the tab then resumes nothing of its own.
    return fresh()
  }
}

/** Opens the database of `name` for `scope`; undefined where IndexedDB is missing or refuses. */
export async function openTabStore(name: string, scope: string, now: () => number, keepPositionsMs: number): Promise<TabStore | undefined> {
  const idb = (globalThis as { indexedDB?: IDBFactory }).indexedDB
  if (!idb) return undefined
  const sessionPrefix = `wirekit:tabs:${name}:position:`
  const publishPrefix = `wirekit:tabs:${name}:publish:`
  let db: IDBDatabase
  try {
    const request = idb.open(`wirekit-tabs:${name}`, 1)
    request.onupgradeneeded = () => {
      request.result.createObjectStore(POSITIONS)
      request.result.createObjectStore(PUBLISHES)
    }
    db = await done(request)
  } catch {
    return undefined
  }

  /**
   * Each write is its own transaction, committed at once: the commit request leaves the page in the
   * same task as the delivery or publish, so a reload right after does not lose it.
   */
  const write = (store: string, apply: (objects: IDBObjectStore) => void) => {
    try {
      const tx = db.transaction(store, 'readwrite')
      apply(tx.objectStore(store))
      tx.commit?.()
    } catch {
      // The database was closed or deleted under us: persistence is best effort from here on.
    }
  }

  return {
    async load() {
      const at = now()
      const tx = db.transaction([POSITIONS, PUBLISHES], 'readwrite')
      const positionStore = tx.objectStore(POSITIONS)
      const publishStore = tx.objectStore(PUBLISHES)
      const [positionKeys, positionRows, publishKeys, publishRows] = (await Promise.all([
        done(positionStore.getAllKeys()),
        done(positionStore.getAll()),
        done(publishStore.getAllKeys()),
        done(publishStore.getAll()),
      ])) as [IDBValidKey[], PositionRow[], IDBValidKey[], PublishRow[]]
      const positions = new Map<string, StreamPosition>()
      const kept: Array<[IDBValidKey, PositionRow]> = []
      positionRows.forEach((row, index) => {
        if (row.savedAt + keepPositionsMs <= at) positionStore.delete(positionKeys[index]!)
        else kept.push([positionKeys[index]!, row])
      })
      // Bounded: beyond MAX_POSITIONS, the least recently saved go.
      kept.sort((a, b) => b[1].savedAt - a[1].savedAt)
      for (const [key] of kept.splice(MAX_POSITIONS)) positionStore.delete(key)
      for (const [, row] of kept) if (row.scope === scope) positions.set(row.channel, row.position)
      // Written with every IndexedDB write and synchronously, so never older: it wins where it exists.
      const storage = session()
      for (let i = 0; i < (storage?.length ?? 0); i++) {
        const key = storage!.key(i)
        if (!key?.startsWith(sessionPrefix)) continue
        try {
          const position = JSON.parse(storage!.getItem(key)!) as StreamPosition
          if (typeof position?.offset === 'string' && typeof position.epoch === 'string') positions.set(key.slice(sessionPrefix.length), position)
        } catch {
          // Not ours to judge: an unreadable entry just resumes nothing for that channel.
        }
      }
      const publishes = new Map<string, SavedPublish>()
      publishRows.forEach((row, index) => {
        if (row.expiresAt <= at) publishStore.delete(publishKeys[index]!)
        else if (row.scope === scope) publishes.set(row.id, { id: row.id, channel: row.channel, name: row.name, data: row.data, expiresAt: row.expiresAt })
      })
      // Unacknowledged publishes are mirrored there too, for a reload before IndexedDB committed them.
      for (let i = 0; i < (storage?.length ?? 0); i++) {
        const key = storage!.key(i)
        if (!key?.startsWith(publishPrefix)) continue
        try {
          const publish = JSON.parse(storage!.getItem(key)!) as SavedPublish
          if (typeof publish?.id === 'string' && typeof publish.channel === 'string' && publish.expiresAt > at) publishes.set(publish.id, publish)
        } catch {
          // An unreadable entry: IndexedDB may still have it.
        }
      }
      await new Promise<void>((resolve) => {
        tx.oncomplete = tx.onabort = tx.onerror = () => resolve()
      })
      return { positions, publishes: [...publishes.values()] }
    },
    savePosition(channel, position) {
      try {
        session()?.setItem(sessionPrefix + channel, JSON.stringify(position))
      } catch {
        // Full or disabled: IndexedDB still has it, a little behind.
      }
      write(POSITIONS, (store) => store.put({ scope, channel, position: { ...position }, savedAt: now() } satisfies PositionRow, [scope, channel]))
    },
    savePublish(publish) {
      try {
        session()?.setItem(publishPrefix + publish.id, JSON.stringify(publish))
      } catch {
        // Full or disabled: IndexedDB still has it.
      }
      write(PUBLISHES, (store) => store.put({ ...publish, scope } satisfies PublishRow, [scope, publish.id]))
    },
    deletePublish(id) {
      try {
        session()?.removeItem(publishPrefix + id)
      } catch {
        // Disabled: nothing was mirrored.
      }
      write(PUBLISHES, (store) => store.delete([scope, id]))
    },
    close: () => db.close(),
  }
}
