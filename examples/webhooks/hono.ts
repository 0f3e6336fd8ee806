/**
 * A Hono route. `c.req.raw` is the Fetch Request with its body unread: verify that, not
 * `await c.req.json()`. The GitHub preset keys replay protection on `X-GitHub-Delivery`.
 *
 *   import { Hono } from 'hono'
 *   const app = new Hono()
 *   app.post('/webhooks/github', githubHandler)
 *
 * `HonoContext` below is the slice of Hono's Context this file uses, so it typechecks without
 * installing hono (in your app: `import type { Context } from 'hono'`, and import from '@wirekit/sdk/webhooks').
 */
import { MemoryReplayStore, WebhookVerificationError, githubWebhooks } from '@wirekit/sdk/webhooks'

interface HonoContext {
  req: { raw: Request }
  body(data: string | null, status?: number): Response
}

interface GitHubEvents {
  push: { ref: string; after: string }
  ping: { zen: string }
}

const webhooks = githubWebhooks<GitHubEvents>({
  secret: process.env.GITHUB_WEBHOOK_SECRET ?? 'example-github-secret-0123456789',
  replay: new MemoryReplayStore(),
})

/** Refs this app has seen pushed (stands in for your real work). */
export const pushedRefs: string[] = []

export async function githubHandler(c: HonoContext): Promise<Response> {
  try {
    const event = await webhooks.verifyRequest(c.req.raw)
    switch (event.type) {
      case 'push':
        pushedRefs.push(event.payload.ref)
        break
      case 'ping':
        break
    }
    return c.body(null, 204)
  } catch (error) {
    if (error instanceof WebhookVerificationError) return c.body(error.reason, error.reason === 'replayed' ? 200 : 401)
    throw error
  }
}
