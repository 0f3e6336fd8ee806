/**
 * What every module is built from: the resolved config, the one shared Auth, and the logger. Built once
 * by `createClient()`; a module used on its own builds its own from the same options.
 */
import { Auth } from './auth.js'
import { type ConfigOf, type CoreOptions, type ModuleSections, type OptionFields, type ResolvedConfig, resolveOptions } from './config.js'
import { type Log, createLog } from './log.js'

/** The shared pieces a module needs; `Config` is the part of the resolved config the module reads. */
export interface ClientContext<Config = ResolvedConfig> {
  /** The validated, frozen configuration. */
  readonly config: Config
  /** The one credential layer every module shares. */
  readonly auth: Auth
  /** The leveled, redacting logger. */
  readonly log: Log
}

/**
 * Resolves options into a context. Throws a ConfigError naming the field at fault. `fields` lists the
 * options the client accepts, each with its check; it must include `auth`, `logger` and `logLevel`.
 */
export function createContext<F extends OptionFields>(options: CoreOptions & ModuleSections, fields: F): ClientContext<ConfigOf<F>> {
  const config: Partial<ResolvedConfig> = resolveOptions(options, fields)
  const auth = new Auth(config.auth?.reveal(), { redactor: config.redactor })
  const log = createLog(config.logger, config.logLevel ?? 'warn', config.redactor!)
  return Object.freeze({ config: config as ConfigOf<F>, auth, log })
}
