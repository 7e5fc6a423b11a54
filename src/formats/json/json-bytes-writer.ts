/**
 * The JSON writer of the serializer, compiled once per schema, writing UTF-8
 * bytes directly: the same text as json-writer.ts (and the same bytes as
 * `Buffer.from` of it), without the per-record string concatenation, its
 * flattening and the per-field `JSON.stringify` of strings. Property names
 * are encoded once. Records are written one after the other into a shared
 * slab of SLAB_BYTES, as Node's own Buffer pool does for small strings, and
 * each is returned as a view of it.
 */
import type { Decimal } from '../../schema/decimal.js';
import type { SqlType, StructField } from '../../schema/sql-type.js';
import { compileDecimalText, formatJavaDouble } from '../../schema/java-text.js';

/** Writes one runtime value (null allowed) of a fixed SQL type at the slab's position. */
type BytesWriter = (value: unknown) => void;

/** Node's Buffer pool size: a record's view keeps at most this much memory alive besides itself. */
const SLAB_BYTES = 8 * 1024;

/** Where records are being written: `[start, pos)` is the record so far. */
const out = { slab: Buffer.allocUnsafe(SLAB_BYTES), start: 0, pos: 0 };

/** Makes room for `bytes` more bytes, moving the record so far to a new slab when this one is full. */
function reserve(bytes: number): void {
  if (out.pos + bytes <= out.slab.length) return;
  const used = out.pos - out.start;
  const slab = Buffer.allocUnsafe(Math.max(SLAB_BYTES, 2 * (used + bytes)));
  out.slab.copy(slab, 0, out.start, out.pos);
  out.slab = slab;
  out.start = 0;
  out.pos = used;
}

/** Writes text that needs no JSON escaping (numbers, encoded names, base64) as UTF-8. */
function writeText(text: string): void {
  const n = text.length;
  reserve(n);
  const slab = out.slab;
  let p = out.pos;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) {
      out.pos = p;
      writeUtf8(text.slice(i));
      return;
    }
    slab[p++] = c;
  }
  out.pos = p;
}

function writeUtf8(text: string): void {
  reserve(Buffer.byteLength(text));
  out.pos += out.slab.write(text, out.pos);
}

/** Writes a string as JSON.stringify does: ASCII without escapes here, anything else through JSON.stringify. */
function writeString(s: string): void {
  const n = s.length;
  reserve(n + 2);
  const slab = out.slab;
  let p = out.pos;
  slab[p++] = 0x22;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c >= 0x7f || c === 0x22 || c === 0x5c) {
      out.pos = p;
      // The rest's JSON text without its opening quote: escapes and UTF-8 exactly as JSON.stringify and Buffer.from make them.
      writeUtf8(JSON.stringify(s.slice(i)).slice(1));
      return;
    }
    slab[p++] = c;
  }
  slab[p++] = 0x22;
  out.pos = p;
}

function writeNull(): void {
  reserve(4);
  const slab = out.slab;
  const p = out.pos;
  slab[p] = 0x6e;
  slab[p + 1] = 0x75;
  slab[p + 2] = 0x6c;
  slab[p + 3] = 0x6c;
  out.pos = p + 4;
}

/** Writes bytes encoded once (a property name with its quotes and punctuation). */
function writeBytes(bytes: Uint8Array): void {
  const n = bytes.length;
  reserve(n);
  const slab = out.slab;
  const p = out.pos;
  for (let i = 0; i < n; i++) slab[p + i] = bytes[i]!;
  out.pos = p + n;
}

function writeByte(byte: number): void {
  reserve(1);
  out.slab[out.pos++] = byte;
}

