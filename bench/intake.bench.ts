/**
 * `npm run bench:intake`: what webhookIntake with RedisReplayStore adds per delivery on the happy path,
 * on a real redis-server (unix socket) through ioredis. Three contenders per delivery, interleaved in
 * one loop so they share the machine's noise: a bare verify; verify + a hand-written `SET key NX PX` and
 * `DEL key` (the pattern users write today); and `intake.handle` (verify → begin → no-op handler →
 * complete). Added latency = each contender's percentile minus the bare verify's. Round trips are
 * counted by Redis itself (INFO commandstats), not by us.
 *
 * Env: BENCH_DELIVERIES (default 5000), BENCH_REPETITIONS (default 5).
 */
import { Redis } from 'ioredis'
import { standardWebhooks } from '@wirekit/sdk/webhooks'
import { RedisReplayStore, webhookIntake } from '@wirekit/sdk/webhooks/intake'
import { startRedis } from '../test/support.ts'
import { machineLine, versionOf, writeResultsSection } from './lib/report.ts'

const DELIVERIES = Number(process.env.BENCH_DELIVERIES ?? 5000)
const REPETITIONS = Number(process.env.BENCH_REPETITIONS ?? 5)
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'

const redis = await startRedis()
const client = new Redis({ path: redis.path })
try {
  const verifier = standardWebhooks({ secret: SECRET })
  const intake = webhookIntake(verifier, { store: new RedisReplayStore(client), handler: () => undefined })
  const body = JSON.stringify({ type: 'invoice.paid', data: { id: 'in_1', amount: 4200, note: 'x'.repeat(900) } })

  /** Redis's own count of script calls (EVALSHA + EVAL) and of all commands. */
  async function commandCalls(): Promise<{ scripts: number; all: number }> {
    const info = await client.info('commandstats')
    let scripts = 0
    let all = 0
    for (const match of info.matchAll(/^cmdstat_([a-z|]+):calls=(\d+)/gm)) {
      all += Number(match[2])
      if (match[1] === 'evalsha' || match[1] === 'eval') scripts += Number(match[2])
    }
    return { scripts, all }
  }

  const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
  const rows: Record<string, { p50: number[]; p99: number[] }> = { verify: { p50: [], p99: [] }, hand: { p50: [], p99: [] }, intake: { p50: [], p99: [] } }
  let roundTrips = 0
  let otherCommands = 0

  // Warm-up: keys made, scripts loaded, JIT settled.
  for (let i = 0; i < 500; i++) {
    const headers = await verifier.sign(body, { id: `warm_${i}` })
    await intake.handle(body, headers)
    await client.set(`hand:warm_${i}`, '1', 'PX', 60_000, 'NX')
  }

  for (let repetition = 0; repetition < REPETITIONS; repetition++) {
    const samples = { verify: [] as number[], hand: [] as number[], intake: [] as number[] }
    const signed = await Promise.all(Array.from({ length: DELIVERIES }, (_, i) => verifier.sign(body, { id: `msg_${repetition}_${i}` })))
    const before = await commandCalls()
    let intakeScripts = 0
    for (let i = 0; i < DELIVERIES; i++) {
      const headers = signed[i]!
      // The order rotates, so no contender always runs first after the others warmed the caches.
      for (let k = 0; k < 3; k++) {
        const which = (['verify', 'hand', 'intake'] as const)[(i + k) % 3]!
        const start = process.hrtime.bigint()
        if (which === 'verify') await verifier.verify(body, headers)
        else if (which === 'hand') {
          const event = await verifier.verify(body, headers)
          if ((await client.set(`hand:${event.id}`, '1', 'PX', 60_000, 'NX')) === 'OK') await client.del(`hand:${event.id}`)
        } else {
          const result = await intake.handle(body, headers)
          if (result.outcome !== 'handled') throw new Error(`the intake answered ${result.outcome}`)
          intakeScripts += 2
        }
        samples[which].push(Number(process.hrtime.bigint() - start) / 1e6)
      }
    }
    const after = await commandCalls()
    // Round trips are the commands clients sent: the intake's scripts, the hand-written SET + DEL, one INFO.
    // commandstats also counts the commands a script runs inside Redis (GET, SET): not round trips.
    roundTrips = (after.scripts - before.scripts) / DELIVERIES
    otherCommands = (after.all - before.all - (after.scripts - before.scripts) - 2 * DELIVERIES - 1) / DELIVERIES
    if (after.scripts - before.scripts !== intakeScripts) throw new Error('Redis counted another number of script calls than two per delivery')
    for (const [name, values] of Object.entries(samples)) {
      values.sort((a, b) => a - b)
      rows[name]!.p50.push(percentile(values, 0.5))
      rows[name]!.p99.push(percentile(values, 0.99))
    }
  }

  const p = (name: string, which: 'p50' | 'p99') => median(rows[name]![which])
  const added = (name: string, which: 'p50' | 'p99') => p(name, which) - p('verify', which)
  const ratio50 = added('intake', 'p50') / added('hand', 'p50')
  const ratio99 = added('intake', 'p99') / added('hand', 'p99')
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
    `- Redis round trips per delivery (INFO commandstats): ${roundTrips} (EVALSHA begin, EVALSHA complete), no other; the scripts run ${otherCommands} commands inside Redis (GET, SET), which are not round trips`,
    `- added latency, intake / hand-written pair: p50 ${ratio50.toFixed(2)}×, p99 ${ratio99.toFixed(2)}× (issue 14: ≤ 1.1×)`,
  ]
  console.log(lines.join('\n'))
  writeResultsSection('intake', `## Webhook intake on Redis (\`npm run bench:intake\`)\n\n${lines.join('\n')}\n`)
} finally {
  client.disconnect()
  await redis.close()
}
