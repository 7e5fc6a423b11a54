/**
 * Aggregation per key (StreamAggregate, TableAggregate) and per key and time
 * window (StreamWindowedAggregate: TUMBLING, HOPPING, SESSION), over state
 * stores, with Kafka Streams' semantics as ksqlDB relies on them:
 *
 * - input rows are grouped rows (key columns, then internal columns); a table
 *   change arrives as an undo (a NULL-valued row with the old row beside it)
 *   or an add, and every change emits the key's new results;
 * - a result's timestamp is the latest of its inputs' timestamps;
 * - time windows: a record joins every window that contains it
 *   (`firstWindowStart` on); a window closes when stream time (the largest timestamp
 *   seen by the task) passes its end plus the grace period, and records for
 *   closed windows are dropped; windows older than the retention are purged;
 * - session windows: a record opens a session or merges every session within
 *   the gap of it into one; merged-away sessions are deleted with tombstones.
 *
 * Accumulators live decoded in a write-behind cache in front of the store and
 * are encoded once per key per commit (TaskState flushes them first); the
 * cache holds at most the task's cache budget after a commit.
 *
 * Results leave as from Kafka Streams' caching stores, which ksqlDB
 * aggregates over: with a cache budget (`cache.max.bytes.buffering` above 0)
 * the updates of one key (and window) between two commits collapse into one,
 * emitted when the cache flushes at the commit (or drops the window) with the
 * latest input's record context, the result the previous flush emitted as
 * its old value, in the order of the keys' last updates. With a budget of 0
 * every update is emitted as it happens.
 */
import type { Row, WindowBounds } from '../expr/row.js';
import type { WindowSpec } from '../analyzer/aggregate-analyzer.js';
import type { AggregateCalls } from './aggregate-calls.js';
import { zonedWindowsFor } from '../schema/zoned-windows.js';
import type { KeyValueStore } from '../state/index.js';
import { NewKeyFilter } from './new-key-filter.js';
import type { StreamTime } from './stream-time.js';
import type { StateParticipant } from './state-participant.js';
import type { TaskState } from './task-state.js';
import { ignoresOld, type RowSink } from './row-sink.js';
import { ARRAY_TAG, decodeValue, encodeArray, encodeValue } from './value-codec.js';


/** The name of an aggregate's store within its query; a table served from it (build-topology.ts) has no other. */
export const AGGREGATE_STORE_NAME = 'Aggregate-Materialize';

/** Bytes an entry costs beside its encoded key and accumulators (its objects, map slot and id), an estimate. */
const ENTRY_OVERHEAD_BYTES = 160;

/** A grouping key's cache id (keyIdOf). */
type KeyId = string | number | bigint;

interface Entry {
  /** The key's cache id (keyIdOf), from which its encoded key follows (keyOfId). */
  readonly id: KeyId;
  readonly window: Bucket;
  timestamp: number;
  accs: unknown[];
  dirty: boolean;
  /** Its index in the cache's list of changes at its latest change: a flush visits it there, in the order of last updates. */
  dirtyAt: number;
  /** Estimated bytes held, from the encoded size at the last read or write. */
  bytes: number;
  /** Emitting at flushes: changed since the last flush, when the partition, offset and headers of its latest input go with its result. */
  pending: boolean;
  partition: number;
  offset: number;
  headers: Row['headers'];
  /** Emitting at flushes, when the sink reads old values: the result the last flush emitted (null: none). */
  before: Row | null;
}

/** Emits a changed entry's result at a flush. */
type EntryEmitter = (e: Entry) => void;

/** The cached entries of one time window (or, start NO_WINDOW, of every key), by key id. */
interface Bucket {
  readonly start: number;
  readonly end: number;
  /** The window of the results of its entries: one object per window, not per result. */
  readonly bounds: WindowBounds;
  readonly entries: Map<KeyId, Entry>;
  /** The estimated bytes of its entries. */
  bytes: number;
  /** Every entry the window has is cached: it was first seen before storage could hold it, and none was evicted since. */
  complete: boolean;
}

const NO_HEADERS: Row['headers'] = Object.freeze([]);

/** The start of a key-only cache's one bucket. */
const NO_WINDOW = -1;

const ARRAY_TAG_CHAR = String.fromCharCode(ARRAY_TAG);

