/** Internal: the event emitter every realtime client extends; the one file that imports eventemitter3. */
export { EventEmitter } from 'eventemitter3'
