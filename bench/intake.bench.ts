/**
 * `npm run bench:intake`: what webhookIntake with RedisReplayStore adds per delivery on the happy path,
 * on a real redis-server (unix socket) through ioredis. Three contenders per delivery, interleaved in
 * one loop so they share the machine's noise: a bare verify; verify + a hand-written `SET key NX PX` and
 * `DEL key` (the pattern users write today); and `intake.handle` (verify → begin → no-op handler →
 * complete). Added latency = a contender's percentile minus the bare verify's, in the same repetition;
 * the figure is the ratio of the two added latencies, per repetition, reported as the median with its
 * min–max over the repetitions (the ratio of two small differences is noisy: read the spread). Round
 * trips are counted by Redis itself (INFO commandstats) over deliveries that run the intake alone.
 *
 * Env: BENCH_DELIVERIES (default 4000), BENCH_REPETITIONS (default 15).
 */
import { Redis } from 'ioredis'
import { standardWebhooks } from '@wirekit/sdk/webhooks'
import { RedisReplayStore, webhookIntake } from '@wirekit/sdk/webhooks/intake'
import { startRedis } from '../test/support.ts'
import { machineLine, versionOf, writeResultsSection } from './lib/report.ts'

const DELIVERIES = Number(process.env.BENCH_DELIVERIES ?? 4000)
const REPETITIONS = Number(process.env.BENCH_REPETITIONS ?? 15)
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'

const redis = await startRedis()
const client = new Redis({ path: redis.path })
try {
  const verifier = standardWebhooks({ secret: SECRET })
  const intake = webhookIntake(verifier, { store: new RedisReplayStore(client), handler: () => undefined })
  const body = JSON.stringify({ type: 'invoice.paid', data: { id: 'in_1', amount: 4200, note: 'x'.repeat(900) } })

  /** Redis's own count of the commands it ran, by command. */
  async function commandCalls(): Promise<Map<string, number>> {
    const info = await client.info('commandstats')
    return new Map([...info.matchAll(/^cmdstat_([a-z|]+):calls=(\d+)/gm)].map((match) => [match[1]!, Number(match[2])]))
  }

  const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
  const CONTENDERS = ['verify', 'hand', 'intake'] as const
  type Contender = (typeof CONTENDERS)[number]
  const rows: Record<Contender, { p50: number[]; p99: number[] }> = { verify: { p50: [], p99: [] }, hand: { p50: [], p99: [] }, intake: { p50: [], p99: [] } }

  // Warm-up: keys made, JIT settled.
  for (let i = 0; i < 1000; i++) {
    const headers = await verifier.sign(body, { id: `warm_${i}` })
    await intake.handle(body, headers)
    await client.set(`hand:warm_${i}`, '1', 'PX', 60_000, 'NX')
  }

  for (let repetition = 0; repetition < REPETITIONS; repetition++) {
    const samples: Record<Contender, number[]> = { verify: [], hand: [], intake: [] }
    const signed = await Promise.all(Array.from({ length: DELIVERIES }, (_, i) => verifier.sign(body, { id: `msg_${repetition}_${i}` })))
    for (let i = 0; i < DELIVERIES; i++) {
      const headers = signed[i]!
      // The order rotates, so no contender always runs first after the others warmed the caches.
      for (let k = 0; k < 3; k++) {
        const which = CONTENDERS[(i + k) % 3]!
        const start = process.hrtime.bigint()
        if (which === 'verify') await verifier.verify(body, headers)
        else if (which === 'hand') {
          const event = await verifier.verify(body, headers)
          if ((await client.set(`hand:${event.id}`, '1', 'PX', 60_000, 'NX')) === 'OK') await client.del(`hand:${event.id}`)
        } else {
          const result = await intake.handle(body, headers)
          if (result.outcome !== 'handled') throw new Error(`the intake answered ${result.outcome}`)
        }
        samples[which].push(Number(process.hrtime.bigint() - start) / 1e6)
      }
    }
    for (const name of CONTENDERS) {
      const values = samples[name].sort((a, b) => a - b)
      rows[name].p50.push(percentile(values, 0.5))
      rows[name].p99.push(percentile(values, 0.99))
    }
  }

  // Round trips: the intake alone over COUNTED deliveries, between two INFO calls (the second INFO is counted too).
  const COUNTED = 1000
  const counted = await Promise.all(Array.from({ length: COUNTED }, (_, i) => verifier.sign(body, { id: `count_${i}` })))
  const before = await commandCalls()
  for (const headers of counted) await intake.handle(body, headers)
  const after = await commandCalls()
  const perDelivery = [...after]
    .map(([name, calls]) => [name, (calls - (before.get(name) ?? 0) - (name === 'info' ? 1 : 0)) / COUNTED] as const)
    .filter(([, calls]) => calls > 0)
  const roundTrips = perDelivery.reduce((sum, [, calls]) => sum + calls, 0)
  if (roundTrips !== 2) throw new Error(`Redis counted ${roundTrips} commands per delivery, not 2: ${JSON.stringify(perDelivery)}`)

  const p = (name: Contender, which: 'p50' | 'p99') => median(rows[name][which])
  const added = (name: Contender, which: 'p50' | 'p99') => p(name, which) - p('verify', which)
  /** The intake's added latency over the hand-written pair's, in each repetition: median and min–max. */
  const ratio = (which: 'p50' | 'p99') => {
    const ratios = rows.intake[which].map((value, r) => (value - rows.verify[which][r]!) / (rows.hand[which][r]! - rows.verify[which][r]!))
    return `${median(ratios).toFixed(2)}× (min–max over ${REPETITIONS} repetitions ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`
  }
  const ms = (value: number) => value.toFixed(3)
  const lines = [
    `${machineLine()} · ioredis ${versionOf('ioredis')} · redis-server on a unix socket · ${DELIVERIES} deliveries × ${REPETITIONS} repetitions, 3 contenders interleaved per delivery; medians of each repetition's percentile.`,
    '',
    '| contender | p50 ms | p99 ms | added p50 ms | added p99 ms |',
    '| --- | --- | --- | --- | --- |',
    `| verify only (baseline) | ${ms(p('verify', 'p50'))} | ${ms(p('verify', 'p99'))} | — | — |`,
    `| verify + hand-written SET NX PX + DEL | ${ms(p('hand', 'p50'))} | ${ms(p('hand', 'p99'))} | ${ms(added('hand', 'p50'))} | ${ms(added('hand', 'p99'))} |`,
    `| webhookIntake + RedisReplayStore | ${ms(p('intake', 'p50'))} | ${ms(p('intake', 'p99'))} | ${ms(added('intake', 'p50'))} | ${ms(added('intake', 'p99'))} |`,
    '',
    `- Redis round trips per delivery (INFO commandstats over ${COUNTED} intake-only deliveries): ${roundTrips} (${perDelivery.map(([name, calls]) => `${name.toUpperCase()} ${calls}`).join(', ')}: begin \`SET NX PX GET\`, complete \`SET PX\`), no other`,
    `- added latency, intake / hand-written pair: p50 ${ratio('p50')}, p99 ${ratio('p99')} (issue 14: ≤ 1.1×)`,
  ]
  console.log(lines.join('\n'))
  writeResultsSection('intake', `## Webhook intake on Redis (\`npm run bench:intake\`)\n\n${lines.join('\n')}\n`)
} finally {
  client.disconnect()
  await redis.close()
}
