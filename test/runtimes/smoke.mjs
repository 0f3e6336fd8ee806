// The one smoke suite every runtime runs (Node 22 and 24, Deno, Bun, workerd, Chromium). Plain
// JavaScript so each runtime loads it as it is; it imports wirekit by its package name, so each
// runtime resolves the build its own export conditions pick. It talks only to the local fixture
// servers whose addresses it is given (test/runtimes/fixtures.mjs).
import { ConfigError, NotFoundError, createClient, defineEndpoints, isWirekitError, typed } from '@wirekit/sdk'
import { WebhookVerificationError, githubWebhooks, standardWebhooks } from '@wirekit/sdk/webhooks'

/** Which runtime this is, by what it has. */
export function runtimeName() {
  if (typeof globalThis.Deno !== 'undefined') return 'deno'
  if (typeof globalThis.Bun !== 'undefined') return 'bun'
  if (typeof navigator !== 'undefined' && navigator.userAgent === 'Cloudflare-Workers') return 'workerd'
  if (typeof globalThis.process?.versions?.node === 'string') return `node ${globalThis.process.versions.node}`
  if (typeof window !== 'undefined') return 'browser'
  return 'unknown'
}

const endpoints = defineEndpoints({
  createNote: { method: 'POST', path: '/notes', body: typed(), response: typed() },
  getNote: { method: 'GET', path: '/notes/{id}', response: typed() },
})

