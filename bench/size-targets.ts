/**
 * What the size bench and the budget test measure: each a module a browser user might write, by name,
 * with its brotli budget. Both go through bench/lib/bundle.ts on the built package, so they agree.
 *
 * A budget has two figures. `issue` is the one issue 7 sets. `guard`, where present, is what
 * `npm test` enforces instead because today's size misses the issue's figure: a regression guard just
 * above the size measured when it was set, so growth fails the test while the gap stays visible in
 * every run's `measured / issue budget / enforced` line. Lower a guard when a size drops; delete it
 * once the issue's figure is met, and the issue's figure is enforced.
 */
export interface SizeTarget {
  name: string
  source: string
  budget: Budget
}

export interface Budget {
  /** Issue 7's figure in brotli bytes, given ky's own brotli size (the REST budget is relative to it); undefined where the issue sets none. */
  issue?: (kyBrotli: number) => number
  /** How the issue states it, for the printed table. */
  issueText?: string
  /** Brotli bytes enforced while the issue's figure is missed (measured on 2026-11-24, in brackets). */
  guard?: number
}

/** The yardstick for the REST budget, measured in the same run. */
export const KY_SOURCE = `export { default } from 'ky'`

// 1 kB = 1000 bytes, as the size table prints them.
export const TARGETS: SizeTarget[] = [
  {
    name: '@wirekit/sdk/webhooks (standardWebhooks only)',
    source: `export { standardWebhooks } from '@wirekit/sdk/webhooks'`,
    budget: { issue: () => 1_500, issueText: '1.5 kB', guard: 6_700 /* 6,694 on the merged redesign: 6,627 with the webhooks options on the validation kit, then ~60 for the kit's nearest-name search that every module shares. Issue 12 allowed 6,630 (2 % over 6,500); this is 2.9 % over, said in its note */ },
  },
  {
    name: '@wirekit/sdk/webhooks (standardWebhooksV1Lite, lean v1)',
    source: `export { standardWebhooksV1Lite } from '@wirekit/sdk/webhooks'`,
    budget: { issue: () => 1_500, issueText: '1.5 kB', guard: 2_244 /* 2,235 once it shared the body, JSON and Web Crypto HMAC helpers with standardWebhooks (issue 12 allows 2 % over the 2,200 guard; was 2,098); core/errors.ts is ~320 of it */ },
  },
  {
    name: '@wirekit/sdk/webhooks (every preset)',
    source: `export * from '@wirekit/sdk/webhooks'`,
    budget: { guard: 9_172 /* 8,948 once webhooks options moved onto the one validation kit (issue 12 allows 2 % over the 8,900 guard; was 8,797). 9,002 once the realtime/graphql entry joined the build (issue 15): the same code byte for byte, but tsup's shared chunks now come in another order and brotli finds less (+57). 9,164 (+162, guard raised by as much from 9,010) once MemoryReplayStore took the lease semantics issue 14 asks of it (begin, complete, release by token, ordering; MemoryDeliveryStore folded into it); a verifier imported alone does not carry it (tree-shaking test) */ },
  },
  {
    name: '@wirekit/sdk/realtime (createRealtimeClient)',
    source: `export { createRealtimeClient } from '@wirekit/sdk/realtime'`,
    budget: { issue: () => 3_500, issueText: '3.5 kB', guard: 9_195 /* 9,134 before the seam; 9,100 with it (issue 15: a leaner engine, minified 25,435 → 24,976); 9,191 with realtimeUrl lists and functions (issue 13, minified +300, gzip +100). Issue 12 allowed 8,670; this misses it, said in its note. Brotli q11 moves this bundle by up to ±40 B for a one-byte edit anywhere in it (docs/performance.md#realtime-brotli-noise-on-size-guards). */ },
  },
  {
    // Issue 16 sets no figure; it asks for the sharing + persistence code's size: this minus the
    // createRealtimeClient line above (2,716 B brotli when set: 11,831 − 9,115).
    name: '@wirekit/sdk/realtime/tabs (createSharedRealtimeClient)',
    source: `export { createSharedRealtimeClient } from '@wirekit/sdk/realtime/tabs'`,
    budget: { guard: 12_000 /* 11,831 */ },
  },
  {
    name: '@wirekit/sdk/rest (createRestClient)',
    source: `export { createRestClient } from '@wirekit/sdk/rest'`,
    budget: { issue: (ky) => ky + 1_500, issueText: 'ky + 1.5 kB', guard: 18_350 /* 18,304: raised by 100 from 18,250 for issue 17's budget and cache fixes (the engine reads a body the cache stored and checks a schema itself, so the cache can keep the text it parses: +~90 B); 18,068 after feat/rest-lean (was 18,088); ky 7,994 + core ~4,100 already exceed the issue's figure */ },
  },
  {
    name: 'wirekit browser client (createRestClient + createRealtimeClient)',
    source: `export { createRestClient } from '@wirekit/sdk/rest'\nexport { createRealtimeClient } from '@wirekit/sdk/realtime'`,
    budget: { issue: () => 12_000, issueText: '12 kB', guard: 24_250 /* 23,550 */ },
  },
  {
    name: 'wirekit (createClient)',
    source: `export { createClient } from '@wirekit/sdk'`,
    budget: { guard: 29_900 /* 29,018 */ },
  },
]

/** The brotli size `npm test` enforces for a target: its guard while one is set, else the issue's figure. */
export function enforced(budget: Budget, kyBrotli: number): number {
  const limit = budget.guard ?? budget.issue?.(kyBrotli)
  if (limit === undefined) throw new Error('a size target needs an issue budget or a guard')
  return limit
}
