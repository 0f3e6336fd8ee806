/** What the processes of `npm run bench:server` say to each other over IPC, and the clock they share. */

export type Kind = 'wirekit' | 'socketio' | 'ws'

export type Command =
  | { type: 'connect'; group: string; kind: Kind; urls: string[]; count: number; channel?: string }
  | { type: 'expect'; group: string; events: number }
  | { type: 'probe'; group: string; kind: Exclude<Kind, 'ws'>; urls: string[]; channel: string }
  | { type: 'probe-expect'; group: string; events: number }
  | { type: 'disconnect'; group: string }

export type Report =
  | { type: 'connected'; group: string }
  | { type: 'armed'; group: string }
  | {
      type: 'received'
      group: string
      /** Events received, over all connections of the group. */
      received: number
      /** Events missing (a hole in a connection's sequence, or not received by the end). */
      lost: number
      /** Events received twice or out of order. */
      repeated: number
      /** Connections the server closed during the run. */
      closed: number
      /** Wall-clock ms (performance.timeOrigin + now) of the last receipt. */
      last: number
    }
  | { type: 'probed'; group: string; sent: number[]; arrivals: number[][] }
  | { type: 'disconnected'; group: string }
  | { type: 'failed'; message: string }

/** Milliseconds on a clock shared by every process of the machine (µs resolution). */
export const wallClock = () => performance.timeOrigin + performance.now()

export type ServerCommand =
  | { type: 'publish'; events: number; intervalMs?: number }
  | { type: 'hold'; hold: boolean }
  /** CPU used since the previous `cpu` command (or the start). */
  | { type: 'cpu' }
  | { type: 'memory' }
  | { type: 'exit' }

export type ServerReport =
  | { type: 'ready'; url: string }
  | { type: 'published'; first: number; events: number }
  | { type: 'pressure'; high: boolean }
  | { type: 'cpu'; micros: number }
  | { type: 'memory'; rss: number; heap: number }
  | { type: 'failed'; message: string }

/** The channel (wirekit) and room (socket.io) every subscriber follows. */
export const CHANNEL = 'bench'
