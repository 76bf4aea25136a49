import { randomFillSync } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';

const POOL_IDS = 256;
const pool = new Uint8Array(16 * POOL_IDS);
let next = POOL_IDS;

/** uuid's default asks the OS for 16 random bytes per id; one request per 256 ids is far cheaper. */
function pooledRandom16(): Uint8Array {
  if (next === POOL_IDS) {
    randomFillSync(pool);
    next = 0;
  }
  next += 1;
  return pool.subarray((next - 1) * 16, next * 16);
}

/** A new time-ordered event id (UUIDv7, RFC 9562: millisecond timestamp, then random bits). */
export function createEventId(): string {
  return uuidv7({ rng: pooledRandom16 });
}
