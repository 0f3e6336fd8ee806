import type { TestProject } from 'vitest/node'
// @ts-expect-error plain JavaScript module shared with the other runtimes
import { startFixtures } from './fixtures.mjs'

declare module 'vitest' {
  export interface ProvidedContext {
    smokeEnv: { restUrl: string; clientId: string; clientSecret: string }
  }
}

/** Starts the fixture servers in Node and hands their addresses to the page. */
export default async function setup(project: TestProject) {
  const { env, stop } = (await startFixtures()) as { env: { restUrl: string; clientId: string; clientSecret: string }; stop: () => Promise<void> }
  project.provide('smokeEnv', env)
  return stop
}
