/**
 * Restoring a task's logged stores from their changelog topics before the
 * task processes anything, as Kafka Streams restores a task it takes over:
 * each store reads its changelog partition from where its local copy stands
 * (its checkpoint) to the changelog's end, applying the records in order (a
 * NULL value deletes), a batch at a time, each batch written with its
 * checkpoint in one local transaction. Without a checkpoint (a new or lost
 * local copy), or with one past the changelog's end (the topic was made
 * again), the copy is wiped and read from the changelog's start.
 *
 * A stream-stream join's window stores are restored from the changelogs
 * their operator writes, in Kafka Streams' layout (key, time, sequence
 * number), each entry a point in time.
 *
 * A table source's latest-row store has no changelog of its own: its
 * changelog is the table's topic, which its task reads (Kafka Streams'
 * source-topic changelog). It is restored up to the task's committed offset
 * there, each record turned into the entry the store keeps, and its
 * checkpoint is the input offset each commit records.
 *
 * A standby task (standby-task.ts) reads the changelogs the same way
 * (`ChangelogReader`), continuously, so that the restore of a task that
 * becomes active here reads only the tail.
 */
import type { ConsumedRecord, FetchResult } from '../broker/broker.js';
import type { TaskLog } from '../broker/task-log.js';
import { KsqlError } from '../common/errors.js';
import { createLogger } from '../common/logger.js';
import { andThen, isPromise, type MaybeAsync } from '../common/maybe-async.js';
import type { KeyValueStore, StoreRegistry, WindowStore } from '../state/index.js';
import { parseKafkaStreamsWindowChangelogKey, parseWindowBoundsChangelogKey } from './changelog.js';

/** The store's entry of a record of its task's input topic, or null when the record leaves the store as it is. */
export type InputEntry = (record: ConsumedRecord) => { readonly key: Buffer; readonly value: Buffer | null } | null;

/** A key-value store whose changelog is a topic its task reads (a table source's). */
export interface InputChangelog {
  readonly topic: string;
  readonly entryOf: InputEntry;
}

/** A store and the changelog topic that keeps its content. */
export type LoggedStore = ({ readonly kind: 'key-value'; readonly store: KeyValueStore } | { readonly kind: 'window'; readonly store: WindowStore }) & {
  readonly topic: string;
  /** Who writes the changelog: the task's state at commit, the operator itself (a join's table side), or the changelog is an input. */
  readonly writer: 'state' | 'operator' | { readonly input: InputEntry };
};

/** Where the task stands in its input `topic` (restoring a store whose changelog is an input ends there). */
export type InputPosition = (topic: string) => number;

/**
 * The window store entry of a changelog key: an operator's own changelog is
 * in Kafka Streams' layout, whose entries are points in time (a stream-stream
 * join's records); the state's has both bounds.
 */
function windowEntryOf(key: Buffer, kafkaStreamsLayout: boolean): { readonly key: Buffer; readonly start: number; readonly end: number } | null {
  if (!kafkaStreamsLayout) return parseWindowBoundsChangelogKey(key);
  const entry = parseKafkaStreamsWindowChangelogKey(key);
  return entry === null ? null : { key: entry.key, start: entry.start, end: entry.start };
}

/** Records a restore asks for per fetch. */
export const RESTORE_RECORDS = 10_000;

/** What one store's restore did: the changelog offsets it read from and up to, and the records it applied. */
export interface StoreRestore {
  readonly store: string;
  readonly partition: number;
  readonly topic: string;
  readonly from: number;
  readonly to: number;
  readonly records: number;
}

const log = createLogger('state-restore');

/**
 * One logged store's reader of its changelog, what a restore and a standby
 * task share: where the local copy stands (its checkpoint; wiped and from the
 * start without one, or with one past `end`) and applying fetched batches.
 */
export class ChangelogReader {
  /** The changelog offset the local copy reads next (its checkpoint). */
  position: number;
  /** Where the reader started. */
  readonly from: number;
  /** Changelog records applied. */
  records = 0;