/**
 * The cache id of a grouping key: a single string, BIGINT or number is its
 * own id (a Map tells 1, 1n and '1' apart), so a cached key costs no
 * encoding; any other key is the latin1 text of its encoding, which starts
 * with the Array tag, as no string id does. -0 and NaN are encoded: a Map
 * takes -0 for 0 and every NaN for one, their encodings do not.
 */
function keyIdOf(values: readonly unknown[], keyCount: number): KeyId {
  if (keyCount === 1) {
    const only = values[0];
    switch (typeof only) {
      case 'string':
        if (only[0] !== ARRAY_TAG_CHAR) return only;
        break;
      case 'bigint':
        return only;
      case 'number':
        if (only === only && !Object.is(only, -0)) return only;
        break;
    }
  }
  return encodeKey(values, keyCount).toString('latin1');
}

const NO_MORE: readonly unknown[] = [];

/** The encoded key of a cache id: entries keep only their id, and their key is made when it is read or written. */
function keyOfId(id: KeyId): Buffer {
  return typeof id === 'string' && id[0] === ARRAY_TAG_CHAR ? Buffer.from(id, 'latin1') : encodeArray(id, NO_MORE);
}

/** The values of a cache id: the key columns (then, for a windowed key, its window's start and end). */
function valuesOfId(id: KeyId): readonly unknown[] {
  return typeof id === 'string' && id[0] === ARRAY_TAG_CHAR ? decodeValue(Buffer.from(id, 'latin1')) as unknown[] : [id];
}

/** Bytes an id holds, for the cache's estimate. */
function idBytes(id: KeyId): number {
  return typeof id === 'string' ? id.length : 16;
}

/** The encoding of the first `keyCount` of `values` (the key columns of a row, or a whole key). */
function encodeKey(values: readonly unknown[], keyCount: number): Buffer {
  return encodeValue(values.length === keyCount ? values : values.slice(0, keyCount));
}

/**
 * Decoded accumulators in front of a key-value or window store, bounded by
 * the task's cache budget (TaskState.cacheMaxBytes): after a flush the
 * oldest windows' entries go, oldest first, until the rest fit. Entries are
 * kept per window, so an expiry drops whole windows. A time window first seen
 * when storage could not hold it yet is complete in the cache until one of
 * its entries is evicted: a miss in it is a new entry, without a storage
 * read. A flush visits only the entries changed since the last one.
 */
class AccumulatorCache implements StateParticipant {
  /** By window start, in the order windows were first cached. */
  private buckets = new Map<number, Bucket>();
  private dirty: Entry[] = [];
  private bytes = 0;
  /** Emitting at flushes: the estimated bytes of the entries changed since the last flush. */
  private dirtyBytes = 0;

  constructor(
    private readonly read: (key: Buffer, start: number, end: number) => Buffer | null,
    /** Stages an entry's accumulators under its key and window; returns their encoded size. */
    private readonly writeEntry: (key: Buffer, start: number, end: number, e: Entry) => number,
    private readonly maxBytes: number,
    /** Given when results leave at flushes rather than per update. */
    private readonly emit?: EntryEmitter,
  ) {}

  /**
   * The cached or stored entry of the key `id` in the window at `start`;
   * `stored` false says storage cannot hold it (a window never written before).
   */
  get(id: KeyId, start: number, end: number, stored = true): Entry | undefined {
    const bucket = this.buckets.get(start);
    if (bucket !== undefined) {
      const e = bucket.entries.get(id);
      if (e !== undefined || bucket.complete) return e;
    }
    if (!stored) {
      (bucket ?? this.bucket(start, end)).complete = true;
      return undefined;
    }
    const bytes = this.read(keyOfId(id), start, end);
    if (bytes === null) return undefined;
    const [timestamp, ...accs] = decodeValue(bytes) as [number, ...unknown[]];
    const window = bucket ?? this.bucket(start, end);
    const e: Entry = { id, window, timestamp, accs, dirty: false, dirtyAt: -1, bytes: ENTRY_OVERHEAD_BYTES + idBytes(id) + bytes.length, pending: false, partition: -1, offset: -1, headers: NO_HEADERS, before: null };
    this.add(window, e);
    return e;
  }

