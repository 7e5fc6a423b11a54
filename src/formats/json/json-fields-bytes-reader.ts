/**
 * Reads a wrapped JSON row straight from its UTF-8 bytes, without the text of
 * the whole record and JSON.parse's object: the deserializer's fast path for
 * the common record, a flat object of scalars whose keys are those of the last
 * record read (records of a topic mostly repeat them). Each value is scanned
 * into the node JSON.parse would have made for it (a string, a number, a
 * boolean or null) and read by the column type's own reader, so the row is the
 * one the parsed path gives. Anything else (other keys, nested values, a
 * number literal of 16 digits or more, which the lossless parser reads, bad
 * JSON, a value its reader refuses) answers undefined, and the caller takes
 * the parsed path, which reads it or says what is wrong as it always did.
 */
import type { HashMapSizing } from '../../schema/java-hash-map-order.js';
import type { StructField } from '../../schema/sql-type.js';
import { compileJsonReader, fieldSources, isJsonObject } from './json-reader.js';

/** Node's own slicing of a Buffer into a string, without toString's argument checks. */
interface SlicingBuffer extends Buffer {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}

export interface FieldsBytesReader {
  /** The row, or undefined when the record is not one this reader reads (take the parsed path). */
  read(bytes: Buffer): unknown[] | undefined;
  /** After the parsed path read `node`: remembers its keys, when they are ones this reader can match. */
  learn(node: unknown): void;
}

/** In a string's bytes read as Latin-1: an escape, a control character or a byte of a multi-byte character. */
const NOT_PLAIN = /[\x00-\x1f\\\x80-\xff]/;
const ESCAPE_OR_CONTROL = /[\x00-\x1f\\]/;
/** A key matched byte for byte: printable ASCII that JSON writes without escapes. */
const PLAIN_KEY = /^[\x20-\x21\x23-\x5b\x5d-\x7e]+$/;
/** Digits from which a literal goes through the lossless parser (lossless-json.ts) and so the parsed path. */
const LONG_DIGITS = 16;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function isSpace(c: number | undefined): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 0x30 && c <= 0x39;
}

/** The reader of rows of `fields` (scalar types only: a nested value is never read here). */
export function compileFieldsBytesReader(fields: readonly StructField[], maps: HashMapSizing): FieldsBytesReader {
  const names = fields.map((f) => f.name);
  const readers = fields.map((f) => compileJsonReader(f.type, maps));
  const n = fields.length;
  /** The remembered keys, their bytes, and for each field the position of the key feeding it (or -1). */
  let keys: string[] = [];
  let keyBytes: Buffer[] = [];
  let sources: number[] = [];
  /** The scanned nodes by key position (reused). */
  const nodes: unknown[] = [];
  /** The nodes of the record's values by key position, or false. One function with local positions: it runs per record. */
  function scan(b: SlicingBuffer): boolean {
    const length = b.length;
    let p = 0;
    let c = b[p];
    while (isSpace(c)) c = b[++p];
    if (c !== 0x7b) return false;
    const count = keyBytes.length;
    for (let j = 0; j < count; j++) {
      c = b[++p];
      while (isSpace(c)) c = b[++p];
      if (c !== QUOTE) return false;
      p++;
      const key = keyBytes[j]!;
      const keyLength = key.length;
      for (let i = 0; i < keyLength; i++) if (b[p + i] !== key[i]) return false;
      p += keyLength;
      if (b[p] !== QUOTE) return false;
      c = b[++p];
      while (isSpace(c)) c = b[++p];
      if (c !== 0x3a) return false;
      c = b[++p];
      while (isSpace(c)) c = b[++p];
      let node: unknown;
      if (c === QUOTE) {
        const start = p + 1;
        let end = b.indexOf(QUOTE, start);
        if (end < 0) return false;
        let text = b.latin1Slice(start, end);
        if (NOT_PLAIN.test(text)) {
          if (ESCAPE_OR_CONTROL.test(text)) {
            // Escapes: find the quote no backslash escapes, and let JSON.parse read the literal (it refuses what is bad).
            for (;;) {
              let backslashes = 0;
              while (b[end - 1 - backslashes] === BACKSLASH) backslashes++;
              if (backslashes % 2 === 0) break;
              end = b.indexOf(QUOTE, end + 1);
              if (end < 0) return false;
            }
            try {
              text = JSON.parse(b.utf8Slice(start - 1, end + 1)) as string;
            } catch {
              return false;
            }
          } else {
            text = b.utf8Slice(start, end);
          }
        }
        node = text;
        p = end + 1;
      } else if (c === 0x2d || isDigit(c)) {
        const start = p;
        const negative = c === 0x2d;
        if (negative) c = b[++p];
        const intStart = p;
        let value = 0;
        while (isDigit(c)) {
          value = value * 10 + (c! - 0x30);
          c = b[++p];
        }
        let digits = p - intStart;
        if (digits === 0 || (digits > 1 && b[intStart] === 0x30)) return false;
        let plain = true;
        if (c === 0x2e) {
          plain = false;
          const fractionStart = ++p;
          c = b[p];
          while (isDigit(c)) c = b[++p];
          if (p === fractionStart) return false;
          digits += p - fractionStart;
        }
        if (c === 0x65 || c === 0x45) {
          plain = false;
          c = b[++p];
          if (c === 0x2b || c === 0x2d) c = b[++p];
          const exponentStart = p;
          while (isDigit(c)) c = b[++p];
          if (p === exponentStart) return false;
        }
        if (digits >= LONG_DIGITS) return false;
        // Fewer than 16 digits of an integer add up exactly; anything else is the double JSON.parse's conversion gives.
        node = plain ? (negative ? -value : value) : Number(b.latin1Slice(start, p));
      } else if (c === 0x74 && b[p + 1] === 0x72 && b[p + 2] === 0x75 && b[p + 3] === 0x65) {
        node = true;
        p += 4;
      } else if (c === 0x66 && b[p + 1] === 0x61 && b[p + 2] === 0x6c && b[p + 3] === 0x73 && b[p + 4] === 0x65) {
        node = false;
        p += 5;
      } else if (c === 0x6e && b[p + 1] === 0x75 && b[p + 2] === 0x6c && b[p + 3] === 0x6c) {
        node = null;
        p += 4;
      } else {
        return false;
      }
      nodes[j] = node;
      c = b[p];
      while (isSpace(c)) c = b[++p];
      if (c !== (j === count - 1 ? 0x7d : 0x2c)) return false;
    }
    c = b[++p];
    while (isSpace(c)) c = b[++p];
    return p === length;
  }

  return {
    read(bytes) {
      if (keyBytes.length === 0 || !scan(bytes as SlicingBuffer)) return undefined;
      const out = new Array<unknown>(n);
      try {
        for (let i = 0; i < n; i++) {
          const source = sources[i]!;
          out[i] = readers[i]!(source >= 0 ? nodes[source] : undefined);
        }
      } catch {
        // The parsed path refuses it too, and says where.
        return undefined;
      }
      return out;
    },
    learn(node) {
      if (!isJsonObject(node)) return;
      let i = 0;
      let same = true;
      for (const k in node) {
        if (keys[i++] !== k) {
          same = false;
          break;
        }
      }
      if (same && i === keys.length) return;
      const seen: string[] = [];
      for (const k in node) seen.push(k);
      const plain = seen.length > 0 && seen.every((k) => PLAIN_KEY.test(k));
      keys = seen;
      keyBytes = plain ? seen.map((k) => Buffer.from(k, 'latin1')) : [];
      sources = fieldSources(names, seen);
    },
  };
}
