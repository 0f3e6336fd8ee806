/**
 * The realtime bench's server, run in its own process (child_process.fork) so its work never lands on
 * the client's CPU figures. It speaks the subset of wirekit.v1 the bench needs: each contender holds
 * one connection subscribed to a channel of its own, and `push` sends that channel's socket
 * pre-serialised events as fast as it drains. Commands arrive over IPC.
 */
import { type WebSocket, WebSocketServer } from 'ws'

const EPOCH = 'bench-epoch'
const payload = 'x'.repeat(48)
const frame = (channel: string, offset: number) =>
  `{"type":"event","channel":${JSON.stringify(channel)},"offset":"${offset}","epoch":"${EPOCH}","name":"tick","data":{"n":${offset},"payload":"${payload}"}}`

/** The socket subscribed to each channel, and each channel's last offset. */
const sockets = new Map<string, WebSocket>()
const heads = new Map<string, number>()
const next = (channel: string) => {
  const offset = (heads.get(channel) ?? 0) + 1
  heads.set(channel, offset)
  return offset
}

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: (offered) => (offered.has('wirekit.v1') ? 'wirekit.v1' : false) })

wss.on('connection', (socket) => {
  socket.send(JSON.stringify({ type: 'welcome', heartbeatMs: 25_000 }))
  socket.on('message', (raw) => {
    const message = JSON.parse(raw.toString()) as { type: string; id?: string; channel?: string; t?: number; from?: { offset: string } }
    if (message.type === 'subscribe') {
      const channel = message.channel!
      sockets.set(channel, socket)
      socket.send(JSON.stringify({ type: 'subscribed', id: message.id, channel, offset: String(heads.get(channel) ?? 0), epoch: EPOCH, recovered: true }))
      // A resume: one event newer than the client's position, sent at once, marks "resubscribed".
      if (message.from) socket.send(frame(channel, next(channel)))
      process.send!({ type: 'subscribed', channel })
    } else if (message.type === 'ping') socket.send(JSON.stringify({ type: 'pong', t: message.t }))
  })
})

/** Pushes `count` events on `channel`, pausing whenever more than 1 MB waits in the socket's buffer. */
function push(channel: string, count: number): void {
  const socket = sockets.get(channel)!
  let left = count
  const pump = () => {
    while (left > 0 && socket.bufferedAmount < 1 << 20) {
      socket.send(frame(channel, next(channel)))
      left -= 1
    }
    if (left > 0) setImmediate(pump)
  }
  pump()
}

process.on('message', (command: { type: string; channel?: string; count?: number }) => {
  if (command.type === 'push') push(command.channel!, command.count!)
  else if (command.type === 'drop') sockets.get(command.channel!)?.terminate()
  else if (command.type === 'exit') process.exit(0)
})
process.on('disconnect', () => process.exit(0))

wss.on('listening', () => process.send!({ type: 'ready', port: (wss.address() as { port: number }).port }))
