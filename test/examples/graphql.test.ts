import { describe, expect, it } from 'vitest'
import { countdown } from '../../examples/graphql/main.js'
import { startYoga } from '../../examples/graphql/server.js'
import { onCleanup } from './support.js'

describe('examples/graphql', () => {
  it('subscribes to a local graphql-yoga server and prints the countdown to its completion', async () => {
    const server = await startYoga()
    onCleanup(() => server.close())
    const lines: string[] = []
    await countdown(server.url, 2, (line) => lines.push(line))
    expect(lines).toEqual(['countdown 2', 'countdown 1', 'countdown 0'])
  })
})
