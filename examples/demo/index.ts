/**
 * `npm run demo`: wirekit end to end against the example platform, all three mechanisms on ONE client.
 *
 *  1. realtime  subscribes to live note events over WebSocket;
 *  2. REST      creates, updates, deletes and pages through notes with typed methods — one create has
 *               its reply cut after the note was stored, and the retry does not create it twice;
 *  3. webhooks  the platform's signed delivery of every change is verified by our own receiver, and a
 *               tampered and a replayed delivery are refused with their reasons;
 *  4. realtime  the platform drops the connection and keeps publishing while it is down; the client
 *               reconnects, resumes, and every event arrives exactly once.
 *
 * `--json` prints only the summary, as JSON. Exits 0 on success, 1 with a message on any failure.
 */
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebhookVerificationError, createClient, defineEndpoints, isWirekitError, typed } from '@wirekit/sdk'
import { MemoryReplayStore } from '@wirekit/sdk/webhooks'
import { DEMO_CLIENT, startPlatform } from '../platform/index.ts'
import { Reporter } from './reporter.ts'

type Note = {
  id: string
  title: string
  body: string
  createdAt: string
  updatedAt: string
}

type NoteEvents = {
  notes: { 'note.created': Note; 'note.updated': Note; 'note.deleted': Note }
}

const endpoints = defineEndpoints({
  createNote: { method: 'POST', path: '/notes', body: typed<{ title: string; body?: string }>(), response: typed<Note>() },
  getNote: { method: 'GET', path: '/notes/{id}', response: typed<Note>() },
  updateNote: { method: 'PATCH', path: '/notes/{id}', body: typed<{ title?: string; body?: string }>(), response: typed<Note>() },
  deleteNote: { method: 'DELETE', path: '/notes/{id}' },
})

/** The whole run must fit in this; a missing event or delivery fails the demo instead of hanging it. */
const DEADLINE_MS = 14_000

class DemoFailure extends Error {
  override name = 'DemoFailure'
}

