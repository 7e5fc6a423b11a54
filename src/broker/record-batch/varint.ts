/**
 * Kafka's zig-zag varints (protobuf style, 7 bits per byte, low group first).
 * Values are JS numbers; 64-bit varlongs are exact up to 2^53.
 */

/** Encoded size of a zig-zag varint/varlong for `value`. */
export function sizeOfVarlong(value: number): number {
  let v = value >= 0 ? value * 2 : -value * 2 - 1;
  if (v < 0x80) return 1;
  if (v < 0x4000) return 2;
  if (v < 0x200000) return 3;
  if (v < 0x10000000) return 4;
  let size = 4;
  v = Math.floor(v / 0x10000000);
  while (v > 0) {
    size++;
    v = Math.floor(v / 0x80);
  }
  return size;
}

/** Writes a zig-zag varint/varlong at `at`; returns the position after it. */
export function writeVarlong(buf: Uint8Array, at: number, value: number): number {
  let v = value >= 0 ? value * 2 : -value * 2 - 1;
  if (v < 0x80000000) {
    while (v >= 0x80) {
      buf[at++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[at++] = v;
    return at;
  }
  while (v >= 0x80) {
    buf[at++] = (v % 0x80) | 0x80;
    v = Math.floor(v / 0x80);
  }
  buf[at++] = v;
  return at;
}

/**
 * Decoding keeps its position in a small cursor object so that the hot loop
 * allocates nothing: `readVarlong(cursor, buf)` returns the value and advances
 * `cursor.at`.
 */
export interface Cursor {
  at: number;
}

export function readVarlong(cursor: Cursor, buf: Uint8Array): number {
  let at = cursor.at;
  let b = buf[at++]!;
  if (b < 0x80) {
    cursor.at = at;
    return b & 1 ? -((b + 1) / 2) : b / 2;
  }
  let raw = b & 0x7f;
  let scale = 0x80;
  for (;;) {
    if (at >= buf.length) throw new RangeError('varint runs past the end of the batch');
    b = buf[at++]!;
    raw += (b & 0x7f) * scale;
    if (b < 0x80) break;
    scale *= 0x80;
    if (scale > 2 ** 63) throw new RangeError('varint is longer than 10 bytes');
  }
  cursor.at = at;
  return raw % 2 === 1 ? -((raw + 1) / 2) : raw / 2;
}
