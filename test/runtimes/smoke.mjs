// The one smoke suite every runtime runs (Node 22 and 24, Deno, Bun, workerd, Chromium). Plain
// JavaScript so each runtime loads it as it is; it imports wirekit by its package name, so each
// runtime resolves the build its own export conditions pick. It talks only to the local fixture
// servers whose addresses it is given.
import { ConfigError, createClient, isWirekitError } from 'wirekit'

/** Which runtime this is, by what it has. */
export function runtimeName() {
  if (typeof globalThis.Deno !== 'undefined') return 'deno'
  if (typeof globalThis.Bun !== 'undefined') return 'bun'
  if (typeof navigator !== 'undefined' && navigator.userAgent === 'Cloudflare-Workers') return 'workerd'
  if (typeof globalThis.process?.versions?.node === 'string') return `node ${globalThis.process.versions.node}`
  if (typeof window !== 'undefined') return 'browser'
  return 'unknown'
}

/**
 * Runs every check and reports each; never throws.
 * @param {{ restUrl: string, clientId: string, clientSecret: string }} env
 * @returns {Promise<{ runtime: string, checks: { name: string, ok: boolean, detail?: string }[] }>}
 */
export async function runSmoke(env) {
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
    let calls = 0
    const client = createClient({
      baseUrl: env.restUrl,
      auth: async () => {
        calls++
        const response = await fetch(new URL('v1/oauth/token', `${env.restUrl}/`), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ client_id: env.clientId, client_secret: env.clientSecret }),
        })
        if (!response.ok) throw new Error(`token endpoint answered ${response.status}`)
        const body = await response.json()
        return { token: body.access_token, expiresIn: body.expires_in }
      },
    })
    const headers = await Promise.all(Array.from({ length: 10 }, () => client.auth.getHeaders()))
    if (calls !== 1) throw new Error(`the provider ran ${calls} times for 10 concurrent callers`)
    if (!/^Bearer at_/.test(headers[0].authorization)) throw new Error('no bearer token')
    const listed = await fetch(new URL('v1/notes', `${env.restUrl}/`), { headers: headers[0] })
    if (listed.status !== 200) throw new Error(`GET /v1/notes answered ${listed.status}`)
  })

  return { runtime: runtimeName(), checks }
}
