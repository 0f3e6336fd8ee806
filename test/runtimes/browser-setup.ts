import type { TestProject } from 'vitest/node'
// @ts-expect-error plain JavaScript module shared with the other runtimes
import { startFixtures } from './fixtures.mjs'

/** The fixture addresses and credentials the smoke suite takes. */
interface SmokeEnv {
  restUrl: string
  realtimeUrl: string
  controlUrl: string
  clientId: string
  clientSecret: string
  webhookSecret: string
}

declare module 'vitest' {
  export interface ProvidedContext {
    smokeEnv: SmokeEnv
  }
}

/** Starts the fixture servers in Node and hands their addresses to the page. */
export default async function setup(project: TestProject) {
  const { env, stop } = (await startFixtures()) as { env: SmokeEnv; stop: () => Promise<void> }
  project.provide('smokeEnv', env)
  return stop
}
