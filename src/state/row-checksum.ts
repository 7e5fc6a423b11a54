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
 * Rows are checksummed on the write path of every commit, and most are a
 * few dozen bytes, where the cost of a call into the native CRC exceeds the
 * work: rows up to SMALL_ROW bytes take a table-driven CRC-32C in
 * JavaScript (about 70 ns for 40 bytes, against 180 ns native), larger ones
 * the native one. Both compute the same CRC.
 */
const SMALL_ROW = 96;

/** CRC-32C (Castagnoli, reflected polynomial 0x82f63b78) of each byte value. */
const TABLE = new Int32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  TABLE[n] = c;
}

/** Continues a CRC-32C over `bytes`, as updateCrc32c does. */
function updateSmall(crc: number, bytes: Uint8Array): number {
  let c = ~crc;
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** The checksum of a key-value row. */
export function keyValueChecksum(key: Buffer, value: Buffer): number {
  if (key.length + value.length > SMALL_ROW) return updateCrc32c(updateCrc32c(key.length, key), value);
  return updateSmall(updateSmall(key.length, key), value);
}

const bounds = Buffer.alloc(16);

/** The checksum of a window row: its key, its bounds (as two float64s, exact for epoch ms), its value. */
export function windowChecksum(key: Buffer, start: number, end: number, value: Buffer): number {
  bounds.writeDoubleLE(start, 0);
  bounds.writeDoubleLE(end, 8);
  if (key.length + 16 + value.length > SMALL_ROW) return updateCrc32c(updateCrc32c(updateCrc32c(key.length, key), bounds), value);
  return updateSmall(updateSmall(updateSmall(key.length, key), bounds), value);
}

/** Throws the store's corruption error unless a key-value row read from storage matches its checksum. */
export function checkKeyValueRow(store: StoreIdentity, key: Buffer, value: Buffer, checksum: number): void {
  if (keyValueChecksum(key, value) !== checksum) throw new StateCorruptionError(store, key);
}

/** Throws the store's corruption error unless a window row read from storage matches its checksum. */
export function checkWindowRow(store: StoreIdentity, key: Buffer, start: number, end: number, value: Buffer, checksum: number): void {
  if (windowChecksum(key, start, end, value) !== checksum) throw new StateCorruptionError(store, key, { start, end });
}
