/**
 * Keys of windowed sources: the key format's bytes followed by the window,
 * laid out as Kafka Streams lays out the keys of windowed topics:
 * - time windows (TUMBLING, HOPPING): key bytes, then the window start as an
 *   8-byte big-endian long; the end is not stored: it is start + size;
 * - session windows: key bytes, then the window end, then the window start,
 *   each an 8-byte big-endian long.
 */
import { createSerde, lookupFormat, type CreateSerdeOptions } from './format-registry.js';
import { DeserializationError } from './serde-errors.js';

export type KeyWindowType = 'TUMBLING' | 'HOPPING' | 'SESSION';

/** The window of a windowed source, as its WITH clause declares it. */
export interface KeyWindow {
  readonly type: KeyWindowType;
  /** The window size in ms; required for TUMBLING and HOPPING. */
  readonly sizeMs?: number | undefined;
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

export function createWindowedKeySerde(options: CreateWindowedKeySerdeOptions): WindowedKeySerde {
  const { window } = options;
  const inner = createSerde({ ...options, target: 'key' });
  const formatName = (typeof options.format === 'string' ? lookupFormat(options.format) : options.format).name;
  const session = window.type === 'SESSION';
  const suffix = session ? 2 * LONG_BYTES : LONG_BYTES;
  const sizeMs = window.sizeMs;
  if (!session && sizeMs === undefined) throw new Error(`${window.type} window keys need the window size`);

  return {
    serialize(values, bounds) {
      const key = inner.serialize(values) ?? Buffer.alloc(0);
      const out = Buffer.allocUnsafe(key.length + suffix);
      key.copy(out, 0);
      if (session) {
        out.writeBigInt64BE(BigInt(bounds.end), key.length);
        out.writeBigInt64BE(BigInt(bounds.start), key.length + LONG_BYTES);
      } else {
        out.writeBigInt64BE(BigInt(bounds.start), key.length);
      }
      return out;
    },
    deserialize(bytes) {
      if (bytes === null) return null;
      const keyLength = bytes.length - suffix;
      if (keyLength < 0) {
        throw new DeserializationError(formatName, 'key', `A ${session ? 'session' : 'time'}-windowed key needs at least ${suffix} bytes, got ${bytes.length}.`, options.topic);
      }
      const values = inner.deserialize(bytes.subarray(0, keyLength));
      if (session) {
        const end = Number(bytes.readBigInt64BE(keyLength));
        const start = Number(bytes.readBigInt64BE(keyLength + LONG_BYTES));
        return { values, window: { start, end } };
      }
      const start = Number(bytes.readBigInt64BE(keyLength));
      return { values, window: { start, end: start + sizeMs! } };
    },
  };
}
