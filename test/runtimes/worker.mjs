// A Cloudflare Worker that runs the smoke suite when asked: POST the fixture env, get the report.
import { runSmoke } from './smoke.mjs'

export default {
  async fetch(request) {
    const env = await request.json()
    return Response.json(await runSmoke(env))
  },
}
