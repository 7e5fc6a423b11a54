/**
 * Which keys a stream-stream join's window store may hold at which times,
 * kept beside the store so that a record whose key the other side has not
 * seen lately costs no SQLite read. Bloom filters over the encoded keys
 * written, each with the range of record times it covers: a read of a key
 * over [from, to] that no filter covering the range admits cannot find
 * anything, so it is skipped. A filter never forgets a key it admitted, so
 * an answer of "absent" is exact; a false "may be present" (about 1 in 400)
 * only costs the read it would have made anyway.
 *
 * The filter knows only what was written through it. What the store held
 * before (rows of an earlier run, restored ones) has times up to the
 * `horizon` given when the filter starts; a read reaching back to the
 * horizon always goes to the store. Memory is bounded: past MAX_SEGMENTS the
 * oldest filter goes and the horizon moves up to its latest time, so reads
 * before then go to the store again. Filters whose every time is expired
 * go as the store expires them.
 */

import { BloomBits, hashBytes, secondHash } from './bloom-bits.js';

/** Keys per filter, and its bits (16 per key: with 4 probes about 0.25% false positives). */
const SEGMENT_KEYS = 1 << 16;
const SEGMENT_BITS = SEGMENT_KEYS * 16;
const PROBES = 4;
/** At most this many filters (128 KiB each) per store. */
const MAX_SEGMENTS = 32;

interface Segment {
  readonly bits: BloomBits;
  keys: number;
  minTime: number;
  maxTime: number;
}

export class WindowKeyFilter {
  private segments: Segment[] = [];
  /** Hashes of the key last hashed, reused by the read and write of one record. */
  private lastKey: Buffer | undefined;
  private h1 = 0;
  private h2 = 0;

  /** `horizon`: the latest record time the store may hold that was not written through this filter. */
  constructor(private horizon: number) {}

  /** Records that the store holds `key` at `time`. */
  add(key: Buffer, time: number): void {
    let segment = this.segments[this.segments.length - 1];
    if (segment === undefined || segment.keys >= SEGMENT_KEYS) {
      segment = { bits: new BloomBits(SEGMENT_BITS, PROBES), keys: 0, minTime: time, maxTime: time };
      this.segments.push(segment);
      if (this.segments.length > MAX_SEGMENTS) this.horizon = Math.max(this.horizon, this.segments.shift()!.maxTime);
    }
    this.hash(key);
    segment.bits.add(this.h1, this.h2);
    segment.keys++;
    if (time < segment.minTime) segment.minTime = time;
    if (time > segment.maxTime) segment.maxTime = time;
  }

  /** False when the store cannot hold `key` at any time in [from, to]. */
  mayContain(key: Buffer, from: number, to: number): boolean {
    if (from <= this.horizon) return true;
    let hashed = false;
    for (const segment of this.segments) {
      if (segment.maxTime < from || segment.minTime > to) continue;
      if (!hashed) {
        this.hash(key);
        hashed = true;
      }
      if (segment.bits.has(this.h1, this.h2)) return true;
    }
    return false;
  }

  /** The store expired every record before `bound`: filters holding only such records go. */
  expire(bound: number): void {
    while (this.segments.length > 1 && this.segments[0]!.maxTime < bound) this.segments.shift();
  }

  /** Hashes `key`, unless it is the key hashed last. */
  private hash(key: Buffer): void {
    if (key === this.lastKey) return;
    this.h1 = hashBytes(key);
    this.h2 = secondHash(this.h1);
    this.lastKey = key;
  }
}
