/**
 * The leveled logger every module writes through. Silent unless the caller gives a `logger`; every
 * line passes the shared {@link Redactor} first, so no known secret reaches a log.
 */
import type { Redactor } from './secret.js'

/** The levels, quietest last. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent'

/** Anything console-shaped: `console`, pino, winston and most loggers fit. */
export interface Logger {
  /** Receives `debug` lines (retries, token refreshes, realtime state changes); without it they are dropped. */
  debug?(message: string, ...details: unknown[]): void
  /** Receives `info` lines; without it they are dropped. */
  info?(message: string, ...details: unknown[]): void
  /** Receives `warn` lines; without it they are dropped. */
  warn?(message: string, ...details: unknown[]): void
  /** Receives `error` lines; without it they are dropped. */
  error?(message: string, ...details: unknown[]): void
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 }

/** What the modules call. Details are plain objects; they are scrubbed as JSON text. */
export interface Log {
  /** Writes at `debug` when `logLevel` lets it through. */
  debug(message: string, details?: Record<string, unknown>): void
  /** Writes at `info` when `logLevel` lets it through. */
  info(message: string, details?: Record<string, unknown>): void
  /** Writes at `warn` when `logLevel` lets it through. */
  warn(message: string, details?: Record<string, unknown>): void
  /** Writes at `error` unless `logLevel` is `silent`. */
  error(message: string, details?: Record<string, unknown>): void
}

export function createLog(logger: Logger | undefined, level: LogLevel, redactor: Redactor): Log {
  const emit = (at: Exclude<LogLevel, 'silent'>, message: string, details?: Record<string, unknown>) => {
    if (!logger || RANK[at] < RANK[level]) return
    const write = logger[at]
    if (typeof write !== 'function') return
    const line = redactor.redact(`[wirekit] ${message}`)
    if (details === undefined) write.call(logger, line)
    else write.call(logger, line, redactor.scrub(details))
  }
  return {
    debug: (message, details) => emit('debug', message, details),
    info: (message, details) => emit('info', message, details),
    warn: (message, details) => emit('warn', message, details),
    error: (message, details) => emit('error', message, details),
  }
}