  constructor(private readonly registry: StoreRegistry, readonly logged: LoggedStore, end: number) {
    const { store, topic } = logged;
    const { checkpoints } = registry;
    let from = checkpoints.read(store, topic);
    if (from === undefined || from > end) {
      registry.transaction(() => {
        store.wipe();
        checkpoints.clear(store);
      });
      from = 0;
    }
    this.position = this.from = from;
  }

  /** Whether the changelog is a topic the task reads (a table source's), read only up to the task's position there. */
  get isInput(): boolean {
    return typeof this.logged.writer === 'object';
  }

  /**
   * Applies a batch fetched at `position`, up to `limit` (an input's: the
   * task's position there; what lies beyond, the task processes), and writes
   * the store with its new checkpoint in one local transaction. Returns
   * whether the position moved (false: the changelog has no more for now).
   */
  apply(fetched: FetchResult, limit = Number.POSITIVE_INFINITY): boolean {
    const { logged } = this;
    const { store, topic, writer } = logged;
    const input = typeof writer === 'object' ? writer.input : undefined;
    const nextOffset = Math.min(fetched.nextOffset, limit);
    for (const record of fetched.records) {
      if (record.offset >= limit) break;
      this.records++;
      if (input !== undefined) {
        const entry = input(record);
        if (entry !== null) (store as KeyValueStore).put(entry.key, entry.value);
      } else if (record.key === null) {
        continue;
      } else if (logged.kind === 'key-value') {
        logged.store.put(record.key, record.value);
      } else {
        const windowed = windowEntryOf(record.key, writer === 'operator');
        if (windowed === null) throw new KsqlError('CORRUPT_DATA', `The changelog '${topic}' partition ${store.partition} holds a record at offset ${record.offset} that is no window store key.`);
        logged.store.put(windowed.key, windowed.start, windowed.end, record.value);
      }
    }
    if (nextOffset <= this.position) return false;
    this.registry.transaction(() => {
      store.flush();
      this.registry.checkpoints.write(store, topic, nextOffset);
    });
    this.position = nextOffset;
    return true;
  }
}

/** Restores `stores`, one after another; answers when all are at their changelog's end. `onRestored` hears what each read. */
export function restoreStores(
  taskLog: TaskLog, registry: StoreRegistry, stores: readonly LoggedStore[], inputPosition: InputPosition, onRestored?: (restore: StoreRestore) => void,
): MaybeAsync<void> {
  let result: MaybeAsync<void> = undefined;
  for (const logged of stores) result = andThen(result, () => restoreStore(taskLog, registry, logged, inputPosition, onRestored));
  return result;
}

function restoreStore(
  taskLog: TaskLog, registry: StoreRegistry, logged: LoggedStore, inputPosition: InputPosition, onRestored: ((restore: StoreRestore) => void) | undefined,
): MaybeAsync<void> {
  const { store, topic } = logged;
  const { partition } = store;
  const input = typeof logged.writer === 'object';
  const end = input ? inputPosition(topic) : taskLog.latestOffset(topic, partition);
  const reader = new ChangelogReader(registry, logged, end);
  const limit = input ? end : Number.POSITIVE_INFINITY;
  // A remote log learns the changelog's end from the fetches themselves: stop there rather than fetch at the end, where a Kafka fetch waits for new records.
  const restoreEnd = (): number => (input ? end : Math.min(end, taskLog.latestOffset(topic, partition)));
  const read = (): MaybeAsync<void> => {
    while (reader.position < restoreEnd()) {
      const fetched = taskLog.fetch(topic, partition, reader.position, { maxRecords: RESTORE_RECORDS });
      if (isPromise(fetched)) return fetched.then((result) => (reader.apply(result, limit) ? read() : done()));
      if (!reader.apply(fetched, limit)) break;
    }
    return done();
  };
  const done = (): void => {
    const restored: StoreRestore = { store: store.name, partition, topic, from: reader.from, to: reader.position, records: reader.records };
    if (reader.records > 0) log.info({ queryId: store.query, ...restored }, 'restored a state store from its changelog');
    onRestored?.(restored);
  };
  return read();
}
