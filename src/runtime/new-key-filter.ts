/**
 * Which grouping keys an aggregate has ever written, as a Bloom filter, so
 * that the first record of a key skips the storage read that would find
 * nothing: over many keys with state larger than the cache, that read is a
 * SQLite point lookup per new key. "Absent" is certain, "maybe" costs only
 * the read it would have cost anyway.
 *
 * The filter grows as keys come (a scalable Bloom filter: layers of twice the
 * capacity each, each with a tighter error rate, so the false-positive rate
 * stays below 2.5% overall and nothing is ever rehashed) and gives up,
 * saying "maybe" for every key, beyond MAX_KEYS keys: under 2 bytes per key,
 * at most about 8 MiB however many keys the state holds.
 */
import { BloomBits, hashText, secondHash } from './bloom-bits.js';

/** Keys the first layer holds; each next layer holds twice as many. */
const FIRST_CAPACITY = 1 << 14;
/** The largest layer: once it is full (about 4 million keys in all) the filter is dropped. */
const LAST_CAPACITY = 1 << 21;
/** The first layer's false-positive rate; each next layer's is RATE_STEP times the one before. */
const FIRST_RATE = 0.005;
const RATE_STEP = 0.8;

/** One layer: a Bloom filter for up to `capacity` keys. */
interface Layer {
  readonly bits: BloomBits;
  readonly capacity: number;
  count: number;
}

/** A layer for `capacity` keys at false-positive rate `rate`: m = n ln(1/p) / ln(2)^2 bits, k = ln(1/p) / ln 2 hashes. */
function layer(capacity: number, rate: number): Layer {
  const bits = (capacity * Math.log(1 / rate)) / (Math.LN2 * Math.LN2);
  return { bits: new BloomBits(bits, Math.max(1, Math.round(Math.log(1 / rate) / Math.LN2))), capacity, count: 0 };
}

/** A string or number for each id kind, distinct between kinds (a key column has one kind anyway). */
function idText(id: string | number | bigint): string {
  return typeof id === 'string' ? id : typeof id === 'number' ? `n${id}` : `b${id}`;
}

export class NewKeyFilter {
  private layers: Layer[] = [layer(FIRST_CAPACITY, FIRST_RATE)];
  /** Past its last layer: every key may be stored. */
  private saturated = false;

  /** False when `id` was never added: the store cannot hold it. */
  mayHave(id: string | number | bigint): boolean {
    if (this.saturated) return true;
    const h1 = hashText(idText(id));
    const h2 = secondHash(h1);
    for (const l of this.layers) if (l.bits.has(h1, h2)) return true;
    return false;
  }

  add(id: string | number | bigint): void {
    if (this.saturated) return;
    let last = this.layers[this.layers.length - 1]!;
    if (last.count >= last.capacity) {
      if (last.capacity >= LAST_CAPACITY) {
        this.saturated = true;
        this.layers = [];
        return;
      }
      // The layers' rates sum to at most FIRST_RATE / (1 - RATE_STEP).
      last = layer(last.capacity * 2, FIRST_RATE * RATE_STEP ** this.layers.length);
      this.layers.push(last);
    }
    const h1 = hashText(idText(id));
    last.bits.add(h1, secondHash(h1));
    last.count++;
  }
}
