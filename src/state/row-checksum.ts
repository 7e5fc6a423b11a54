/**
 * The checksum every stored state row carries: SQLite keeps no checksums of
 * its own pages, so without one a flipped byte in a stored value would
 * silently become a different count or row. It is a CRC-32C of the row's key
 * continued over the window bounds (window stores) and the value, started
 * from the key's length so that a boundary moved between key and value shows
 * too. Rows are checked on every read from storage (cached entries were
 * checked when read, or written by the store itself).
 */
import { updateCrc32c } from '../broker/crc32c.js';
import { StateCorruptionError } from './state-error.js';
import type { StoreIdentity } from './state-store.js';

/**
 * Small rows (nearly all) are copied into one scratch buffer and checksummed
 * in one native call: the call, not the bytes, is what costs here. A CRC
 * continued over pieces equals the CRC of their concatenation, so rows too
 * large for it, checksummed piece by piece, get the very same checksum.
 */
const scratch = Buffer.alloc(4096);

/** The checksum of a key-value row. */
export function keyValueChecksum(key: Buffer, value: Buffer): number {
  const k = key.length;
  const total = k + value.length;
  if (total > scratch.length) return updateCrc32c(updateCrc32c(k, key), value);
  scratch.set(key, 0);
  scratch.set(value, k);
  return updateCrc32c(k, scratch, 0, total);
}

/** The checksum of a window row: its key, its bounds (as two float64s, exact for epoch ms), its value. */
export function windowChecksum(key: Buffer, start: number, end: number, value: Buffer): number {
  const k = key.length;
  const total = k + 16 + value.length;
  if (total > scratch.length) {
    const bounds = Buffer.allocUnsafe(16);
    bounds.writeDoubleLE(start, 0);
    bounds.writeDoubleLE(end, 8);
    return updateCrc32c(updateCrc32c(updateCrc32c(k, key), bounds), value);
  }
  scratch.set(key, 0);
  scratch.writeDoubleLE(start, k);
  scratch.writeDoubleLE(end, k + 8);
  scratch.set(value, k + 16);
  return updateCrc32c(k, scratch, 0, total);
}

/** Throws the store's corruption error unless a key-value row read from storage matches its checksum. */
export function checkKeyValueRow(store: StoreIdentity, key: Buffer, value: Buffer, checksum: number): void {
  if (keyValueChecksum(key, value) !== checksum) throw new StateCorruptionError(store, key);
}

/** Throws the store's corruption error unless a window row read from storage matches its checksum. */
export function checkWindowRow(store: StoreIdentity, key: Buffer, start: number, end: number, value: Buffer, checksum: number): void {
  if (windowChecksum(key, start, end, value) !== checksum) throw new StateCorruptionError(store, key, { start, end });
}
