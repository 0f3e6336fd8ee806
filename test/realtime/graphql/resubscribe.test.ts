import { describe, expect, it } from 'vitest'
import type { Gap } from '../../../src/realtime/index.js'
import { until } from '../support.js'
import { COUNT, connectGraphQL } from './client.js'
import { type ServerKind, startGraphQLServer } from './servers.js'

const SUBSCRIPTIONS = 100
const DROPS = 50

interface Tally {
  last: number
  results: number
  gaps: number
  sinceGap: number
  /** A result at or below the last one within a connection. */
  repeats: number
  /** A restart (the server's count back at 1) with no `onGap` before it. */
  silentRestarts: number
  /** A result that skipped one within a connection. */
  skips: number
}

describe.each<ServerKind>(['graphql-ws', 'graphql-yoga'])('against %s', (kind) => {
  it(`${SUBSCRIPTIONS} subscriptions on one connection come back after ${DROPS} server-side drops, onGap before each restart`, async () => {
    const server = await startGraphQLServer(kind)
    const client = connectGraphQL(server)
    const tallies: Tally[] = []
    const subs = Array.from({ length: SUBSCRIPTIONS }, () => {
      const tally: Tally = { last: 0, results: 0, gaps: 0, sinceGap: 0, repeats: 0, silentRestarts: 0, skips: 0 }
      tallies.push(tally)
      return client.subscribe(COUNT, { every: 25 }, {
        onNext: ({ data }) => {
          const n = (data as { count: number }).count
          if (n === 1 && tally.last !== 0) tally.silentRestarts += 1
          else if (n <= tally.last) tally.repeats += 1
          else if (n !== tally.last + 1) tally.skips += 1
          tally.last = n
          tally.results += 1
          tally.sinceGap += 1
        },
        onGap: (gap: Gap) => {
          expect(gap.reason).toBe('history_lost')
          tally.gaps += 1
          tally.last = 0
          tally.sinceGap = 0
        },
      })
    })
    await Promise.all(subs.map((sub) => sub.ready))
    expect(client.realtime.inspect().channels).toBe(SUBSCRIPTIONS)
    let seed = 15
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31)
    for (let drop = 0; drop < DROPS; drop++) {
      await until(() => server.connections() === drop + 1 && client.realtime.state === 'open', 10_000, `reconnect before drop ${drop}`)
      // A random moment: right after the resubscribes went out, or once some results flowed.
      await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 60)))
      server.drop()
    }
    // Every subscription comes back: three results after its last restart.
    await until(() => tallies.every((tally) => tally.gaps > 0 && tally.sinceGap >= 3), 30_000, 'every subscription back')
    const sum = (key: keyof Tally) => tallies.reduce((total, tally) => total + tally[key], 0)
    const connections = server.connections()
    // Unsubscribing half ends them on the server; closing ends the rest.
    for (const sub of subs.slice(0, SUBSCRIPTIONS / 2)) sub.unsubscribe()
    await until(() => server.active() === SUBSCRIPTIONS / 2, 10_000, 'server-side completes')
    const afterUnsubscribe = server.active()
    client.close()
    await until(() => server.active() === 0, 10_000, 'server-side cleanup after close')
    console.log(
      `[acceptance] ${kind}: ${SUBSCRIPTIONS} subscriptions × ${DROPS} drops (${connections} connections): ${tallies.filter((t) => t.sinceGap >= 3).length} of ${SUBSCRIPTIONS} back, ` +
        `${sum('gaps')} gaps, ${sum('silentRestarts')} restarts without onGap, ${sum('repeats')} results repeated and ${sum('skips')} skipped within a connection; ` +
        `running on the server: ${afterUnsubscribe} after unsubscribing ${SUBSCRIPTIONS / 2}, ${server.active()} after close()`,
    )
    expect(connections).toBe(DROPS + 1)
    expect(sum('silentRestarts')).toBe(0)
    expect(sum('repeats')).toBe(0)
    expect(sum('skips')).toBe(0)
    expect(afterUnsubscribe).toBe(SUBSCRIPTIONS / 2)
    expect(server.active()).toBe(0)
  }, 120_000)
})
