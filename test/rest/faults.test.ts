/**
 * Issue 3's fault-injection acceptance: a real node:http server on 127.0.0.1 fails 10 % of requests
 * at random — reset before the handler runs, reset after the side effect is recorded, 500, 503, 429
 * with Retry-After: 0 — and deduplicates writes by Idempotency-Key, as Stripe-style APIs do. Over
 * 2,000 mixed GET/POST calls: ≥ 99.9 % succeed and no logical write happens twice.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { createClient } from '../../src/index.js'
import { seeded } from '../support.js'
import { listen, readBody } from './support.js'


const FAULTS = ['reset-before', 'reset-after', '500', '503', '429'] as const
type Fault = (typeof FAULTS)[number]

let close: (() => Promise<void>) | undefined
afterEach(async () => {
  await close?.()
  close = undefined
})

describe('fault injection (10 % random faults, 2,000 calls)', () => {
  it('≥ 99.9 % of calls succeed and 0 side effects are duplicated', async () => {
    const random = seeded(20261124)
    const injected: Record<Fault, number> = { 'reset-before': 0, 'reset-after': 0, '500': 0, '503': 0, '429': 0 }
    const stored = new Map<string, string>() // idempotency key → the response first given
    const effectsPerCall = new Map<string, number>() // the caller's logical write → how many times it happened
    const effectsPerKey = new Map<string, number>()
    let requests = 0
    let keylessWrites = 0

    const server = await listen(async (req, res) => {
      requests++
      const fault = random() < 0.1 ? FAULTS[Math.floor(random() * FAULTS.length)]! : undefined
      if (fault === 'reset-before') {
        injected[fault]++
        req.socket.destroy()
        return
      }
      const body = await readBody(req)
      let answer = JSON.stringify({ ok: true })
      let status = 200
      if (req.method === 'POST') {
        const key = req.headers['idempotency-key']
        if (typeof key !== 'string') keylessWrites++
        const replay = typeof key === 'string' ? stored.get(key) : undefined
        if (replay === undefined) {
          const { callId } = JSON.parse(body) as { callId: string }
          effectsPerCall.set(callId, (effectsPerCall.get(callId) ?? 0) + 1)
          if (typeof key === 'string') effectsPerKey.set(key, (effectsPerKey.get(key) ?? 0) + 1)
          answer = JSON.stringify({ created: callId })
          if (typeof key === 'string') stored.set(key, answer)
          status = 201
        } else {
          answer = replay
          status = 201
        }
      }
      if (fault === 'reset-after') {
        injected[fault]++
        req.socket.destroy()
        return
      }
      if (fault !== undefined) {
        injected[fault]++
        const headers: Record<string, string> = { 'content-type': 'application/json' }
        if (fault === '429') headers['retry-after'] = '0'
        res.writeHead(Number(fault), headers).end('{"error":{"message":"injected"}}')
        return
      }
      res.writeHead(status, { 'content-type': 'application/json' }).end(answer)
    })
    close = server.close

    const client = createClient({ baseUrl: `${server.url}/v1`, retry: { limit: 4, backoff: { base: 1, cap: 5 } } })
    const CALLS = 2_000
    let succeeded = 0
    const failures: string[] = []
    // 25 in flight at a time: enough to overlap connections, bounded for a loopback test.
    for (let start = 0; start < CALLS; start += 25) {
      await Promise.all(
        Array.from({ length: 25 }, async (_, offset) => {
          const index = start + offset
          try {
            if (index % 2 === 0) {
              await client.rest.request('GET', '/items/{id}', { params: { path: { id: index } } })
            } else {
              const result = await client.rest.request<{ created: string }>('POST', '/items', { body: { callId: `call-${index}` } })
              if (result.created !== `call-${index}`) throw new Error(`wrong replay for call-${index}`)
            }
            succeeded++
          } catch (error) {
            failures.push(`${index}: ${(error as Error).name}: ${(error as Error).message}`)
          }
        }),
      )
    }

    const duplicatedCalls = [...effectsPerCall.values()].filter((count) => count > 1).length
    const duplicatedKeys = [...effectsPerKey.values()].filter((count) => count > 1).length
    const faults = Object.values(injected).reduce((sum, count) => sum + count, 0)
    console.log(
      `fault injection: ${CALLS} calls (1000 GET, 1000 POST), ${requests} requests, ${faults} faults injected ` +
        `(${FAULTS.map((fault) => `${fault} ${injected[fault]}`).join(', ')}); ` +
        `succeeded ${succeeded}/${CALLS} = ${((100 * succeeded) / CALLS).toFixed(2)} %; ` +
        `duplicated side effects: ${duplicatedCalls} per call, ${duplicatedKeys} per key; keyless writes ${keylessWrites}`,
    )
    expect(failures).toEqual([])
    expect(succeeded / CALLS).toBeGreaterThanOrEqual(0.999)
    expect(duplicatedCalls).toBe(0)
    expect(duplicatedKeys).toBe(0)
    expect(keylessWrites).toBe(0)
    expect(effectsPerCall.size).toBe(1_000)
    for (const fault of FAULTS) expect(injected[fault]).toBeGreaterThan(10)
  }, 60_000)
})
