/**
 * Keys of windowed sources: the key format's bytes followed by the window,
 * laid out as Kafka Streams lays out the keys of windowed topics:
 * - time windows (TUMBLING, HOPPING): key bytes, then the window start as an
 *   8-byte big-endian long; the end is not stored: it is start + size;
 * - session windows: key bytes, then the window end, then the window start,
 *   each an 8-byte big-endian long.
 */
import { createSerde, lookupFormat, type CreateSerdeOptions } from './format-registry.js';
import { zonedWindowEnd } from '../schema/zoned-windows.js';
import { DeserializationError } from './serde-errors.js';

export type KeyWindowType = 'TUMBLING' | 'HOPPING' | 'SESSION';

/** The window of a windowed source, as its WITH clause declares it. */
export interface KeyWindow {
  readonly type: KeyWindowType;
  /** The window size in ms; required for TUMBLING and HOPPING. */
  readonly sizeMs?: number | undefined;
  /** Windows of whole local days in this zone: the end is the start's local day plus the size. */
  readonly timeZone?: string | undefined;
}

/** A window's bounds in epoch ms. */
export interface KeyWindowBounds {
  readonly start: number;
  readonly end: number;
}

export interface WindowedKey {
  /** The key columns' values; null when the key part holds a null key. */
  readonly values: unknown[] | null;
  readonly window: KeyWindowBounds;
}

export interface WindowedKeySerde {
  serialize(values: readonly unknown[] | null, window: KeyWindowBounds): Buffer;
  /** Null bytes -> null; bytes too short for the window -> DeserializationError. */
  deserialize(bytes: Buffer | null): WindowedKey | null;
}

export type CreateWindowedKeySerdeOptions = Omit<CreateSerdeOptions, 'target'> & { readonly window: KeyWindow };

const LONG_BYTES = 8;

/** The key bytes of a windowed key followed by the window, in the layout of the window type. */
export function appendWindow(key: Buffer, bounds: KeyWindowBounds, type: KeyWindowType): Buffer {
  const session = type === 'SESSION';
  const out = Buffer.allocUnsafe(key.length + (session ? 2 : 1) * LONG_BYTES);
  key.copy(out, 0);
  if (session) {
    out.writeBigInt64BE(BigInt(bounds.end), key.length);
    out.writeBigInt64BE(BigInt(bounds.start), key.length + LONG_BYTES);
  } else {
    out.writeBigInt64BE(BigInt(bounds.start), key.length);
  }
  return out;
}

/**
 * A windowed key's bytes -> the key bytes and the window, or undefined when
 * the bytes are too short to hold the window. Time windows end at start + size.
 */
export function splitWindow(bytes: Buffer, window: KeyWindow): { readonly key: Buffer; readonly window: KeyWindowBounds } | undefined {
  if (window.type === 'SESSION') {
    const keyLength = bytes.length - 2 * LONG_BYTES;
    if (keyLength < 0) return undefined;
    const end = Number(bytes.readBigInt64BE(keyLength));
    const start = Number(bytes.readBigInt64BE(keyLength + LONG_BYTES));
    return { key: bytes.subarray(0, keyLength), window: { start, end } };
  }
  const keyLength = bytes.length - LONG_BYTES;
  if (keyLength < 0) return undefined;
  const start = Number(bytes.readBigInt64BE(keyLength));
  const end = window.timeZone === undefined ? start + (window.sizeMs ?? 0) : zonedWindowEnd(start, window.sizeMs ?? 0, window.timeZone);
  return { key: bytes.subarray(0, keyLength), window: { start, end } };
}

export function createWindowedKeySerde(options: CreateWindowedKeySerdeOptions): WindowedKeySerde {
  const { window } = options;
  const inner = createSerde({ ...options, target: 'key' });
  const formatName = (typeof options.format === 'string' ? lookupFormat(options.format) : options.format).name;
  if (window.type !== 'SESSION' && window.sizeMs === undefined) throw new Error(`${window.type} window keys need the window size`);
  const minimum = window.type === 'SESSION' ? 2 * LONG_BYTES : LONG_BYTES;

  return {
    serialize: (values, bounds) => appendWindow(inner.serialize(values) ?? Buffer.alloc(0), bounds, window.type),
    deserialize(bytes) {
      if (bytes === null) return null;
      const parts = splitWindow(bytes, window);
      if (parts === undefined) {
        const kind = window.type === 'SESSION' ? 'session' : 'time';
        throw new DeserializationError(formatName, 'key', `A ${kind}-windowed key needs at least ${minimum} bytes, got ${bytes.length}.`, options.topic);
      }
      return { values: inner.deserialize(parts.key), window: parts.window };
    },
  };
}
