/**
 * String functions (and their BYTES twins where ksqlDB has them).
 * Positions are 1-based; lengths count UTF-16 code units, as Java does.
 */
import { createHash, randomUUID } from 'node:crypto';
import { defineScalar, type ScalarFunction } from '../function-definition.js';
import { decodeText, encodeText } from './text-encoding.js';
import { strict, valueError } from './value-support.js';

/** Java's String.trim: strips every char <= U+0020 at both ends. */
function isTrimmed(code: number): boolean {
  return code <= 0x20;
}

function trimStart(s: string): string {
  let i = 0;
  while (i < s.length && isTrimmed(s.charCodeAt(i))) i++;
  return s.slice(i);
}

function trimEnd(s: string): string {
  let i = s.length;
  while (i > 0 && isTrimmed(s.charCodeAt(i - 1))) i--;
  return s.slice(0, i);
}

/** ksqlDB's SUBSTRING bounds: 1-based start, negative counts from the end, clamped. */
function substringBounds(length: number, pos: number, len?: number): [number, number] {
  let start = pos < 0 ? Math.max(length + pos, 0) : Math.max(pos - 1, 0);
  if (start > length) start = length;
  if (len === undefined) return [start, length];
  const end = len < 0 ? start : Math.min(start + len, length);
  return [start, end];
}

export function splitString(s: string, delimiter: string): string[] {
  if (delimiter.length === 0) return s.length === 0 ? [''] : Array.from(s, (c) => c);
  return s.split(delimiter);
}

function splitBytes(b: Buffer, delimiter: Buffer): Buffer[] {
  if (delimiter.length === 0) {
    if (b.length === 0) return [Buffer.alloc(0)];
    const out: Buffer[] = [];
    for (let i = 0; i < b.length; i++) out.push(b.subarray(i, i + 1));
    return out;
  }
  const out: Buffer[] = [];
  let start = 0;
  for (;;) {
    const at = b.indexOf(delimiter, start);
    if (at < 0) break;
    out.push(b.subarray(start, at));
    start = at + delimiter.length;
  }
  out.push(b.subarray(start));
  return out;
}

/** commons-lang's ordinalIndexOf: the n-th (overlapping) occurrence, -1 when absent or n < 1. */
function ordinalIndexOf(s: string, sub: string, n: number): number {
  if (n <= 0) return -1;
  if (sub.length === 0) return 0;
  let at = -1;
  for (let found = 0; found < n; found++) {
    at = s.indexOf(sub, at + 1);
    if (at < 0) return -1;
  }
  return at;
}

/** commons-lang's substring(str, start): a negative start counts from the end. */
function substringFrom(s: string, start: number): string {
  const from = start < 0 ? Math.max(s.length + start, 0) : start;
  return from > s.length ? '' : s.slice(from);
}

/**
 * ksqlDB's INSTR: a position beyond either end gives 0; a negative position
 * searches the reversed text from that many characters from the end and
 * reports where the match starts in the original text.
 */
function instr(str: string | null, sub: string | null, position = 1, occurrence = 1): number {
  if (str === null || sub === null) return 0;
  if (Math.abs(position) > str.length) return 0;
  const reversed = position < 0;
  const text = reversed ? Array.from(str).reverse().join('') : str;
  const target = reversed ? Array.from(sub).reverse().join('') : sub;
  const from = reversed ? -position : position;
  const i = ordinalIndexOf(substringFrom(text, from - 1), target, occurrence);
  if (i === -1) return 0;
  return reversed ? str.length - from - i - sub.length + 2 : i + from;
}

/** A word and the whitespace after it, whitespace as Java regex's \\s: space, tab, newline, VT, form feed, CR. */
const WORD = /[^ \t\n\x0b\f\r]+[ \t\n\x0b\f\r]*/g;

/**
 * ksqlDB's INITCAP: the text lower-cased, then the first character of each
 * word upper-cased; whitespace before the first word is dropped.
 */
function initcap(s: string): string {
  let out = '';
  for (const [part] of s.toLowerCase().matchAll(WORD)) out += part[0]!.toUpperCase() + part.slice(1);
  return out;
}

