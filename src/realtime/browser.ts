/**
 * Browser wake-up signals: the network came back (`online`), or a hidden page is shown again
 * (`visibilitychange`). Feature-detected when the client first connects, never at import; elsewhere
 * (Node, workers without a document) whatever is missing is skipped.
 */
export interface WakeListeners {
  /** How many listeners were installed (0–2). */
  readonly count: number
  /** Removes every listener installed. */
  remove(): void
}

export function listenForWake(onOnline: () => void, onVisible: () => void): WakeListeners {
  const global = globalThis as { addEventListener?: EventTarget['addEventListener']; removeEventListener?: EventTarget['removeEventListener'] }
  const doc = (globalThis as { document?: Document }).document
  const onVisibility = () => {
    if (doc?.visibilityState === 'visible') onVisible()
  }
  const hasWindow = typeof global.addEventListener === 'function'
  const hasDocument = typeof doc?.addEventListener === 'function'
  if (hasWindow) global.addEventListener!('online', onOnline)
  if (hasDocument) doc!.addEventListener('visibilitychange', onVisibility)
  return {
    count: Number(hasWindow) + Number(hasDocument),
    remove() {
      if (hasWindow) global.removeEventListener?.('online', onOnline)
      if (hasDocument) doc!.removeEventListener('visibilitychange', onVisibility)
    },
  }
}
