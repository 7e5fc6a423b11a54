/**
 * Reads Kafka's primitive types (big-endian integers, int16-length strings,
 * int32-length bytes and arrays, and the unsigned-varint "compact" forms of
 * flexible versions) from one request. A reader made `flexible` reads strings,
 * bytes and arrays in their compact forms and `taggedFields` skips the tagged
 * fields that end each structure (KIP-482), so one codec serves both kinds of
 * version. Reading past the end throws a ProtocolError rather than returning
 * garbage.
 */
import { ProtocolError } from './protocol-error.js';

/** Arrays longer than this cannot be honest in a request that fits a frame. */
const MAX_ARRAY_LENGTH = 1 << 24;

export class ProtocolReader {
  private at = 0;

  constructor(
    private readonly buf: Buffer,
    readonly flexible = false,
  ) {}

  /** The unread rest, as a reader of a flexible version's encodings or not (a request body after its header). */
  rest(flexible: boolean): ProtocolReader {
    return new ProtocolReader(this.buf.subarray(this.at), flexible);
  }

  get offset(): number {
    return this.at;
  }

  get remaining(): number {
    return this.buf.length - this.at;
  }

  private take(size: number): number {
    if (size < 0 || this.at + size > this.buf.length) throw new ProtocolError(`request truncated: needed ${size} bytes at ${this.at} of ${this.buf.length}`);
    const at = this.at;
    this.at += size;
    return at;
  }

  int8(): number {
    return this.buf.readInt8(this.take(1));
  }

  bool(): boolean {
    return this.int8() !== 0;
  }

  int16(): number {
    return this.buf.readInt16BE(this.take(2));
  }

  int32(): number {
    return this.buf.readInt32BE(this.take(4));
  }

  /** An int64 as a number: offsets and timestamps are safe integers; others are refused. */
  int64(): number {
    const value = this.buf.readBigInt64BE(this.take(8));
    const n = Number(value);
    if (!Number.isSafeInteger(n)) throw new ProtocolError(`int64 ${value} is beyond what this broker handles`);
    return n;
  }

  unsignedVarint(): number {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const byte = this.buf[this.take(1)]!;
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value;
    }
    throw new ProtocolError('unsigned varint longer than 5 bytes');
  }

  nullableString(): string | null {
    if (this.flexible) return this.compactNullableString();
    const length = this.int16();
    if (length === -1) return null;
    if (length < 0) throw new ProtocolError(`invalid string length ${length}`);
    const at = this.take(length);
    return this.buf.toString('utf8', at, at + length);
  }

  string(): string {
    const value = this.nullableString();
    if (value === null) throw new ProtocolError('null where a string is required');
    return value;
  }

  compactNullableString(): string | null {
    const length = this.unsignedVarint() - 1;
    if (length === -1) return null;
    const at = this.take(length);
    return this.buf.toString('utf8', at, at + length);
  }

  compactString(): string {
    const value = this.compactNullableString();
    if (value === null) throw new ProtocolError('null where a string is required');
    return value;
  }

  /** Nullable bytes, as a view into the request (no copy). */
  nullableBytes(): Buffer | null {
    const length = this.flexible ? this.unsignedVarint() - 1 : this.int32();
    if (length === -1) return null;
    if (length < 0) throw new ProtocolError(`invalid bytes length ${length}`);
    const at = this.take(length);
    return this.buf.subarray(at, at + length);
  }

  /** An array; null when its length is -1 (a nullable array). */
  nullableArray<T>(readItem: (reader: ProtocolReader) => T): T[] | null {
    if (this.flexible) return this.compactNullableArray(readItem);
    const length = this.int32();
    if (length === -1) return null;
    if (length < 0 || length > MAX_ARRAY_LENGTH || length > this.remaining) throw new ProtocolError(`invalid array length ${length}`);
    const items: T[] = [];
    for (let i = 0; i < length; i++) items.push(readItem(this));
    return items;
  }

  array<T>(readItem: (reader: ProtocolReader) => T): T[] {
    return this.nullableArray(readItem) ?? [];
  }

  /** A flexible version's array (length + 1 as an unsigned varint); null when its length is -1. */
  compactNullableArray<T>(readItem: (reader: ProtocolReader) => T): T[] | null {
    const length = this.unsignedVarint() - 1;
    if (length === -1) return null;
    if (length > MAX_ARRAY_LENGTH || length > this.remaining) throw new ProtocolError(`invalid array length ${length}`);
    const items: T[] = [];
    for (let i = 0; i < length; i++) items.push(readItem(this));
    return items;
  }

  compactArray<T>(readItem: (reader: ProtocolReader) => T): T[] {
    return this.compactNullableArray(readItem) ?? [];
  }

  /** Kafka's uuid (topic ids) as 32 hex digits. */
  uuid(): string {
    const at = this.take(16);
    return this.buf.toString('hex', at, at + 16);
  }

  /** Ends a structure: skips its tagged fields in a flexible version; nothing otherwise. */
  taggedFields(): void {
    if (this.flexible) this.skipTaggedFields();
  }

  /** Skips a flexible version's tagged fields. */
  skipTaggedFields(): void {
    const count = this.unsignedVarint();
    for (let i = 0; i < count; i++) {
      this.unsignedVarint();
      this.take(this.unsignedVarint());
    }
  }
}
