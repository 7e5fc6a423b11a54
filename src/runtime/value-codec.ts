/**
 * The internal binary form of runtime values (see src/schema/sql-type.ts):
 * what state stores and internal topics (repartition, changelog) hold. It is
 * schema-free and lossless - every value reads back as the same runtime
 * value, BIGINT as bigint, DECIMAL as Decimal, BYTES as Buffer, MAP as Map -
 * so rows, keys and aggregate accumulators share one codec. Equal values
 * always encode to equal bytes (object fields and map entries keep their
 * order), which lets encoded keys serve as store keys and partitioning keys.
 *
 * Layout: one tag byte per value, then its payload; lengths and counts are
 * unsigned 32-bit big-endian.
 */
import { Decimal } from '../schema/decimal.js';

const enum Tag {
  Null = 0,
  False = 1,
  True = 2,
  Int32 = 3,
  Double = 4,
  BigInt = 5,
  String = 6,
  Decimal = 7,
  Bytes = 8,
  Array = 9,
  Map = 10,
  Object = 11,
}

/** The first byte of every encoded array (a grouping key's encoding always starts with it). */
export const ARRAY_TAG: number = Tag.Array;

class Writer {
  buffer = Buffer.allocUnsafe(256);
  length = 0;

  ensure(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + extra));
    this.buffer.copy(next, 0, 0, this.length);
    this.buffer = next;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buffer[this.length++] = b;
  }

  uint32(n: number): void {
    this.ensure(4);
    this.buffer.writeUInt32BE(n, this.length);
    this.length += 4;
  }

  text(tag: Tag, s: string): void {
    if (s.length <= SHORT_TEXT && this.ascii(tag, s)) return;
    const bytes = Buffer.byteLength(s);
    this.ensure(5 + bytes);
    this.buffer[this.length++] = tag;
    this.buffer.writeUInt32BE(bytes, this.length);
    this.length += 4;
    this.length += this.buffer.write(s, this.length);
  }

  /**
   * Writes a string of ASCII characters byte by byte, as `text` would (its
   * UTF-8 bytes are its characters); false, with nothing written, when it has
   * another character.
   */
  private ascii(tag: Tag, s: string): boolean {
    const n = s.length;
    this.ensure(5 + n);
    const buffer = this.buffer;
    const at = this.length + 5;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) return false;
      buffer[at + i] = c;
    }
    buffer[this.length] = tag;
    buffer.writeUInt32BE(n, this.length + 1);
    this.length = at + n;
    return true;
  }
}

/**
 * Strings up to this long are written character by character when they are
 * ASCII (a BIGINT's digits always are): cheaper for short strings than
 * measuring and writing their UTF-8 through Buffer's native calls.
 */
const SHORT_TEXT = 64;

function write(w: Writer, v: unknown): void {
  switch (typeof v) {
    case 'boolean':
      w.byte(v ? Tag.True : Tag.False);
      return;
    case 'number':
      if ((v | 0) === v && !Object.is(v, -0)) {
        w.ensure(5);
        w.buffer[w.length++] = Tag.Int32;
        w.buffer.writeInt32BE(v, w.length);
        w.length += 4;
      } else {
        w.ensure(9);
        w.buffer[w.length++] = Tag.Double;
        w.buffer.writeDoubleBE(v, w.length);
        w.length += 8;
      }
      return;
    case 'bigint':
      w.text(Tag.BigInt, v.toString());
      return;
    case 'string':
      w.text(Tag.String, v);
      return;
    case 'object':
      break;
    default:
      throw new Error(`cannot encode a ${typeof v} as a runtime value`);
  }
  if (v === null) {
    w.byte(Tag.Null);
  } else if (Array.isArray(v)) {
    w.byte(Tag.Array);
    w.uint32(v.length);
    for (const e of v) write(w, e);
  } else if (Buffer.isBuffer(v)) {
    w.byte(Tag.Bytes);
    w.uint32(v.length);
    w.ensure(v.length);
    v.copy(w.buffer, w.length);
    w.length += v.length;
  } else if (v instanceof Decimal) {
    w.text(Tag.Decimal, v.toFixed());
  } else if (v instanceof Map) {
    w.byte(Tag.Map);
    w.uint32(v.size);
    for (const [k, e] of v) {
      write(w, k);
      write(w, e);
    }
  } else {
    const entries = Object.entries(v as Record<string, unknown>);
    w.byte(Tag.Object);
    w.uint32(entries.length);
    for (const [k, e] of entries) {
      w.text(Tag.String, k);
      write(w, e);
    }
  }
}

class Reader {
  offset = 0;
  constructor(readonly buffer: Buffer) {}

  uint32(): number {
    const n = this.buffer.readUInt32BE(this.offset);
    this.offset += 4;
    return n;
  }

  text(): string {
    const n = this.uint32();
    const s = this.buffer.toString('utf8', this.offset, this.offset + n);
    this.offset += n;
    return s;
  }