  /** The cached entry of the key `id` in the window at `start`, without reading storage (a key storage cannot hold). */
  cached(id: KeyId, start: number): Entry | undefined {
    return this.buckets.get(start)?.entries.get(id);
  }

  /** A new entry for the key `id`, which `get` just missed; `changed` marks it to be written. */
  create(id: KeyId, start: number, end: number, timestamp: number, accs: unknown[]): Entry {
    const window = this.buckets.get(start) ?? this.bucket(start, end);
    const e: Entry = { id, window, timestamp, accs, dirty: false, dirtyAt: -1, bytes: ENTRY_OVERHEAD_BYTES + idBytes(id), pending: false, partition: -1, offset: -1, headers: NO_HEADERS, before: null };
    this.add(window, e);
    return e;
  }

  /** Marks an entry changed by `row`, to be written (and, emitting at flushes, emitted) at the next flush. */
  changed(e: Entry, row: Row): void {
    if (this.emit === undefined) {
      if (e.dirty) return;
      e.dirty = true;
      this.dirty.push(e);
      return;
    }
    if (!e.dirty) {
      e.dirty = true;
      this.dirtyBytes += e.bytes;
    }
    // Not the row itself: an entry outlives many young-generation collections, its input rows need not.
    e.pending = true;
    e.partition = row.partition;
    e.offset = row.offset;
    e.headers = row.headers.length === 0 ? NO_HEADERS : row.headers;
    e.dirtyAt = this.dirty.length;
    this.dirty.push(e);
    // As a caching store that evicts a changed entry once newer ones fill its budget, which flushes every changed one.
    if (this.dirtyBytes > this.maxBytes) this.writeChanged();
  }

  /** Forgets a key-only entry (its key was deleted from the store). */
  drop(id: KeyId): void {
    const entries = this.buckets.get(NO_WINDOW)?.entries;
    const e = entries?.get(id);
    if (e === undefined) return;
    this.bytes -= e.bytes;
    e.window.bytes -= e.bytes;
    entries!.delete(id);
    e.dirty = false;
  }

  /** Drops cached windows that ended before `bound`; their changed entries are emitted first, as a cache that evicts them. */
  expire(bound: number): void {
    for (const [start, bucket] of this.buckets) {
      if (bucket.end >= bound || start === NO_WINDOW) continue;
      for (const e of bucket.entries.values()) {
        if (e.dirty && this.emit !== undefined) this.emitEntry(e);
        e.dirty = false;
      }
      this.bytes -= bucket.bytes;
      this.buckets.delete(start);
    }
  }

  /** Writes the changed entries, then evicts the oldest until the rest fit the budget (at a commit). */
  flush(): void {
    this.writeChanged();
    if (this.bytes > this.maxBytes) this.evict();
  }

  /**
   * Writes the changed entries to the store (and emits their results when
   * emitting at flushes), keeping every entry: the store leaves the reads of
   * what it has staged to this cache (ownerCaches).
   */
  writeChanged(): void {
    const dirty = this.dirty;
    this.dirty = [];
    this.dirtyBytes = 0;
    const emitting = this.emit !== undefined;
    for (let i = 0; i < dirty.length; i++) {
      const e = dirty[i]!;
      // Dropped or expired since it changed, or changed again later in the list: nothing to write here.
      if (!e.dirty || (emitting && e.dirtyAt !== i)) continue;
      const bytes = ENTRY_OVERHEAD_BYTES + idBytes(e.id) + this.writeEntry(keyOfId(e.id), e.window.start, e.window.end, e);
      this.bytes += bytes - e.bytes;
      e.window.bytes += bytes - e.bytes;
      e.bytes = bytes;
      e.dirty = false;
      if (emitting) this.emitEntry(e);
    }
  }

  private emitEntry(e: Entry): void {
    this.emit!(e);
    e.pending = false;
    e.headers = NO_HEADERS;
    e.before = null;
  }