function padString(input: string, length: number, padding: string | null, left: boolean): string | null {
  if (padding === null || padding.length === 0 || length < 0) return null;
  if (input.length >= length) return input.slice(0, length);
  const need = length - input.length;
  const fill = padding.repeat(Math.ceil(need / padding.length)).slice(0, need);
  return left ? fill + input : input + fill;
}

function padBytes(input: Buffer, length: number, padding: Buffer | null, left: boolean): Buffer | null {
  if (padding === null || padding.length === 0 || length < 0) return null;
  if (input.length >= length) return input.subarray(0, length);
  const fill = Buffer.alloc(length - input.length, padding);
  return left ? Buffer.concat([fill, input]) : Buffer.concat([input, fill]);
}

function chrFromCode(code: number): string | null {
  if (!Number.isInteger(code) || code < 0 || code > 0x10ffff) return null;
  return String.fromCodePoint(code);
}

function chrFromText(text: string): string | null {
  if (text.length < 6 || !text.startsWith('\\u')) return null;
  return text.replace(/\\u([0-9a-fA-F]{4})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function uuidFromBytes(b: Buffer): string | null {
  if (b.length !== 16) return null;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** CONCAT_WS needs something to join after the separator: ksqlDB fails the call otherwise. */
function requireInputs(count: number): void {
  if (count === 0) throw valueError('CONCAT_WS', 'Function Concat_WS expects at least two input arguments.');
}

export const STRING_FUNCTIONS: readonly ScalarFunction[] = [
  defineScalar({
    name: 'LCASE',
    category: 'STRING',
    description: 'Converts a string to lower case.',
    variants: [{ params: 'STRING input', returns: 'STRING', impl: strict((s: string) => s.toLowerCase()) }],
  }),
  defineScalar({
    name: 'UCASE',
    category: 'STRING',
    description: 'Converts a string to upper case.',
    variants: [{ params: 'STRING input', returns: 'STRING', impl: strict((s: string) => s.toUpperCase()) }],
  }),
  defineScalar({
    name: 'TRIM',
    category: 'STRING',
    description: 'Removes whitespace from both ends of a string.',
    variants: [{ params: 'STRING input', returns: 'STRING', impl: strict((s: string) => trimEnd(trimStart(s))) }],
  }),
  defineScalar({
    name: 'LTRIM',
    category: 'STRING',
    description: 'Removes whitespace from the start of a string.',
    variants: [{ params: 'STRING input', returns: 'STRING', impl: strict(trimStart) }],
  }),
  defineScalar({
    name: 'RTRIM',
    category: 'STRING',
    description: 'Removes whitespace from the end of a string.',
    variants: [{ params: 'STRING input', returns: 'STRING', impl: strict(trimEnd) }],
  }),
  defineScalar({
    name: 'LEN',
    category: 'STRING',
    description: 'The length of a string, or the number of bytes of a BYTES value.',
    variants: [
      { params: 'STRING input', returns: 'INTEGER', impl: strict((s: string) => s.length) },
      { params: 'BYTES input', returns: 'INTEGER', impl: strict((b: Buffer) => b.length) },
    ],
  }),
  defineScalar({
    name: 'SUBSTRING',
    category: 'STRING',
    description: 'The part of a string or BYTES value from a 1-based position, optionally of a given length.',
    variants: [
      {
        params: 'STRING str, INTEGER pos',
        returns: 'STRING',
        impl: strict((s: string, pos: number) => s.slice(...substringBounds(s.length, pos))),
      },
      {
        params: 'STRING str, INTEGER pos, INTEGER length',
        returns: 'STRING',
        impl: strict((s: string, pos: number, len: number) => s.slice(...substringBounds(s.length, pos, len))),
      },
      {
        params: 'BYTES bytes, INTEGER pos',
        returns: 'BYTES',
        impl: strict((b: Buffer, pos: number) => b.subarray(...substringBounds(b.length, pos))),
      },
      {
        params: 'BYTES bytes, INTEGER pos, INTEGER length',
        returns: 'BYTES',
        impl: strict((b: Buffer, pos: number, len: number) => b.subarray(...substringBounds(b.length, pos, len))),
      },
    ],
  }),
  defineScalar({
    name: 'CONCAT',
    category: 'STRING',
    description: 'Concatenates strings or BYTES values; NULL inputs count as empty.',
    variants: [
      {
        params: 'STRING... inputs',
        returns: 'STRING',
        impl: (...parts: (string | null)[]) => {
          let out = '';
          for (const p of parts) if (p !== null) out += p;
          return out;
        },
      },
      {
        params: 'BYTES... inputs',
        returns: 'BYTES',
        impl: (...parts: (Buffer | null)[]) => Buffer.concat(parts.filter((p): p is Buffer => p !== null)),
      },
    ],
  }),
  defineScalar({
    name: 'CONCAT_WS',
    category: 'STRING',
    description: 'Concatenates strings or BYTES values with a separator, skipping NULLs; NULL if the separator is NULL.',
    variants: [
      {
        params: 'STRING separator, STRING... inputs',
        returns: 'STRING',
        impl: (sep: string | null, ...parts: (string | null)[]) => {
          requireInputs(parts.length);
          return sep === null ? null : parts.filter((p): p is string => p !== null).join(sep);
        },
      },
      {
        params: 'BYTES separator, BYTES... inputs',
        returns: 'BYTES',
        impl: (sep: Buffer | null, ...parts: (Buffer | null)[]) => {
          requireInputs(parts.length);
          if (sep === null) return null;
          const kept = parts.filter((p): p is Buffer => p !== null);
          const out: Buffer[] = [];
          kept.forEach((p, i) => {
            if (i > 0) out.push(sep);
            out.push(p);
          });
          return Buffer.concat(out);
        },
      },
    ],
  }),
  defineScalar({
    name: 'REPLACE',
    category: 'STRING',
    description: 'Replaces every occurrence of a substring.',
    variants: [
      {
        params: 'STRING str, STRING target, STRING replacement',
        returns: 'STRING',
        impl: strict((s: string, target: string, replacement: string) => s.replaceAll(target, () => replacement)),
      },
    ],
  }),
  defineScalar({
    name: 'SPLIT',
    category: 'STRING',
    description: 'Splits a string or BYTES value on a delimiter; an empty delimiter splits every character or byte.',
    variants: [
      { params: 'STRING input, STRING delimiter', returns: 'ARRAY<STRING>', impl: strict(splitString) },
      { params: 'BYTES input, BYTES delimiter', returns: 'ARRAY<BYTES>', impl: strict(splitBytes) },
    ],
  }),
  defineScalar({
    name: 'SPLIT_TO_MAP',
    category: 'STRING',
    description: 'Splits a string into key-value entries and builds a map; later keys win.',
    variants: [
      {
        params: 'STRING input, STRING entryDelimiter, STRING kvDelimiter',
        returns: 'MAP<STRING, STRING>',
        impl: (input: string | null, entryDelim: string | null, kvDelim: string | null) => {
          if (input === null || !entryDelim || !kvDelim || entryDelim === kvDelim) return null;
          const out = new Map<string, string>();
          for (const entry of input.split(entryDelim)) {
            if (entry.length === 0 || !entry.includes(kvDelim)) continue;
            const pieces = entry.split(kvDelim);
            out.set(pieces[0]!, pieces[1]!);
          }
          return out;
        },
      },
    ],
  }),
  defineScalar({
    name: 'INSTR',
    category: 'STRING',
    description: 'The 1-based position of a substring (0 when absent); a negative position searches backwards.',
    variants: [
      { params: 'STRING str, STRING substring', returns: 'INTEGER', impl: (s: string | null, sub: string | null) => instr(s, sub) },
      {
        params: 'STRING str, STRING substring, INTEGER position',
        returns: 'INTEGER',
        impl: (s: string | null, sub: string | null, p: number | null) => (p === null ? null : instr(s, sub, p)),
      },
      {
        params: 'STRING str, STRING substring, INTEGER position, INTEGER occurrence',
        returns: 'INTEGER',
        impl: (s: string | null, sub: string | null, p: number | null, o: number | null) => (p === null || o === null ? null : instr(s, sub, p, o)),
      },
    ],
  }),
  defineScalar({
    name: 'INITCAP',
    category: 'STRING',
    description: 'Capitalizes the first letter of each whitespace-delimited word and lower-cases the rest; leading whitespace is dropped.',
    variants: [{ params: 'STRING input', returns: 'STRING', impl: strict(initcap) }],
  }),
  defineScalar({
    name: 'LPAD',
    category: 'STRING',
    description: 'Pads a string or BYTES value on the left to a length, truncating longer input.',
    variants: [
      {
        params: 'STRING input, INTEGER length, STRING padding',
        returns: 'STRING',
        impl: (s: string | null, n: number | null, p: string | null) => (s === null || n === null ? null : padString(s, n, p, true)),
      },
      {
        params: 'BYTES input, INTEGER length, BYTES padding',
        returns: 'BYTES',
        impl: (s: Buffer | null, n: number | null, p: Buffer | null) => (s === null || n === null ? null : padBytes(s, n, p, true)),
      },
    ],
  }),
  defineScalar({
    name: 'RPAD',
    category: 'STRING',
    description: 'Pads a string or BYTES value on the right to a length, truncating longer input.',
    variants: [
      {
        params: 'STRING input, INTEGER length, STRING padding',
        returns: 'STRING',
        impl: (s: string | null, n: number | null, p: string | null) => (s === null || n === null ? null : padString(s, n, p, false)),
      },
      {
        params: 'BYTES input, INTEGER length, BYTES padding',
        returns: 'BYTES',
        impl: (s: Buffer | null, n: number | null, p: Buffer | null) => (s === null || n === null ? null : padBytes(s, n, p, false)),
      },
    ],
  }),
  defineScalar({
    name: 'ENCODE',
    category: 'STRING',
    description: 'Re-encodes a string from one encoding (hex, utf8, ascii, base64) to another; NULL if it cannot.',
    variants: [
      {
        params: 'STRING input, STRING inputEncoding, STRING outputEncoding',
        returns: 'STRING',
        impl: strict((s: string, from: string, to: string) => {
          const bytes = decodeText(s, from);
          return bytes === null ? null : encodeText(bytes, to);
        }),
      },
    ],
  }),
  defineScalar({
    name: 'MD5',
    category: 'STRING',
    description: 'The hex-encoded MD5 hash of a string.',
    variants: [{ params: 'STRING input', returns: 'STRING', impl: strict((s: string) => createHash('md5').update(s, 'utf8').digest('hex')) }],
  }),
  defineScalar({
    name: 'UUID',
    deterministic: false,
    category: 'STRING',
    description: 'A random (version 4) UUID, or the UUID spelled by 16 bytes.',
    variants: [
      { params: '', returns: 'STRING', impl: () => randomUUID() },
      { params: 'BYTES bytes', returns: 'STRING', impl: strict(uuidFromBytes) },
    ],
  }),
  defineScalar({
    name: 'CHR',
    category: 'STRING',
    description: 'The character of a Unicode code point, given as a number or as text like \\u004b.',
    variants: [
      { params: 'INTEGER code', returns: 'STRING', impl: strict(chrFromCode) },
      { params: 'STRING code', returns: 'STRING', impl: strict(chrFromText) },
    ],
  }),
  defineScalar({
    name: 'ELT',
    category: 'STRING',
    description: 'The n-th (1-based) of the following strings, or NULL when out of range.',
    variants: [
      {
        params: 'INTEGER n, STRING... args',
        returns: 'STRING',
        impl: (n: number | null, ...args: (string | null)[]) => (n === null || n < 1 || n > args.length ? null : args[n - 1]!),
      },
    ],
  }),
  defineScalar({
    name: 'FIELD',
    category: 'STRING',
    description: 'The 1-based position of a string among the following ones, or 0.',
    variants: [
      {
        params: 'STRING str, STRING... args',
        returns: 'INTEGER',
        impl: (s: string | null, ...args: (string | null)[]) => (s === null ? 0 : args.indexOf(s) + 1),
      },
    ],
  }),
];
