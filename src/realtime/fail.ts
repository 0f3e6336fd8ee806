/** Internal: how the realtime client's parts make their errors, one RealtimeError each with its `code`. */
import { RealtimeError } from '../core/errors.js'

/** A RealtimeError with a machine-readable `code`; `extra` adds the cause or the close code. */
export const fail = (message: string, code: string, extra?: { cause?: unknown; closeCode?: number | undefined }): RealtimeError =>
  new RealtimeError(message, { code, ...extra })

/** What a call on a closed client gets. */
export const closed = (): RealtimeError => fail('the client is closed', 'client_closed')
