/**
 * What every module is built from: the resolved config, the one shared Auth, and the logger. Built once
 * by `createClient()`; a module used on its own builds its own from the same options.
 */
import { Auth } from './auth.js'
import { type CoreOptions, type ModuleSections, type ResolvedConfig, resolveConfig } from './config.js'
import { type Log, createLog } from './log.js'

/** The shared pieces a module needs. */
export interface ClientContext {
  /** The validated, frozen configuration. */
  readonly config: ResolvedConfig
  /** The one credential layer every module shares. */
  readonly auth: Auth
  /** The leveled, redacting logger. */
  readonly log: Log
}

/** Resolves options into a context. Throws a ConfigError naming the field at fault. */
export function createContext(options: CoreOptions & ModuleSections = {}): ClientContext {
  const config = resolveConfig(options)
  const auth = new Auth(config.auth?.reveal(), { redactor: config.redactor })
  const log = createLog(config.logger, config.logLevel, config.redactor)
  return Object.freeze({ config, auth, log })
}