  /** Evicts the oldest entries until the rest fit the budget: whole windows at once while the rest still does not fit. */
  private evict(): void {
    // Oldest first: Maps iterate in insertion order.
    for (const [start, bucket] of this.buckets) {
      bucket.complete = false;
      if (this.bytes - bucket.bytes >= this.maxBytes) {
        this.bytes -= bucket.bytes;
        bucket.bytes = 0;
        bucket.entries.clear();
      }
      for (const e of bucket.entries.values()) {
        this.bytes -= e.bytes;
        bucket.bytes -= e.bytes;
        bucket.entries.delete(e.id);
        if (this.bytes <= this.maxBytes) break;
      }
      if (bucket.entries.size === 0 && start !== NO_WINDOW) this.buckets.delete(start);
      if (this.bytes <= this.maxBytes) return;
    }
  }

  abort(): void {
    this.buckets = new Map();
    this.dirty = [];
    this.bytes = 0;
    this.dirtyBytes = 0;
  }

  private bucket(start: number, end: number): Bucket {
    const bucket: Bucket = { start, end, bounds: { start, end }, entries: new Map(), bytes: 0, complete: false };
    this.buckets.set(start, bucket);
    return bucket;
  }

  private add(bucket: Bucket, e: Entry): void {
    bucket.entries.set(e.id, e);
    bucket.bytes += e.bytes;
    this.bytes += e.bytes;
  }
}

/** The result row of `accs` for the key in the first `keyCount` of `key`. */
function resultRow(
  row: Row, key: readonly unknown[], keyCount: number, calls: AggregateCalls, accs: readonly unknown[], timestamp: number, window: WindowBounds | null,
): Row {
  const values = new Array<unknown>(keyCount + calls.count);
  for (let i = 0; i < keyCount; i++) values[i] = key[i];
  calls.resultsInto(accs, values, keyCount);
  return { values, timestamp, partition: row.partition, offset: row.offset, headers: row.headers, window, nullValue: false };
}

/** The result row of a changed entry at a flush, for the key in the first `keyCount` of `key`. */
function flushedRow(e: Entry, key: readonly unknown[], keyCount: number, calls: AggregateCalls, window: WindowBounds | null): Row {
  const values = new Array<unknown>(keyCount + calls.count);
  for (let i = 0; i < keyCount; i++) values[i] = key[i];
  calls.resultsInto(e.accs, values, keyCount);
  return { values, timestamp: e.timestamp, partition: e.partition, offset: e.offset, headers: e.headers, window, nullValue: false };
}

/**
 * StreamAggregate and TableAggregate: one accumulator set per key. Over a
 * windowed source grouped by its own key, the key is the windowed key: one
 * accumulator set per key and window, and the results keep the window.
 * With `retentionMs` (beyond ksqlDB: a CTAS's RETENTION), a key whose latest
 * input is older than stream time minus the retention is dropped, and a
 * tombstone for it goes downstream.
 */
export function buildKeyAggregate(
  calls: AggregateCalls, keyCount: number, state: TaskState, next: RowSink, retentionMs?: number,
): RowSink {
  const store = state.keyValueStoreBehindCache(AGGREGATE_STORE_NAME);
  const wantsOld = !ignoresOld(next);
  const atFlush = state.cacheMaxBytes > 0;
  const cache = new AccumulatorCache((key) => store.get(key), (key, _start, _end, e) => {
    const bytes = encodeArray(e.timestamp, e.accs);
    store.put(key, bytes);
    return bytes.length;
  }, state.cacheMaxBytes, atFlush ? (e) => {
    // Over a windowed source, the id holds the window after the key.
    const key = valuesOfId(e.id);
    const window = key.length > keyCount ? { start: key[keyCount] as number, end: key[keyCount + 1] as number } : null;
    next(flushedRow(e, key, keyCount, calls, window), e.before);
  } : undefined);
  state.register(cache);
  // While every key the store holds was written here, a key never written skips the storage read. A restore
  // or a failed commit (abort) may leave the store with keys the filter has not seen: it is kept only if the
  // store is empty.
  const startFilter = (): NewKeyFilter | undefined => (store.all().next().done === true ? new NewKeyFilter() : undefined);
  let newKeys = startFilter();
  state.register({ flush() {}, abort() { newKeys = startFilter(); } });
  const expire = retentionMs === undefined ? undefined : idleKeyExpiry(retentionMs, store, cache, state, calls, next);
  // A change takes the old row out and adds the new one, then emits the key's results once (or leaves them to the flush).
  return (row, old) => {
    const window = row.window;
    const storeKey = window === null ? row.values : [...row.values.slice(0, keyCount), window.start, window.end];
    const storeKeyCount = window === null ? keyCount : keyCount + 2;
    const id = keyIdOf(storeKey, storeKeyCount);
    let e = newKeys === undefined || newKeys.mayHave(id) ? cache.get(id, NO_WINDOW, NO_WINDOW) : cache.cached(id, NO_WINDOW);
    let before: Row | null = null;
    if (e === undefined) {
      e = cache.create(id, NO_WINDOW, NO_WINDOW, row.timestamp, calls.initialize());
      newKeys?.add(id);
    } else {
      // At flushes, the old value is the result the last flush emitted: the one before the first change since.
      if (wantsOld && (!atFlush || !e.pending)) before = resultRow(row, row.values, keyCount, calls, e.accs, e.timestamp, window);
      e.timestamp = Math.max(e.timestamp, row.timestamp);
    }
    if (atFlush && !e.pending) e.before = before;
    if (old !== null) calls.undo(e.accs, old);
    if (!row.nullValue) calls.add(e.accs, row);
    cache.changed(e, row);
    if (!atFlush) next(resultRow(row, row.values, keyCount, calls, e.accs, e.timestamp, window), before);
    expire?.(e.timestamp);
  };
}

