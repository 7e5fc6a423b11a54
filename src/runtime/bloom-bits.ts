/**
 * The bit array of a Bloom filter, probed by double hashing: a key's i-th
 * bit is h1 + i * h2 modulo the size, from two 32-bit hashes of the key
 * (`hashText` or `hashBytes`, then `secondHash` of that). The filters of
 * the runtime (new-key-filter.ts, window-key-filter.ts) keep their own
 * layering and lifetimes on top of it.
 */
export class BloomBits {
  private readonly words: Uint32Array;
  private readonly size: number;

  /** At least `bitCount` bits, `probes` of them set per key. */
  constructor(bitCount: number, private readonly probes: number) {
    this.words = new Uint32Array(Math.ceil(bitCount / 32));
    this.size = this.words.length * 32;
  }

  add(h1: number, h2: number): void {
    for (let i = 0; i < this.probes; i++) {
      const bit = ((h1 + Math.imul(i, h2)) >>> 0) % this.size;
      this.words[bit >>> 5]! |= 1 << (bit & 31);
    }
  }

  /** False when no key with these hashes was added. */
  has(h1: number, h2: number): boolean {
    for (let i = 0; i < this.probes; i++) {
      const bit = ((h1 + Math.imul(i, h2)) >>> 0) % this.size;
      if ((this.words[bit >>> 5]! & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }
}

/** FNV-1a over the UTF-16 code units of `s`. */
export function hashText(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** FNV-1a over bytes. */
export function hashBytes(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}

/** A second hash from the first (murmur3's finalizer), odd so that the probes step through every bit. */
export function secondHash(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) | 1) >>> 0;
}
