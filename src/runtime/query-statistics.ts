/**
 * What a persistent query's tasks have done, per topic: records consumed,
 * records produced and records that went to the processing log, each with a
 * total, the time of the last one and a rate. ksqlDB keeps the same per topic
 * in its metric collectors (DESCRIBE EXTENDED's statistics); /metrics reads
 * it too. Tasks add to it once per commit with counts they keep anyway, never
 * per record, so the records of a batch that is discarded are never counted.
 * Beside them: the store restores of tasks starting here and what they read.
 */

/** Kafka's `Rate` as ksqlDB configures it: 100 one-second samples. */
const SAMPLES = 100;
const SAMPLE_MS = 1000;

/** A running total with the time of its last change and its recent rate. */
export class ActivityCounter {
  total = 0;
  /** When the counter last moved (epoch ms), 0 before. */
  lastMs = 0;
  /** Per sample slot: the number of the second it counts, and its count. */
  private readonly seconds = new Float64Array(SAMPLES).fill(-1);
  private readonly counts = new Float64Array(SAMPLES);

  add(count: number, now: number): void {
    this.total += count;
    this.lastMs = now;
    const second = Math.floor(now / SAMPLE_MS);
    const slot = second % SAMPLES;
    if (this.seconds[slot] !== second) {
      this.seconds[slot] = second;
      this.counts[slot] = 0;
    }
    this.counts[slot]! += count;
  }

  /**
   * Events per second over the samples of the last 100 seconds. As Kafka's
   * `Rate` does, the window counts at least 99 whole samples, so a young
   * counter's rate does not jump at its first events.
   */
  ratePerSecond(now: number): number {
    const second = Math.floor(now / SAMPLE_MS);
    let sum = 0;
    let oldest = second;
    for (let slot = 0; slot < SAMPLES; slot++) {
      const s = this.seconds[slot]!;
      if (s <= second - SAMPLES || s > second) continue;
      sum += this.counts[slot]!;
      if (s < oldest) oldest = s;
    }
    if (sum === 0) return 0;
    let elapsedMs = now - oldest * SAMPLE_MS;
    const whole = Math.floor(elapsedMs / SAMPLE_MS);
    if (whole < SAMPLES - 1) elapsedMs += (SAMPLES - 1 - whole) * SAMPLE_MS;
    return sum / (elapsedMs / 1000);
  }
}

export type ActivityKind = 'consumed' | 'produced' | 'failed';

export class QueryStatistics {
  private readonly counters: { readonly [K in ActivityKind]: Map<string, ActivityCounter> } = {
    consumed: new Map(),
    produced: new Map(),
    failed: new Map(),
  };
  /** Called with each commit's duration in seconds (the server's latency histogram). */
  private readonly onCommit: ((seconds: number) => void) | undefined;

  constructor(onCommit?: (seconds: number) => void) {
    this.onCommit = onCommit;
  }

  /** Adds `count` records of one kind on `topic`. */
  add(kind: ActivityKind, topic: string, count: number, now: number): void {
    const map = this.counters[kind];
    let counter = map.get(topic);
    if (counter === undefined) {
      counter = new ActivityCounter();
      map.set(topic, counter);
    }
    counter.add(count, now);
  }

  committed(seconds: number): void {
    this.onCommit?.(seconds);
  }

  /** Store restores of the query's tasks starting here (on a log that restores state), and the changelog records they read. */
  readonly restores = { stores: 0, records: 0 };

  /** A store of a starting task was restored, reading `records` changelog records. */
  restored(records: number): void {
    this.restores.stores++;
    this.restores.records += records;
  }

  /** The counter of one kind on `topic`, if anything was counted there. */
  counter(kind: ActivityKind, topic: string): ActivityCounter | undefined {
    return this.counters[kind].get(topic);
  }

  /** Every counter of one kind, by topic. */
  countersOf(kind: ActivityKind): ReadonlyMap<string, ActivityCounter> {
    return this.counters[kind];
  }

  /** The total of one kind over every topic. */
  total(kind: ActivityKind): number {
    let sum = 0;
    for (const counter of this.counters[kind].values()) sum += counter.total;
    return sum;
  }
}
