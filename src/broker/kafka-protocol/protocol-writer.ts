/**
 * Writes Kafka's primitive types into a growing buffer; `finish` returns the
 * bytes written. Large byte fields (record batches) are kept as separate
 * chunks rather than copied, so a fetch response is written without copying
 * its batches. A writer made `flexible` writes strings, bytes and arrays in
 * their compact forms and `taggedFields` ends each structure with an empty
 * set of tagged fields (KIP-482), so one codec serves both kinds of version.
 */
export class ProtocolWriter {
  private chunks: Buffer[] = [];
  private buf = Buffer.allocUnsafe(256);
  private at = 0;
  private flushedBytes = 0;

  constructor(readonly flexible = false) {}

  /** Bytes written so far. */
  get length(): number {
    return this.flushedBytes + this.at;
  }

  /** Reserves `size` bytes and returns where they start; it may replace `buf`, so callers read `buf` after it. */
  private room(size: number): number {
    if (this.at + size > this.buf.length) {
      this.flush();
      if (size > this.buf.length) this.buf = Buffer.allocUnsafe(Math.max(size, this.buf.length * 2));
    }
    const at = this.at;
    this.at += size;
    return at;
  }

  private flush(): void {
    if (this.at === 0) return;
    this.chunks.push(this.buf.subarray(0, this.at));
    this.flushedBytes += this.at;
    this.buf = Buffer.allocUnsafe(this.buf.length);
    this.at = 0;
  }

  int8(value: number): this {
    const at = this.room(1);
    this.buf.writeInt8(value, at);
    return this;
  }

  bool(value: boolean): this {
    return this.int8(value ? 1 : 0);
  }

  int16(value: number): this {
    const at = this.room(2);
    this.buf.writeInt16BE(value, at);
    return this;
  }

  int32(value: number): this {
    const at = this.room(4);
    this.buf.writeInt32BE(value, at);
    return this;
  }

  int64(value: number): this {
    const at = this.room(8);
    this.buf.writeBigInt64BE(BigInt(value), at);
    return this;
  }

  unsignedVarint(value: number): this {
    let rest = value;
    while (rest >= 0x80) {
      const at = this.room(1);
      this.buf[at] = (rest & 0x7f) | 0x80;
      rest = Math.floor(rest / 128);
    }
    const at = this.room(1);
    this.buf[at] = rest;
    return this;
  }

  nullableString(value: string | null): this {
    if (this.flexible) return this.compactNullableString(value);
    if (value === null) return this.int16(-1);
    const length = Buffer.byteLength(value, 'utf8');
    this.int16(length);
    const at = this.room(length);
    this.buf.write(value, at, 'utf8');
    return this;
  }

  string(value: string): this {
    return this.nullableString(value);
  }

  /** A flexible version's string: its UTF-8 length + 1 as an unsigned varint. */
  compactString(value: string): this {
    const length = Buffer.byteLength(value, 'utf8');
    this.unsignedVarint(length + 1);
    const at = this.room(length);
    this.buf.write(value, at, 'utf8');
    return this;
  }

  compactNullableString(value: string | null): this {
    return value === null ? this.unsignedVarint(0) : this.compactString(value);
  }

  /** Bytes given as pieces written one after the other (e.g. whole record batches); null writes -1. */
  nullableBytes(pieces: readonly Buffer[] | null): this {
    if (pieces === null) return this.flexible ? this.unsignedVarint(0) : this.int32(-1);
    let total = 0;
    for (const piece of pieces) total += piece.length;
    if (this.flexible) this.unsignedVarint(total + 1);
    else this.int32(total);
    this.flush();
    for (const piece of pieces) {
      this.chunks.push(piece);
      this.flushedBytes += piece.length;
    }
    return this;
  }

  array<T>(items: readonly T[] | null, writeItem: (writer: this, item: T) => void): this {
    if (this.flexible) return this.compactArray(items, writeItem);
    if (items === null) return this.int32(-1);
    this.int32(items.length);
    for (const item of items) writeItem(this, item);
    return this;
  }

  compactArray<T>(items: readonly T[] | null, writeItem: (writer: this, item: T) => void): this {
    if (items === null) return this.unsignedVarint(0);
    this.unsignedVarint(items.length + 1);
    for (const item of items) writeItem(this, item);
    return this;
  }

  /** Kafka's uuid from 32 hex digits. */
  uuid(hex: string): this {
    const at = this.room(16);
    this.buf.write(hex, at, 16, 'hex');
    return this;
  }

  /** Ends a structure: an empty set of tagged fields in a flexible version; nothing otherwise. */
  taggedFields(): this {
    return this.flexible ? this.emptyTaggedFields() : this;
  }

  /** No tagged fields: the empty set. */
  emptyTaggedFields(): this {
    return this.unsignedVarint(0);
  }

  /** The written bytes, as chunks in order. */
  finish(): Buffer[] {
    this.flush();
    return this.chunks;
  }
}
