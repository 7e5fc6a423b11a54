/**
 * Unguessable numbers for ids a client may see and name back (a query's id
 * for /close-query), drawn from a pool of crypto random bytes refilled 4 KiB
 * at a time: one crypto call per 682 numbers instead of one per id.
 */
import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 4096;
const NUMBER_BYTES = 6;
const pool = Buffer.alloc(POOL_BYTES);
let next = POOL_BYTES;

/** A random integer in [0, 2^48). */
export function randomIdNumber(): number {
  if (next + NUMBER_BYTES > POOL_BYTES) {
    randomFillSync(pool);
    next = 0;
  }
  const n = pool.readUIntBE(next, NUMBER_BYTES);
  next += NUMBER_BYTES;
  return n;
}