  /**
   * A BIGINT written as its decimal text: up to 15 digits are read as a
   * number, which holds them exactly and makes a bigint several times faster
   * than parsing the text does.
   */
  bigint(): bigint {
    const n = this.uint32();
    const buffer = this.buffer;
    const end = this.offset + n;
    let i = this.offset;
    const negative = buffer[i] === 0x2d;
    if (negative) i++;
    if (end - i > 0 && end - i <= 15) {
      let value = 0;
      for (; i < end; i++) {
        const digit = buffer[i]! - 0x30;
        if (digit < 0 || digit > 9) break;
        value = value * 10 + digit;
      }
      if (i === end) {
        this.offset = end;
        return BigInt(negative ? -value : value);
      }
    }
    const s = buffer.toString('utf8', this.offset, end);
    this.offset = end;
    return BigInt(s);
  }
}

function read(r: Reader): unknown {
  const tag = r.buffer[r.offset++] as Tag;
  switch (tag) {
    case Tag.Null:
      return null;
    case Tag.False:
      return false;
    case Tag.True:
      return true;
    case Tag.Int32: {
      const n = r.buffer.readInt32BE(r.offset);
      r.offset += 4;
      return n;
    }
    case Tag.Double: {
      const n = r.buffer.readDoubleBE(r.offset);
      r.offset += 8;
      return n;
    }
    case Tag.BigInt:
      return r.bigint();
    case Tag.String:
      return r.text();
    case Tag.Decimal:
      return new Decimal(r.text());
    case Tag.Bytes: {
      const n = r.uint32();
      const b = Buffer.from(r.buffer.subarray(r.offset, r.offset + n));
      r.offset += n;
      return b;
    }
    case Tag.Array: {
      const n = r.uint32();
      const a: unknown[] = new Array(n);
      for (let i = 0; i < n; i++) a[i] = read(r);
      return a;
    }
    case Tag.Map: {
      const n = r.uint32();
      const m = new Map<unknown, unknown>();
      for (let i = 0; i < n; i++) {
        const k = read(r);
        m.set(k, read(r));
      }
      return m;
    }
    case Tag.Object: {
      const n = r.uint32();
      const o: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) {
        r.offset++; // the String tag of the field name
        const k = r.text();
        o[k] = read(r);
      }
      return o;
    }
    default:
      throw new Error(`corrupt internal value: unknown tag ${String(tag)} at byte ${r.offset - 1}`);
  }
}

/** Where every encoding is written first (writing never re-enters encodeValue), so each costs one Buffer. */
const scratch = new Writer();
/** A scratch buffer grown past this by one large value is given back after it. */
const SCRATCH_KEPT_BYTES = 64 * 1024;

/** Encodings up to this long are copied out byte by byte: Buffer.copy costs more (a view per call) for a few bytes. */
const SMALL_COPY_BYTES = 64;

/** A fresh Buffer of what the scratch holds. */
function copyOfScratch(): Buffer {
  const length = scratch.length;
  const out = Buffer.allocUnsafe(length);
  if (length <= SMALL_COPY_BYTES) {
    const from = scratch.buffer;
    for (let i = 0; i < length; i++) out[i] = from[i]!;
  } else {
    scratch.buffer.copy(out, 0, 0, length);
  }
  return out;
}

/** The bytes of a runtime value (a fresh Buffer the caller may keep). */
export function encodeValue(value: unknown): Buffer {
  scratch.length = 0;
  try {
    write(scratch, value);
    return copyOfScratch();
  } finally {
    if (scratch.buffer.length > SCRATCH_KEPT_BYTES) scratch.buffer = Buffer.allocUnsafe(256);
  }
}

/** The bytes of the array `[head, ...rest]` (as `encodeValue` writes it), without making that array. */
export function encodeArray(head: unknown, rest: readonly unknown[]): Buffer {
  scratch.length = 0;
  try {
    scratch.byte(Tag.Array);
    scratch.uint32(rest.length + 1);
    write(scratch, head);
    for (const v of rest) write(scratch, v);
    return copyOfScratch();
  } finally {
    if (scratch.buffer.length > SCRATCH_KEPT_BYTES) scratch.buffer = Buffer.allocUnsafe(256);
  }
}

/**
 * The bytes of the array `[...encoded, encodeValue(last)]` (as `encodeValue` writes it: each element a BYTES value),
 * in one pass: no Buffer of `last`'s encoding alone.
 */
export function encodeBytesArray(encoded: readonly Buffer[], last: unknown): Buffer {
  scratch.length = 0;
  try {
    scratch.byte(Tag.Array);
    scratch.uint32(encoded.length + 1);
    for (const bytes of encoded) write(scratch, bytes);
    scratch.byte(Tag.Bytes);
    const lengthAt = scratch.length;
    scratch.uint32(0);
    write(scratch, last);
    scratch.buffer.writeUInt32BE(scratch.length - lengthAt - 4, lengthAt);
    return copyOfScratch();
  } finally {
    if (scratch.buffer.length > SCRATCH_KEPT_BYTES) scratch.buffer = Buffer.allocUnsafe(256);
  }
}

/** The runtime value `encodeValue` wrote, in `bytes` or in its bytes from `start` to `end`. */
export function decodeValue(bytes: Buffer, start = 0, end = bytes.length): unknown {
  const r = new Reader(bytes);
  r.offset = start;
  const v = read(r);
  if (r.offset !== end) throw new Error(`corrupt internal value: ${end - r.offset} trailing bytes`);
  return v;
}