async function until(what: string, done: () => boolean, deadline: number): Promise<void> {
  while (!done()) {
    if (performance.now() > deadline) throw new DemoFailure(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

export interface DemoSummary {
  ok: boolean
  requests: number
  retries: number
  tokenFetches: number
  notesCreated: number
  duplicateNotes: number
  webhooksVerified: number
  webhooksRejected: number
  rejectedReasons: string
  eventsExpected: number
  eventsReceived: number
  eventsDuplicated: number
  eventsLost: number
  eventsResumed: number
  reconnects: number
  seconds: number
}

export interface DemoOptions {
  /** Print only the summary, as JSON. */
  json: boolean
  /**
   * The secret our receiver verifies with. Defaults to the platform's; a different one shows what a
   * misconfigured receiver looks like (every delivery refused, the demo fails with the reason).
   */
  receiverSecret?: string
}

export async function runDemo(options: DemoOptions): Promise<DemoSummary> {
  const report = new Reporter({ json: options.json })
  const started = performance.now()
  const deadline = started + DEADLINE_MS

  // The third note's reply is cut after it was stored: the retry must not store it again.
  const platform = await startPlatform({ heartbeatMs: 2_000, resetAfterCreate: (sequence) => sequence === 3 })
  report.step('platform', `notes API on ${platform.restUrl}, realtime on ${platform.realtimeUrl}`)

  let tokenFetches = 0
  let requests = 0
  let retries = 0
  const client = createClient({
    // Realtime is found at `<baseUrl>/realtime`, on the API's own port: no realtimeUrl needed.
    baseUrl: platform.restUrl,
    webhookSecret: options.receiverSecret ?? platform.webhookSecret,
    // One token provider for REST and realtime: client credentials exchanged for an expiring token.
    auth: async () => {
      tokenFetches++
      const response = await fetch(`${platform.restUrl}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ client_id: DEMO_CLIENT.id, client_secret: DEMO_CLIENT.secret }),
      })
      if (!response.ok) throw new DemoFailure(`the token endpoint answered ${response.status}`)
      const body = (await response.json()) as { access_token: string; expires_in: number }
      return { token: body.access_token, expiresIn: body.expires_in }
    },
    retry: { limit: 3, backoff: { base: 50, cap: 400 } },
    rest: {
      endpoints,
      hooks: {
        beforeRequest: [
          ({ attempt }) => {
            requests++
            if (attempt > 0) retries++
          },
        ],
      },
    },
    realtime: { backoff: { base: 100, cap: 1_000 } },
    webhooks: { replay: new MemoryReplayStore() },
  })

  // Our own webhook receiver, verifying every delivery with client.webhooks.
  const verified: string[] = []
  const rejected: string[] = []
  let lastDelivery: { body: string; headers: Record<string, string> } | undefined
  const receiver = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks).toString('utf8')
    // Keep what a forger would copy: the signature headers and the content type.
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && /^(webhook-|content-type$)/.test(entry[0])),
    )
    try {
      const event = await client.webhooks.verify(body, headers)
      verified.push(String((event as { type?: unknown }).type))
      lastDelivery = { body, headers }
      res.writeHead(204).end()
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error
      rejected.push(error.reason)
      // A replay was already processed: answer 2xx so the sender stops retrying (README, webhooks).
      res.writeHead(error.reason === 'replayed' ? 200 : 400, { 'content-type': 'text/plain' }).end(error.reason)
    }
  })
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks`

  const realtime = client.realtime.typed<NoteEvents>()
  try {
    await client.rest.request('POST', '/webhook-endpoints', { body: { url: receiverUrl } })
    report.step('rest', `registered the webhook receiver ${receiverUrl} (POST /v1/webhook-endpoints)`)

    // 1. realtime: subscribe before anything changes.
    const offsets: number[] = []
    let reconnects = 0
    let gaps = 0
    realtime.on('state', (change) => {
      if (change.state === 'reconnecting') {
        reconnects++
        const why = change.closeCode === undefined ? 'the server asked for a reconnect' : `close ${change.closeCode}`
        report.step('realtime', `connection dropped (${why}); reconnecting in ${Math.round(change.delay ?? 0)} ms`)
      }
    })
    const subscription = realtime.subscribe('notes', {
      onEvent: (event) => offsets.push(Number(event.offset)),
      onGap: () => gaps++,
    })
    await report.wait('realtime', 'subscribing to "notes"', subscription.ready)
    report.step('realtime', 'subscribed to channel "notes" over WebSocket (token sent in the first frame, never in the URL)')

    // 2. REST: typed calls, a write whose reply is lost, pagination.
    const created: Note[] = []
    for (const title of ['groceries', 'standup notes', 'flight times', 'gift ideas', 'reading list']) {
      created.push(await client.rest.createNote({ body: { title, body: `about ${title}` } }))
    }
    report.step('rest', `created ${created.length} notes with client.rest.createNote() — each POST carries an Idempotency-Key`)
    if (retries === 0) throw new DemoFailure('the cut reply to the third create was not retried')
    report.step('rest', `the reply to note 3 was cut after it was stored; ${retries} retry with the same key returned it without storing it again`)
    const updated = await client.rest.updateNote({ id: created[0]!.id, body: { body: 'milk, eggs, coffee' } })
    await client.rest.deleteNote({ id: created[4]!.id })
    report.step('rest', `updated ${updated.id}, deleted ${created[4]!.id}`)
    const listed: Note[] = []
    let pages = 0
    for await (const note of client.rest.paginate<Note>('/notes', {
      pagination: { style: 'cursor', items: 'data', nextCursor: 'next_cursor', cursorParam: 'cursor' },
      params: { query: { limit: 2 } },
      maxItems: 100,
    })) {
      listed.push(note)
      if (listed.length % 2 === 1) pages++
    }
    report.step('rest', `listed ${listed.length} notes in ${pages} pages of 2 with client.rest.paginate() (cursor pagination)`)
    const duplicateNotes = listed.length - new Set(listed.map((note) => note.title)).size
    if (listed.length !== 4 || duplicateNotes !== 0) throw new DemoFailure(`expected 4 distinct notes, listed ${listed.length} (${duplicateNotes} duplicated)`)

    // 3. webhooks: every change delivered, signed, verified; then two forgeries.
    const changesSoFar = created.length + 2
    const genuineRefused = () => {
      if (rejected.length > 0) throw new DemoFailure(`a genuine webhook delivery was refused: ${rejected[0]} (is the receiver's webhookSecret the platform's?)`)
      return verified.length >= changesSoFar
    }
    await report.wait('webhooks', 'waiting for signed deliveries', until('webhook deliveries', genuineRefused, deadline))
    report.step('webhooks', `verified ${verified.length} signed deliveries (Standard Webhooks v1): ${[...new Set(verified)].join(', ')}`)
    const sample = lastDelivery!
    const tampered = await fetch(receiverUrl, { method: 'POST', headers: sample.headers, body: sample.body.replace('"data":{', '"data":{"admin":true,') })
    report.refused('webhooks', `a tampered delivery was refused: ${await tampered.text()} (HTTP ${tampered.status})`)
    const replayed = await fetch(receiverUrl, { method: 'POST', headers: sample.headers, body: sample.body })
    report.refused('webhooks', `a replayed delivery was refused: ${await replayed.text()} (HTTP ${replayed.status}: acknowledged, not processed again)`)
    if (rejected.join() !== 'no_matching_signature,replayed') throw new DemoFailure(`unexpected refusals: ${rejected.join(', ') || 'none'}`)
    if (tampered.status !== 400 || replayed.status !== 200) throw new DemoFailure(`the receiver answered ${tampered.status} to the forgery and ${replayed.status} to the replay (want 400 and 200)`)

    // 4. realtime: the platform drops the connection and keeps publishing while it is down.
    await until('the live events so far', () => offsets.length >= changesSoFar, deadline)
    const beforeDrop = offsets.length
    const reconnected = new Promise<void>((resolve) => {
      const onState = (change: { state: string }) => {
        if (change.state === 'open') {
          realtime.off('state', onState)
          resolve()
        }
      }
      realtime.on('state', onState)
    })
    platform.realtime.requestReconnect(600)
    await until('the client to notice the drop', () => reconnects > 0, deadline)
    for (const title of ['while offline 1', 'while offline 2', 'while offline 3']) await client.rest.createNote({ body: { title } })
    report.step('platform', 'published 3 note.created events while the client was disconnected')
    await report.wait('realtime', 'reconnecting', reconnected)
    const expected = changesSoFar + 3
    await report.wait('realtime', 'resuming', until('the resumed events', () => offsets.length >= expected, deadline))
    const resumed = offsets.length - beforeDrop
    report.step('realtime', `reconnected and resumed from offset ${offsets[beforeDrop - 1]}: ${resumed} missed events replayed, in order`)

    // Exactly once, in order: offsets 1..expected with no hole and no repeat.
    await new Promise((resolve) => setTimeout(resolve, 100))
    const unique = new Set(offsets)
    const eventsDuplicated = offsets.length - unique.size
    const eventsLost = expected - unique.size
    const inOrder = offsets.every((offset, index) => offset === index + 1)
    if (eventsLost !== 0 || eventsDuplicated !== 0 || !inOrder || gaps !== 0) {
      throw new DemoFailure(`events: lost ${eventsLost}, duplicated ${eventsDuplicated}, in order ${inOrder}, gaps ${gaps}`)
    }
    report.step('demo', `every one of the ${expected} events arrived exactly once and in order`)
    await until('every webhook delivery', () => verified.length >= expected, deadline)

    const summary: DemoSummary = {
      ok: true,
      requests,
      retries,
      tokenFetches,
      notesCreated: created.length + 3,
      duplicateNotes,
      webhooksVerified: verified.length,
      webhooksRejected: rejected.length,
      rejectedReasons: rejected.join(', '),
      eventsExpected: expected,
      eventsReceived: unique.size,
      eventsDuplicated,
      eventsLost,
      eventsResumed: resumed,
      reconnects,
      seconds: Number(((performance.now() - started) / 1000).toFixed(2)),
    }
    report.summary({ ...summary })
    return summary
  } finally {
    realtime.close()
    receiver.closeAllConnections()
    await new Promise<void>((resolve) => receiver.close(() => resolve()))
    await platform.close()
  }
}

if (import.meta.main) {
  const json = process.argv.includes('--json')
  runDemo({ json }).then(
    () => process.exit(0),
    (error: unknown) => {
      const message = error instanceof DemoFailure ? error.message : isWirekitError(error) ? `${error.name} (${error.code}): ${error.message}` : String((error as Error)?.stack ?? error)
      new Reporter({ json }).fail(message)
      process.exit(1)
    },
  )
}
