/**
 * The bench's server, run in its own process (child_process.fork) so its work never lands on the
 * client's CPU figures. It speaks the subset of wirekit.v1 the bench needs and pushes pre-serialised
 * events as fast as the socket drains. Commands arrive over IPC.
 */
import { WebSocketServer, type WebSocket } from 'ws'

const EPOCH = 'bench-epoch'
const payload = 'x'.repeat(48)
const frame = (offset: number) =>
  `{"type":"event","channel":"bench","offset":"${offset}","epoch":"${EPOCH}","name":"tick","data":{"n":${offset},"payload":"${payload}"}}`

let current: WebSocket | undefined
let head = 0
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: (offered) => (offered.has('wirekit.v1') ? 'wirekit.v1' : false) })

wss.on('connection', (socket) => {
  current = socket
  socket.send(JSON.stringify({ type: 'welcome', heartbeatMs: 25_000 }))
  socket.on('message', (raw) => {
    const message = JSON.parse(raw.toString()) as { type: string; id?: string; t?: number; from?: { offset: string } }
    if (message.type === 'subscribe') {
      socket.send(JSON.stringify({ type: 'subscribed', id: message.id, channel: 'bench', offset: String(head), epoch: EPOCH, recovered: true }))
      // A resume: one event newer than the client's position, sent at once, marks "resubscribed".
      if (message.from) socket.send(frame(++head))
      process.send!({ type: 'subscribed' })
    } else if (message.type === 'ping') socket.send(JSON.stringify({ type: 'pong', t: message.t }))
  })
})

/** Pushes `count` events, pausing whenever more than 1 MB waits in the socket's buffer. */
function push(count: number): void {
  const socket = current!
  let left = count
  const pump = () => {
    while (left > 0 && socket.bufferedAmount < 1 << 20) {
      socket.send(frame(++head))
      left -= 1
    }
    if (left > 0) setImmediate(pump)
  }
  pump()
}

process.on('message', (command: { type: string; count?: number }) => {
  if (command.type === 'push') push(command.count!)
  else if (command.type === 'reset') head = 0
  else if (command.type === 'drop') current?.terminate()
  else if (command.type === 'exit') process.exit(0)
})

wss.on('listening', () => process.send!({ type: 'ready', port: (wss.address() as { port: number }).port }))
