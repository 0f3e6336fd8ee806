/** Internal: the shared core every module imports. Not a public subpath; its public names are re-exported by `@wirekit/sdk`. */
export * from './auth.js'
export * from './backoff.js'
export {
  type ConfigOf,
  type CoreOptions,
  type ModuleSections,
  type OptionFields,
  type RealtimeConfig,
  type RealtimeUrlProvider,
  type RestConfig,
  type ResolvedConfig,
  type RetryOptions,
  type WebSocketConstructor,
  resolveConfig,
  resolveOptions,
  parseUrl,
} from './config.js'
export * from './context.js'
export * from './errors.js'
export * from './log.js'
export * from './schema.js'
export * from './secret.js'
export * from './version.js'