/**
 * Drops the keys idle longer than `retentionMs` by stream time. The store is
 * scanned only when the expiry bound passes `earliest`, a lower bound of the
 * keys' latest timestamps (unknown after a start or a failed commit, so the
 * first record scans), which keeps the scans rare.
 */
function idleKeyExpiry(
  retentionMs: number, store: KeyValueStore, cache: AccumulatorCache, state: TaskState, calls: AggregateCalls, next: RowSink,
): (updated: number) => void {
  const clock = state.streamTime('Aggregate-Retention');
  let earliest = -Infinity;
  state.register({ flush() {}, abort() { earliest = -Infinity; } });
  return (updated) => {
    earliest = Math.min(earliest, updated);
    const bound = clock.observe(updated) - retentionMs;
    if (bound <= earliest) return;
    cache.flush();
    const expired: { key: Buffer; timestamp: number; accs: unknown[] }[] = [];
    earliest = Infinity;
    for (const { key, value } of store.all()) {
      const [timestamp, ...accs] = decodeValue(value) as [number, ...unknown[]];
      if (timestamp < bound) expired.push({ key, timestamp, accs });
      else earliest = Math.min(earliest, timestamp);
    }
    for (const { key, timestamp, accs } of expired) {
      const keyValues = decodeValue(key) as unknown[];
      cache.drop(keyIdOf(keyValues, keyValues.length));
      store.delete(key);
      const results = calls.results(accs);
      const before: Row = { values: [...keyValues, ...results], timestamp, partition: -1, offset: -1, headers: [], window: null, nullValue: false };
      next({ ...before, values: [...keyValues, ...results.map(() => null)], timestamp: clock.now, nullValue: true }, before);
    }
  };
}

/** The start of the earliest window (without a time zone) that contains `t`, as Kafka Streams' TimeWindows.windowsFor. */
function firstWindowStart(t: number, spec: WindowSpec): number {
  return Math.floor(Math.max(0, t - spec.sizeMs + spec.advanceMs) / spec.advanceMs) * spec.advanceMs;
}

/**
 * EMIT FINAL: results leave when their window closes (stream time reaches
 * end + grace), once. As in ksqlDB, a time window is emitted by the record
 * that moves the close time past its end within one advance; a jump in
 * stream time over several window ends releases only the latest of them.
 * Sessions close at end + gap + grace and are all released.
 */
interface FinalEmitter {
  /** Called after each record with the current stream time. */
  (now: number): void;
}

