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
 * A table source's latest-row store has no changelog of its own: its
 * changelog is the table's topic, which its task reads (Kafka Streams'
 * source-topic changelog). It is restored up to the task's committed offset
 * there, each record turned into the entry the store keeps, and its
 * checkpoint is the input offset each commit records.
 */
import type { ConsumedRecord, FetchResult } from '../broker/broker.js';
import type { TaskLog } from '../broker/task-log.js';
import { KsqlError } from '../common/errors.js';
import { createLogger } from '../common/logger.js';
import { andThen, isPromise, type MaybeAsync } from '../common/maybe-async.js';
import type { KeyValueStore, StoreRegistry, WindowStore } from '../state/index.js';
import { parseWindowBoundsChangelogKey } from './changelog.js';

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

/** Records a restore asks for per fetch. */
const RESTORE_RECORDS = 10_000;

const log = createLogger('state-restore');

/** Restores `stores`, one after another; answers when all are at their changelog's end. */
export function restoreStores(taskLog: TaskLog, registry: StoreRegistry, stores: readonly LoggedStore[], inputPosition: InputPosition): MaybeAsync<void> {
  let result: MaybeAsync<void> = undefined;
  for (const logged of stores) result = andThen(result, () => restoreStore(taskLog, registry, logged, inputPosition));
  return result;
}

function restoreStore(taskLog: TaskLog, registry: StoreRegistry, logged: LoggedStore, inputPosition: InputPosition): MaybeAsync<void> {
  const { store, topic, writer } = logged;
  const { partition } = store;
  const { checkpoints } = registry;
  const input = typeof writer === 'object' ? writer.input : undefined;
  const end = input === undefined ? taskLog.latestOffset(topic, partition) : inputPosition(topic);
  let from = checkpoints.read(store, topic);
  if (from === undefined || from > end) {
    registry.transaction(() => {
      store.wipe();
      checkpoints.clear(store);
    });
    from = 0;
  }
  const start = from;
  let records = 0;
  /** Applies a fetched batch with its checkpoint; returns where to read next, or null when the changelog has no more. */
  const apply = (next: number, fetched: FetchResult): number | null => {
    let nextOffset = fetched.nextOffset;
    for (const record of fetched.records) {
      if (input !== undefined) {
        // An input is read up to the task's position only: what lies beyond, the task processes.
        if (record.offset >= end) {
          nextOffset = end;
          break;
        }
        const entry = input(record);
        if (entry !== null) (logged.store as KeyValueStore).put(entry.key, entry.value);
      } else if (record.key === null) {
        continue;
      } else if (logged.kind === 'key-value') {
        logged.store.put(record.key, record.value);
      } else {
        const windowed = parseWindowBoundsChangelogKey(record.key);
        if (windowed === null) throw new KsqlError('CORRUPT_DATA', `The changelog '${topic}' partition ${partition} holds a record at offset ${record.offset} that is no window store key.`);
        logged.store.put(windowed.key, windowed.start, windowed.end, record.value);
      }
    }
    records += fetched.records.length;
    if (nextOffset <= next) return null;
    registry.transaction(() => {
      store.flush();
      checkpoints.write(store, topic, nextOffset);
    });
    return nextOffset;
  };
  // A remote log learns the changelog's end from the fetches themselves: stop there rather than fetch at the end, where a Kafka fetch waits for new records.
  const restoreEnd = (): number => (input === undefined ? Math.min(end, taskLog.latestOffset(topic, partition)) : end);
  const read = (offset: number): MaybeAsync<void> => {
    for (let next: number | null = offset; next !== null && next < restoreEnd();) {
      const at = next;
      const fetched = taskLog.fetch(topic, partition, at, { maxRecords: RESTORE_RECORDS });
      if (isPromise(fetched)) {
        return fetched.then((result) => {
          const after = apply(at, result);
          return after === null ? done() : read(after);
        });
      }
      next = apply(at, fetched);
    }
    return done();
  };
  const done = (): void => {
    if (records > 0) log.info({ queryId: store.query, store: store.name, partition, topic, from: start, records }, 'restored a state store from its changelog');
  };
  return read(from);
}