function tokenProvider(env, counter) {
  return async () => {
    counter.calls++
    const response = await fetch(`${env.restUrl}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: env.clientId, client_secret: env.clientSecret }),
    })
    if (!response.ok) throw new Error(`token endpoint answered ${response.status}`)
    const body = await response.json()
    return { token: body.access_token, expiresIn: body.expires_in }
  }
}

/**
 * Resolves when `done()` holds; rejects naming `what` after `ms`, generous for a busy machine (the
 * runner's time limit for the whole leg is the backstop).
 */
async function until(what, done, ms = 30_000) {
  const deadline = Date.now() + ms
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

/**
 * Runs every check and reports each; never throws.
 * @param {{ restUrl: string, realtimeUrl: string, controlUrl: string, clientId: string, clientSecret: string, webhookSecret: string }} env
 * @returns {Promise<{ runtime: string, checks: { name: string, ok: boolean, detail?: string }[] }>}
 */
export async function runSmoke(env) {
  const runtime = runtimeName()
  const checks = []
  const check = async (name, run) => {
    try {
      const detail = await run()
      checks.push({ name, ok: true, ...(detail === undefined ? {} : { detail: String(detail) }) })
    } catch (error) {
      checks.push({ name, ok: false, detail: `${error?.name ?? 'Error'}: ${error?.message ?? String(error)}` })
    }
  }

  await check('config: a bad option is a ConfigError naming the field', () => {
    try {
      createClient({ baseUrl: env.restUrl, timeout: -1 })
    } catch (error) {
      if (error instanceof ConfigError && error.field === 'timeout' && isWirekitError(error)) return
      throw error
    }
    throw new Error('no ConfigError for timeout: -1')
  })

  await check('auth: a token provider fetches over the network, single-flight', async () => {
    const counter = { calls: 0 }
    const client = createClient({ baseUrl: env.restUrl, auth: tokenProvider(env, counter) })
    const headers = await Promise.all(Array.from({ length: 10 }, () => client.auth.getHeaders()))
    if (counter.calls !== 1) throw new Error(`the provider ran ${counter.calls} times for 10 concurrent callers`)
    if (!/^Bearer at_/.test(headers[0].authorization)) throw new Error('no bearer token')
  })

  await check('rest: typed endpoint calls with a token provider, pagination, typed errors', async () => {
    const counter = { calls: 0 }
    const client = createClient({ baseUrl: env.restUrl, auth: tokenProvider(env, counter), rest: { endpoints } })
    const note = await client.rest.createNote({ body: { title: `smoke from ${runtime}` } })
    const fetched = await client.rest.getNote({ id: note.id })
    if (fetched.title !== `smoke from ${runtime}`) throw new Error(`read back ${JSON.stringify(fetched)}`)
    let listed = 0
    for await (const item of client.rest.paginate('/notes', {
      pagination: { style: 'cursor', items: 'data', nextCursor: 'next_cursor', cursorParam: 'cursor' },
      params: { query: { limit: 1 } },
      maxItems: 50,
    })) {
      if (typeof item.id === 'string') listed++
    }
    if (listed < 1) throw new Error('pagination listed nothing')
    try {
      await client.rest.getNote({ id: 'note_missing' })
      throw new Error('a missing note did not throw')
    } catch (error) {
      if (!(error instanceof NotFoundError) || !isWirekitError(error) || !error.requestId?.startsWith('req_')) throw error
    }
    return `${listed} listed, 404 → NotFoundError`
  })

  await check('realtime: subscribe, survive a server-side drop, resume with nothing lost, publish acked', async () => {
    const counter = { calls: 0 }
    const client = createClient({
      baseUrl: env.restUrl,
      realtimeUrl: env.realtimeUrl,
      auth: tokenProvider(env, counter),
      realtime: { backoff: { base: 20, cap: 200 } },
    })
    const channel = `smoke-${runtime.replace(/\W+/g, '-')}-${Math.floor(performance.now())}`
    const offsets = []
    try {
      const subscription = client.realtime.subscribe(channel, (event) => offsets.push(Number(event.offset)))
      await subscription.ready
      await fetch(`${env.controlUrl}/publish?channel=${channel}`, { method: 'POST' })
      await until('the live event', () => offsets.length >= 1)
      await fetch(`${env.controlUrl}/drop-and-publish?channel=${channel}&count=3`, { method: 'POST' })
      await until('the events missed while dropped', () => offsets.length >= 4)
      await client.realtime.publish(channel, 'from-client', { runtime })
      await until('our own published event', () => offsets.length >= 5)
      await new Promise((resolve) => setTimeout(resolve, 50))
      if (offsets.join() !== '1,2,3,4,5') throw new Error(`offsets ${offsets.join()} (want 1..5, each once)`)
      // The export condition picked the socket: `ws` on Node, the runtime's own everywhere else.
      const kind = client.realtime.inspect().webSocket
      const expected = runtime.startsWith('node') ? 'ws' : 'native'
      if (kind !== expected) throw new Error(`connected through the ${kind} WebSocket, expected ${expected}`)
      return `${offsets.length} events exactly once across a drop, over the ${kind} WebSocket`
    } finally {
      client.realtime.close()
    }
  })

  await check('webhooks: Standard Webhooks known vector, sign/verify round trip, tampered refused', async () => {
    const vector = standardWebhooks({ secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', now: () => 1614265330 * 1000 })
    const event = await vector.verify('{"test": 2432232314}', {
      'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    })
    if (event.payload?.test !== 2432232314 || event.id !== 'msg_p5jXN8AQM9LWM0D4loKWxJek') throw new Error(`parsed ${JSON.stringify(event)}`)
    const client = createClient({ webhookSecret: env.webhookSecret })
    const body = JSON.stringify({ type: 'note.created', data: { id: 'note_1' } })
    const headers = await client.webhooks.sign(body, { id: 'msg_smoke' })
    const verified = await client.webhooks.verify(body, headers)
    if (verified.payload?.type !== 'note.created') throw new Error(`round trip gave ${JSON.stringify(verified)}`)
    // node:crypto where the runtime offers it (Node, Deno, Bun), Web Crypto elsewhere (workerd, browsers).
    const backend = client.webhooks.backend
    const expected = /^(node|deno|bun)/.test(runtime) ? 'node' : 'web'
    if (backend !== expected) throw new Error(`verified with ${backend} crypto, expected ${expected}`)
    try {
      await client.webhooks.verify(body.replace('note_1', 'note_2'), headers)
      throw new Error('a tampered body was accepted')
    } catch (error) {
      if (!(error instanceof WebhookVerificationError) || error.reason !== 'no_matching_signature') throw error
    }
    return `verified with ${backend} crypto`
  })

  await check('webhooks: a second preset (GitHub vector), and the Web Crypto path forced', async () => {
    const github = githubWebhooks({ secret: "It's a Secret to Everybody" })
    const delivery = await github.verifyRaw('Hello, World!', {
      'x-hub-signature-256': 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
      'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
    })
    if (delivery.id !== '72d3162e-cc78-11e3-81ab-4c9367dc0958') throw new Error(`GitHub delivery ${JSON.stringify(delivery)}`)
    // Where 'auto' picks node:crypto (Node, Deno, Bun), the Web Crypto path must work as well.
    const web = standardWebhooks({ secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', now: () => 1614265330 * 1000, crypto: 'web' })
    await web.verify('{"test": 2432232314}', {
      'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    })
    if (web.backend !== 'web') throw new Error(`crypto: 'web' verified with ${web.backend}`)
  })

  return { runtime, checks }
}