/** StreamWindowedAggregate over TUMBLING and HOPPING windows. */
export function buildTimeWindowAggregate(
  calls: AggregateCalls, keyCount: number, spec: WindowSpec, emitFinal: boolean, state: TaskState, next: RowSink,
): RowSink {
  const store = state.timeWindowStoreBehindCache(AGGREGATE_STORE_NAME);
  const clock = state.streamTime('Aggregate');
  // The latest window start ever written to storage: a later window can only be in the cache, so its lookup
  // skips storage.
  let frontier: StreamTime | undefined;
  const wantsOld = !emitFinal && !ignoresOld(next);
  const atFlush = !emitFinal && state.cacheMaxBytes > 0;
  const cache = new AccumulatorCache((key, start, end) => store.get(key, start, end), (key, start, end, e) => {
    const bytes = encodeArray(e.timestamp, e.accs);
    store.put(key, start, end, bytes);
    frontier!.observe(start);
    return bytes.length;
  }, state.cacheMaxBytes, atFlush ? (e) => next(flushedRow(e, valuesOfId(e.id), keyCount, calls, e.window.bounds), e.before) : undefined);
  state.register({
    flush() {
      const bound = clock.now - spec.retentionMs;
      cache.expire(bound);
      store.purgeExpired(bound);
    },
    abort() {},
  });
  state.register(cache);
  // Registered after the cache, so it is saved in the same commit as the windows it covers.
  frontier = state.streamTime('Aggregate-WindowFrontier');
  let emitFinalResults: FinalEmitter | undefined;
  if (emitFinal) {
    const emitted = state.streamTime('Aggregate-EmitFinal');
    emitFinalResults = (now) => {
      const close = now - spec.graceMs;
      if (close <= emitted.now) return;
      emitted.observe(close);
      const to = close - spec.sizeMs;
      if (to < 0) return;
      cache.writeChanged();
      for (const w of store.fetchAll(Math.max(0, to - spec.advanceMs + 1), to)) {
        const [timestamp, ...accs] = decodeValue(w.value) as [number, ...unknown[]];
        const keyValues = decodeValue(w.key) as unknown[];
        next({ values: [...keyValues, ...calls.results(accs)], timestamp, partition: -1, offset: -1, headers: [], window: { start: w.start, end: w.end }, nullValue: false }, null);
      }
    };
  }
  return (row) => {
    if (row.nullValue) return;
    const now = clock.observe(row.timestamp);
    const closeTime = now - spec.graceMs;
    const values = row.values;
    const id = keyIdOf(values, keyCount);
    const t = row.timestamp;
    // The windows that contain t, by start: every advance from the first up to t (no array per record unless zoned).
    const zoned = spec.timeZone === undefined ? undefined : zonedWindowsFor(t, spec.sizeMs, spec.advanceMs, spec.timeZone);
    const firstStart = zoned === undefined ? firstWindowStart(t, spec) : 0;
    const count = zoned === undefined ? Math.floor((t - firstStart) / spec.advanceMs) + 1 : zoned.length;
    for (let i = 0; i < count; i++) {
      const start = zoned === undefined ? firstStart + i * spec.advanceMs : zoned[i]!.start;
      const end = zoned === undefined ? start + spec.sizeMs : zoned[i]!.end;
      if (end <= closeTime) continue; // the window has closed: a late record
      let e = cache.get(id, start, end, start <= frontier.now);
      let old: Row | null = null;
      if (e === undefined) {
        e = cache.create(id, start, end, t, calls.initialize());
      } else {
        if (wantsOld && (!atFlush || !e.pending)) old = resultRow(row, values, keyCount, calls, e.accs, e.timestamp, e.window.bounds);
        e.timestamp = Math.max(e.timestamp, t);
      }
      if (atFlush && !e.pending) e.before = old;
      calls.add(e.accs, row);
      cache.changed(e, row);
      if (emitFinalResults === undefined && !atFlush) next(resultRow(row, values, keyCount, calls, e.accs, e.timestamp, e.window.bounds), old);
    }
    emitFinalResults?.(now);
  };
}

