// Runs the smoke suite in whatever runtime runs this file (Node, Deno, Bun) and prints its report
// as one JSON line. The fixture addresses come in WIREKIT_SMOKE_ENV.
import { runSmoke } from './smoke.mjs'

const env = JSON.parse(globalThis.Deno ? globalThis.Deno.env.get('WIREKIT_SMOKE_ENV') : globalThis.process.env.WIREKIT_SMOKE_ENV)
const report = await runSmoke(env)
console.log(JSON.stringify(report))
