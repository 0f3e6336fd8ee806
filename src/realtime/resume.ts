import { type StreamPosition, compareOffsets, nextOffset } from '../core/protocol.js'

/**
 * Judges one event against the channel's last position; pure, so it is property-tested on its own.
 * - `undefined`: the next one in order — deliver it;
 * - `stale`: at or below the last offset of this epoch, already delivered — drop it;
 * - `epoch_changed`: another epoch — the server lost history; signal a gap, then deliver;
 * - `offset_skipped`: offsets jumped — events are missing; signal a gap, then deliver.
 */
export function judge(last: StreamPosition, offset: string, epoch: string): 'stale' | 'epoch_changed' | 'offset_skipped' | undefined {
  if (epoch !== last.epoch) return 'epoch_changed'
  if (compareOffsets(offset, last.offset) <= 0) return 'stale'
  if (offset !== nextOffset(last.offset)) return 'offset_skipped'
}