/** Builds the bytes writer of a SQL type once. */
function compileBytesWriter(type: SqlType): BytesWriter {
  switch (type.kind) {
    case 'BOOLEAN':
      return (v) => (v == null ? writeNull() : writeText(v ? 'true' : 'false'));
    case 'INTEGER':
    case 'DATE':
    case 'TIME':
    case 'TIMESTAMP':
      return (v) => (v == null ? writeNull() : writeText(String(v)));
    case 'BIGINT':
      return (v) => (v == null ? writeNull() : writeText((v as bigint).toString()));
    case 'DOUBLE':
      return (v) => {
        if (v == null) return writeNull();
        const d = v as number;
        return writeText(Number.isFinite(d) ? formatJavaDouble(d) : `"${formatJavaDouble(d)}"`);
      };
    case 'DECIMAL': {
      const text = compileDecimalText(type.scale);
      return (v) => (v == null ? writeNull() : writeText(text(v as Decimal)));
    }
    case 'STRING':
      return (v) => {
        if (v == null) writeNull();
        else if (typeof v === 'string') writeString(v);
        else writeUtf8(String(JSON.stringify(v)));
      };
    case 'BYTES':
      return (v) => (v == null ? writeNull() : writeText(`"${(v as Buffer).toString('base64')}"`));
    case 'ARRAY': {
      const element = compileBytesWriter(type.element);
      return (v) => {
        if (v == null) return writeNull();
        const items = v as readonly unknown[];
        writeByte(0x5b);
        for (let i = 0; i < items.length; i++) {
          if (i > 0) writeByte(0x2c);
          element(items[i]);
        }
        writeByte(0x5d);
      };
    }
    case 'MAP': {
      const value = compileBytesWriter(type.value);
      return (v) => {
        if (v == null) return writeNull();
        writeByte(0x7b);
        let first = true;
        for (const [k, item] of v as ReadonlyMap<unknown, unknown>) {
          if (!first) writeByte(0x2c);
          writeString(String(k));
          writeByte(0x3a);
          value(item);
          first = false;
        }
        writeByte(0x7d);
      };
    }
    case 'STRUCT': {
      const names = type.fields.map((f) => f.name);
      const { prefixes, writers } = compileFields(type.fields);
      return (v) => {
        if (v == null) return writeNull();
        const obj = v as Record<string, unknown>;
        writeBytes(prefixes[0]!);
        for (let i = 0; i < writers.length; i++) {
          if (i > 0) writeBytes(prefixes[i]!);
          writers[i]!(Object.hasOwn(obj, names[i]!) ? obj[names[i]!] : null);
        }
        writeByte(0x7d);
      };
    }
  }
}

/**
 * The writers of an object's fields, and what comes before each value: `{"NAME":` for the
 * first, `,"NAME":` for the others (`{` alone when there are none).
 */
function compileFields(fields: readonly StructField[]): { prefixes: Buffer[]; writers: BytesWriter[] } {
  const prefixes = fields.map((f, i) => Buffer.from((i === 0 ? '{' : ',') + JSON.stringify(f.name) + ':'));
  if (prefixes.length === 0) prefixes.push(Buffer.from('{'));
  return { prefixes, writers: fields.map((f) => compileBytesWriter(f.type)) };
}

/** Starts a record where the last one ended (forgetting what a record that threw left). */
function beginRecord(): void {
  out.pos = out.start;
}

/** Takes the record written since `beginRecord` as a view of the slab. */
function finishRecord(): Buffer {
  const record = out.slab.subarray(out.start, out.pos);
  if (out.slab.length > SLAB_BYTES) {
    // A slab grown for a large record is that record's alone.
    out.slab = Buffer.allocUnsafe(SLAB_BYTES);
    out.pos = 0;
  }
  out.start = out.pos;
  return record;
}

/** The UTF-8 JSON of one value of `type` (null writes `null`), as `Buffer.from(compileJsonWriter(type)(value))`. */
export function compileJsonBytesWriter(type: SqlType): (value: unknown) => Buffer {
  const write = compileBytesWriter(type);
  return (value) => {
    beginRecord();
    write(value);
    return finishRecord();
  };
}

/** The UTF-8 JSON object of field values in declared order, as `Buffer.from(compileFieldsWriter(fields)(values))`. */
export function compileFieldsBytesWriter(fields: readonly StructField[]): (values: readonly unknown[]) => Buffer {
  const { prefixes, writers } = compileFields(fields);
  const n = writers.length;
  return (values) => {
    beginRecord();
    writeBytes(prefixes[0]!);
    for (let i = 0; i < n; i++) {
      if (i > 0) writeBytes(prefixes[i]!);
      writers[i]!(values[i]);
    }
    writeByte(0x7d);
    return finishRecord();
  };
}
