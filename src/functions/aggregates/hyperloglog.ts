/**
 * A HyperLogLog sketch for COUNT_DISTINCT, sized as ksqlDB's (2^14 registers
 * of 5 bits, six packed per 32-bit integer, so the accumulator is an
 * ARRAY<INTEGER> of 2731 entries). Values are hashed with MurmurHash3 (32
 * bits) of their value key. Small counts use linear counting, so they are
 * exact unless two values share a register.
 */
import { valueKey } from '../../schema/value-compare.js';

const LOG2M = 14;
const M = 1 << LOG2M;
const REGISTER_BITS = 5;
const PER_WORD = 6;
const MASK = (1 << REGISTER_BITS) - 1;
export const HLL_WORDS = Math.floor(M / PER_WORD) + 1;
const ALPHA_MM = (0.7213 / (1 + 1.079 / M)) * M * M;
const TWO_32 = 2 ** 32;

function murmur3(bytes: Buffer): number {
  let h = 0x9747b28c;
  const n = bytes.length;
  const blocks = n & ~3;
  for (let i = 0; i < blocks; i += 4) {
    let k = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const tail = n & 3;
  if (tail > 0) {
    let k = 0;
    if (tail === 3) k ^= bytes[blocks + 2]! << 16;
    if (tail >= 2) k ^= bytes[blocks + 1]! << 8;
    k ^= bytes[blocks]!;
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
  }
  h ^= n;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

function register(words: readonly number[], j: number): number {
  return (words[Math.floor(j / PER_WORD)]! >>> (REGISTER_BITS * (j % PER_WORD))) & MASK;
}

function setRegister(words: number[], j: number, value: number): void {
  const w = Math.floor(j / PER_WORD);
  const shift = REGISTER_BITS * (j % PER_WORD);
  words[w] = (words[w]! & ~(MASK << shift)) | (value << shift);
}

export function emptySketch(): number[] {
  return new Array<number>(HLL_WORDS).fill(0);
}

/** Adds a non-null value to the sketch (in place). */
export function offer(words: number[], value: unknown): number[] {
  const hash = murmur3(Buffer.from(valueKey(value), 'utf8'));
  const j = hash >>> (32 - LOG2M);
  const rank = Math.clz32((hash << LOG2M) | ((1 << (LOG2M - 1)) + 1)) + 1;
  if (register(words, j) < rank) setRegister(words, j, rank);
  return words;
}

/** Register-wise maximum of two sketches (into the first). */
export function mergeSketches(a: number[], b: readonly number[]): number[] {
  for (let j = 0; j < M; j++) {
    const r = register(b, j);
    if (r > register(a, j)) setRegister(a, j, r);
  }
  return a;
}

export function estimateCardinality(words: readonly number[]): bigint {
  let sum = 0;
  let zeros = 0;
  for (let j = 0; j < M; j++) {
    const r = register(words, j);
    sum += 1 / 2 ** r;
    if (r === 0) zeros++;
  }
  const estimate = ALPHA_MM / sum;
  if (estimate <= 2.5 * M) return BigInt(Math.round(zeros === 0 ? estimate : M * Math.log(M / zeros)));
  if (estimate <= TWO_32 / 30) return BigInt(Math.round(estimate));
  return BigInt(Math.round(-TWO_32 * Math.log(1 - estimate / TWO_32)));
}
