/** Internal: the shared core every module imports. Not a public subpath; its public names are re-exported by `wirekit`. */
export * from './auth.js'
export * from './backoff.js'
export * from './config.js'
export * from './errors.js'
export * from './log.js'
export * from './schema.js'
export * from './secret.js'
export * from './version.js'
