/**
 * What the Redis engine needs from a Redis client: raw commands, and a pub/sub subscription on a
 * second connection. One small adapter per client type (ioredis, node-redis); the engine never
 * imports either package, it takes the client the user already has.
 */

/** The engine's view of a Redis client. */
export interface RedisLink {
  /** Sends one command with string arguments; resolves with the reply as the client parses it. */
  command(args: string[]): Promise<unknown>
  /**
   * Subscribes a second connection to `channel`. `message` gets every message; `ready` runs after
   * every (re)subscription, so the engine can fill what it missed while disconnected.
   * Resolves with the function that unsubscribes and closes that connection.
   */
  subscribe(channel: string, message: (text: string) => void, ready: () => void): Promise<() => Promise<void>>
}

/** The part of an ioredis client the adapter uses. */
export interface IoredisLike {
  call(command: string, ...args: string[]): Promise<unknown>
  duplicate(): IoredisLike
  subscribe(channel: string): Promise<unknown>
  on(event: string, listener: (...args: any[]) => void): unknown
  quit(): Promise<unknown>
}

/** The part of a node-redis client the adapter uses. */
export interface NodeRedisLike {
  sendCommand(args: string[]): Promise<unknown>
  duplicate(): NodeRedisLike
  connect(): Promise<unknown>
  subscribe(channel: string, listener: (message: string) => void): Promise<unknown>
  on(event: string, listener: (...args: any[]) => void): unknown
  quit?(): Promise<unknown>
  close?(): Promise<unknown>
}

/** True for a node-redis client (it has `sendCommand`). */
export function isNodeRedis(client: unknown): client is NodeRedisLike {
  return typeof (client as NodeRedisLike)?.sendCommand === 'function' && typeof (client as NodeRedisLike).duplicate === 'function'
}

/** True for an ioredis client (it has `call`). */
export function isIoredis(client: unknown): client is IoredisLike {
  return typeof (client as IoredisLike)?.call === 'function' && typeof (client as IoredisLike).duplicate === 'function'
}

/** The adapter for an ioredis client. */
export function ioredisLink(client: IoredisLike): RedisLink {
  return {
    command: ([name, ...args]) => client.call(name!, ...args),
    async subscribe(channel, message, ready) {
      const sub = client.duplicate()
      sub.on('message', (_: string, text: string) => message(text))
      // ioredis resubscribes by itself after a reconnect and then emits `ready` again.
      sub.on('ready', ready)
      sub.on('error', () => {})
      await sub.subscribe(channel)
      return async () => {
        await sub.quit().catch(() => {})
      }
    },
  }
}

/** The adapter for a node-redis client. */
export function nodeRedisLink(client: NodeRedisLike): RedisLink {
  return {
    command: (args) => client.sendCommand(args),
    async subscribe(channel, message, ready) {
      const sub = client.duplicate()
      sub.on('error', () => {})
      let first = true
      sub.on('ready', () => {
        if (!first) ready()
      })
      await sub.connect()
      await sub.subscribe(channel, message)
      first = false
      return async () => {
        await (sub.close ?? sub.quit)!.call(sub).catch(() => {})
      }
    },
  }
}
