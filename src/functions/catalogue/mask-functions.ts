/** MASK and its variants: hide characters by class (upper, lower, digit, other), as ksqlDB does. */
import { defineScalar, type ScalarFunction } from '../function-definition.js';
import { strict, valueError } from './value-support.js';

interface MaskChars {
  readonly upper: string | null;
  readonly lower: string | null;
  readonly digit: string | null;
  readonly other: string | null;
}

const DEFAULT_MASK: MaskChars = { upper: 'X', lower: 'x', digit: 'n', other: '-' };

const UPPER = /^\p{Lu}$/u;
const LOWER = /^\p{Ll}$/u;
const DIGIT = /^\p{Nd}$/u;

/** Masks one character by its Unicode category, as Java's Character.getType does. */
function maskChar(c: string, m: MaskChars): string {
  const code = c.charCodeAt(0);
  if (code < 0x80) {
    if (code >= 65 && code <= 90) return m.upper ?? c;
    if (code >= 97 && code <= 122) return m.lower ?? c;
    if (code >= 48 && code <= 57) return m.digit ?? c;
    return m.other ?? c;
  }
  if (UPPER.test(c)) return m.upper ?? c;
  if (LOWER.test(c)) return m.lower ?? c;
  if (DIGIT.test(c)) return m.digit ?? c;
  return m.other ?? c;
}

function maskRange(s: string, from: number, to: number, m: MaskChars): string {
  const chars = Array.from(s);
  let out = '';
  chars.forEach((c, i) => {
    out += i >= from && i < to ? maskChar(c, m) : c;
  });
  return out;
}

function maskArgs(upper: string | null, lower: string | null, digit: string | null, other: string | null): MaskChars {
  const single = (c: string | null) => {
    if (c === null) return null;
    if (Array.from(c).length !== 1) throw valueError('MASK', `Invalid mask character. Must be only single character, but was '${c}'`);
    return c;
  };
  return { upper: single(upper), lower: single(lower), digit: single(digit), other: single(other) };
}

type MaskMode = 'all' | 'keepLeft' | 'keepRight' | 'left' | 'right';

function mask(mode: MaskMode, s: string, n: number, m: MaskChars): string {
  if (n < 0) throw valueError('MASK', 'requires a non-negative number of characters to mask or skip');
  const len = Array.from(s).length;
  const k = Math.max(0, Math.min(n, len));
  switch (mode) {
    case 'all':
      return maskRange(s, 0, len, m);
    case 'keepLeft':
      return maskRange(s, k, len, m);
    case 'keepRight':
      return maskRange(s, 0, len - k, m);
    case 'left':
      return maskRange(s, 0, k, m);
    case 'right':
      return maskRange(s, len - k, len, m);
  }
}

function defineMask(name: string, mode: Exclude<MaskMode, 'all'>, description: string): ScalarFunction {
  return defineScalar({
    name,
    category: 'STRING',
    description,
    variants: [
      {
        params: 'STRING input, INTEGER numChars',
        returns: 'STRING',
        impl: (s: string | null, n: number | null) => (s === null || n === null ? null : mask(mode, s, n, DEFAULT_MASK)),
      },
      {
        params: 'STRING input, INTEGER numChars, STRING upper, STRING lower, STRING digit, STRING other',
        returns: 'STRING',
        impl: (s: string | null, n: number | null, u: string | null, l: string | null, d: string | null, o: string | null) =>
          s === null || n === null ? null : mask(mode, s, n, maskArgs(u, l, d, o)),
      },
    ],
  });
}

export const MASK_FUNCTIONS: readonly ScalarFunction[] = [
  defineScalar({
    name: 'MASK',
    category: 'STRING',
    description: 'Masks upper-case, lower-case, digit and other characters (defaults X, x, n, -; NULL keeps a class).',
    variants: [
      { params: 'STRING input', returns: 'STRING', impl: strict((s: string) => mask('all', s, 0, DEFAULT_MASK)) },
      {
        params: 'STRING input, STRING upper, STRING lower, STRING digit, STRING other',
        returns: 'STRING',
        impl: (s: string | null, u: string | null, l: string | null, d: string | null, o: string | null) =>
          s === null ? null : mask('all', s, 0, maskArgs(u, l, d, o)),
      },
    ],
  }),
  defineMask('MASK_KEEP_LEFT', 'keepLeft', 'Masks all but the first numChars characters.'),
  defineMask('MASK_KEEP_RIGHT', 'keepRight', 'Masks all but the last numChars characters.'),
  defineMask('MASK_LEFT', 'left', 'Masks the first numChars characters.'),
  defineMask('MASK_RIGHT', 'right', 'Masks the last numChars characters.'),
];
