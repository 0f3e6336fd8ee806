/**
 * What the size bench and the budget test measure: each a module source a user might write, by name.
 * Budgets are brotli bytes; the REST budget is relative to ky's own size, so it is computed.
 */
export interface SizeTarget {
  name: string
  source: string
}

export const TARGETS: SizeTarget[] = [{ name: 'wirekit (createClient)', source: `export { createClient } from 'wirekit'` }]

/** Brotli budgets in bytes, by target name. */
export const BUDGETS: Record<string, number> = {}
