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

/** The checksum of a key-value row. */
export function keyValueChecksum(key: Buffer, value: Buffer): number {
  return updateCrc32c(updateCrc32c(key.length, key), value);
}

const bounds = Buffer.alloc(16);

/** The checksum of a window row: its key, its bounds (as two float64s, exact for epoch ms), its value. */
export function windowChecksum(key: Buffer, start: number, end: number, value: Buffer): number {
  bounds.writeDoubleLE(start, 0);
  bounds.writeDoubleLE(end, 8);
  return updateCrc32c(updateCrc32c(updateCrc32c(key.length, key), bounds), value);
}

/** Throws the store's corruption error unless a key-value row read from storage matches its checksum. */
export function checkKeyValueRow(store: StoreIdentity, key: Buffer, value: Buffer, checksum: number): void {
  if (keyValueChecksum(key, value) !== checksum) throw new StateCorruptionError(store, key);
}

/** Throws the store's corruption error unless a window row read from storage matches its checksum. */
export function checkWindowRow(store: StoreIdentity, key: Buffer, start: number, end: number, value: Buffer, checksum: number): void {
  if (windowChecksum(key, start, end, value) !== checksum) throw new StateCorruptionError(store, key, { start, end });
}
