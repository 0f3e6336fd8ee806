import { type StreamPosition, compareOffsets, nextOffset } from '../core/protocol.js'

/**
 * What to do with an incoming event given the channel's last position:
 * - `deliver`: the next one in order (or the first one seen);
 * - `stale`: at or below the last offset of this epoch, already delivered — drop it;
 * - `epoch`: another epoch — the server lost history; signal a gap, then deliver;
 * - `skip`: offsets jumped — events are missing; signal a gap, then deliver.
 */
export type Verdict = 'deliver' | 'stale' | 'epoch' | 'skip'

/** Judges one event against the last position; pure, so it is property-tested on its own. */
export function judge(last: StreamPosition | undefined, offset: string, epoch: string): Verdict {
  if (!last) return 'deliver'
  if (epoch !== last.epoch) return 'epoch'
  if (compareOffsets(offset, last.offset) <= 0) return 'stale'
  return offset === nextOffset(last.offset) ? 'deliver' : 'skip'
}
