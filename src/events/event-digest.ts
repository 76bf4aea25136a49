import { createHash } from 'node:crypto';
import { stringify } from 'safe-stable-stringify';
import type { DataMovementEvent } from './data-movement-event.js';

/**
 * A fingerprint of an event's content as its producer sent it (keys in any order give the same
 * digest). A redelivery has the same digest; a different event under a used eventId does not
 * (docs/contract.md §2: redelivery is a no-op, so the first version stands and the second is a producer bug).
 */
export function eventDigest(event: DataMovementEvent): string {
  return createHash('sha256')
    .update(stringify(event) ?? '')
    .digest('base64url')
    .slice(0, 22);
}
