/**
 * Windowed keys on the wire, as Kafka Streams writes them, so topics of
 * windowed tables read the same in ksqlite and ksqlDB:
 *   time windows (TUMBLING, HOPPING): key bytes, window start (int64 BE);
 *   session windows: key bytes, window end (int64 BE), window start (int64 BE).
 * A time window's end is not written: readers know the size.
 */
export type WindowKind = 'TUMBLING' | 'HOPPING' | 'SESSION';

export interface KeyWindow {
  readonly start: number;
  readonly end: number;
}

export function serializeWindowedKey(key: Buffer | null, window: KeyWindow, kind: WindowKind): Buffer {
  const base = key ?? Buffer.alloc(0);
  const suffix = Buffer.allocUnsafe(kind === 'SESSION' ? 16 : 8);
  if (kind === 'SESSION') {
    suffix.writeBigInt64BE(BigInt(window.end), 0);
    suffix.writeBigInt64BE(BigInt(window.start), 8);
  } else {
    suffix.writeBigInt64BE(BigInt(window.start), 0);
  }
  return Buffer.concat([base, suffix]);
}

/** Splits a windowed key; `sizeMs` gives a time window's end. Throws when the bytes are too short. */
export function deserializeWindowedKey(bytes: Buffer, kind: WindowKind, sizeMs: number | undefined): { key: Buffer; window: KeyWindow } {
  const width = kind === 'SESSION' ? 16 : 8;
  if (bytes.length < width) throw new Error(`a windowed key needs at least ${width} bytes, got ${bytes.length}`);
  const key = bytes.subarray(0, bytes.length - width);
  if (kind === 'SESSION') {
    const end = Number(bytes.readBigInt64BE(bytes.length - 16));
    const start = Number(bytes.readBigInt64BE(bytes.length - 8));
    return { key, window: { start, end } };
  }
  const start = Number(bytes.readBigInt64BE(bytes.length - 8));
  return { key, window: { start, end: start + (sizeMs ?? 0) } };
}
