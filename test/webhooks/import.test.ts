import { afterEach, describe, expect, it, vi } from 'vitest'

describe('importing @wirekit/sdk/webhooks does no work', () => {
  afterEach(() => vi.restoreAllMocks())

  it('no timers, no randomness, no crypto, no node:crypto lookup at import time', async () => {
    const processWithBuiltins = process as typeof process & { getBuiltinModule: (id: string) => unknown }
    const spies = [
      vi.spyOn(Math, 'random'),
      vi.spyOn(globalThis, 'setTimeout'),
      vi.spyOn(globalThis, 'setInterval'),
      vi.spyOn(globalThis.crypto, 'getRandomValues'),
      vi.spyOn(globalThis.crypto, 'randomUUID'),
      vi.spyOn(globalThis.crypto.subtle, 'importKey'),
      vi.spyOn(processWithBuiltins, 'getBuiltinModule'),
    ]
    const module = await import('../../src/webhooks/index.js')
    expect(typeof module.standardWebhooks).toBe('function')
    // Building a verifier checks the secret but makes no key yet either.
    module.standardWebhooks({ secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' })
    for (const spy of spies) expect(spy).not.toHaveBeenCalled()
  })
})