/** StreamWindowedAggregate over SESSION windows (`spec.sizeMs` is the gap). */
export function buildSessionAggregate(
  calls: AggregateCalls, keyCount: number, spec: WindowSpec, emitFinal: boolean, state: TaskState, next: RowSink,
): RowSink {
  const store = state.windowStore(AGGREGATE_STORE_NAME);
  const clock = state.streamTime('Aggregate');
  const pending = !emitFinal && state.cacheMaxBytes > 0 ? new PendingSessions(next, state.cacheMaxBytes) : undefined;
  state.register({
    flush() {
      pending?.flush();
      store.purgeExpired(clock.now - spec.retentionMs);
    },
    abort() {
      pending?.abort();
    },
  });
  const emit: (row: Row, key: Buffer) => void = pending === undefined ? (row) => next(row, null) : (row, key) => pending.set(row, key);
  let emitFinalResults: FinalEmitter | undefined;
  if (emitFinal) {
    const emitted = state.streamTime('Aggregate-EmitFinal');
    emitFinalResults = (now) => {
      const close = now - spec.sizeMs - spec.graceMs;
      const after = emitted.now;
      if (close <= after) return;
      emitted.observe(close);
      const closed = store.fetchAll(Number.MIN_SAFE_INTEGER, close).filter((w) => w.end > after && w.end <= close);
      closed.sort((a, b) => a.end - b.end || a.start - b.start);
      for (const w of closed) {
        const [timestamp, ...accs] = decodeValue(w.value) as [number, ...unknown[]];
        const keyValues = decodeValue(w.key) as unknown[];
        next({ values: [...keyValues, ...calls.results(accs)], timestamp: Math.max(timestamp, w.end), partition: -1, offset: -1, headers: [], window: { start: w.start, end: w.end }, nullValue: false }, null);
      }
    };
  }
  return (row) => {
    if (row.nullValue) return;
    const t = row.timestamp;
    const now = clock.observe(t);
    // Kafka Streams closes a session once stream time passes its end by the gap and the grace.
    const closeTime = now - spec.sizeMs - spec.graceMs;
    const keyValues = row.values.slice(0, keyCount);
    const key = encodeValue(keyValues);
    const overlapping = store.findSessions(key, t - spec.sizeMs, t + spec.sizeMs);
    let start = t;
    let end = t;
    const accs = calls.initialize();
    let timestamp = t;
    for (const s of overlapping) {
      start = Math.min(start, s.start);
      end = Math.max(end, s.end);
    }
    if (end < closeTime) {
      emitFinalResults?.(now);
      return; // the merged session has closed: a late record
    }
    // Unless the record's own one-instant session is all there is, every merged session is replaced.
    const replaced = start !== t || end !== t;
    for (const s of overlapping) {
      const [ts, ...sessionAccs] = decodeValue(s.value) as [number, ...unknown[]];
      calls.merge(accs, sessionAccs);
      timestamp = Math.max(timestamp, ts);
      if (replaced) {
        store.put(key, s.start, s.end, null);
        if (emitFinalResults === undefined) {
          const tombstone = [...keyValues, ...sessionAccs.map(() => null)];
          emit({ values: tombstone, timestamp: s.end, partition: row.partition, offset: row.offset, headers: row.headers, window: { start: s.start, end: s.end }, nullValue: true }, key);
        }
      }
    }
    calls.add(accs, row);
    store.put(key, start, end, encodeValue([timestamp, ...accs]));
    if (emitFinalResults === undefined) emit(resultRow(row, keyValues, keyCount, calls, accs, end, { start, end }), key);
    else emitFinalResults(now);
  };
}

/**
 * The session results of a session aggregate since the last flush, by key
 * and session, as a caching session store keeps them: a flush emits each
 * session's latest result in the order of last updates, and a tombstone only
 * for a session the previous flushes had emitted (one that came and went
 * between two flushes leaves nothing).
 */
class PendingSessions {
  private rows = new Map<string, { row: Row; fresh: boolean }>();
  /** The estimated bytes of the pending results: beyond the budget, they are flushed at once. */
  private bytes = 0;

  constructor(private readonly next: RowSink, private readonly maxBytes: number) {}

  set(row: Row, key: Buffer): void {
    const id = `${key.toString('latin1')}\u0000${row.window!.start}\u0000${row.window!.end}`;
    const known = this.rows.get(id);
    // Fresh: first seen since the last flush as a result, so storage had no such session before.
    const fresh = known === undefined ? !row.nullValue : known.fresh;
    if (known === undefined) this.bytes += ENTRY_OVERHEAD_BYTES + id.length;
    else this.rows.delete(id);
    if (!(row.nullValue && fresh)) this.rows.set(id, { row, fresh });
    if (this.bytes > this.maxBytes) this.flush();
  }

  flush(): void {
    const rows = this.rows;
    this.rows = new Map();
    this.bytes = 0;
    for (const { row } of rows.values()) this.next(row, null);
  }

  abort(): void {
    this.rows = new Map();
    this.bytes = 0;
  }
}
