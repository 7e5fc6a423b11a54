/**
 * Restoring a task's logged stores from their changelog topics before the
 * task processes anything, as Kafka Streams restores a task it takes over:
 * each store reads its changelog partition from where its local copy stands
 * (its checkpoint) to the changelog's end, applying the records in order (a
 * NULL value deletes), a batch at a time, each batch written with its
 * checkpoint in one local transaction. Without a checkpoint (a new or lost
 * local copy), or with one past the changelog's end (the topic was made
 * again), the copy is wiped and read from the changelog's start.
 */
import type { FetchResult } from '../broker/broker.js';
import type { TaskLog } from '../broker/task-log.js';
import { KsqlError } from '../common/errors.js';
import { createLogger } from '../common/logger.js';
import { andThen, isPromise, type MaybeAsync } from '../common/maybe-async.js';
import type { KeyValueStore, StoreRegistry, WindowStore } from '../state/index.js';
import { parseWindowedChangelogKey } from './changelog.js';

/** A store and the changelog topic that keeps its content. */
export type LoggedStore = ({ readonly kind: 'key-value'; readonly store: KeyValueStore } | { readonly kind: 'window'; readonly store: WindowStore }) & {
  readonly topic: string;
  /** The operator writes the changelog itself (a join's table side), not the task's state at commit. */
  readonly byOperator: boolean;
};

/** Records a restore asks for per fetch. */
const RESTORE_RECORDS = 10_000;

const log = createLogger('state-restore');

/** Restores `stores`, one after another; answers when all are at their changelog's end. */
export function restoreStores(taskLog: TaskLog, registry: StoreRegistry, stores: readonly LoggedStore[]): MaybeAsync<void> {
  let result: MaybeAsync<void> = undefined;
  for (const logged of stores) result = andThen(result, () => restoreStore(taskLog, registry, logged));
  return result;
}

function restoreStore(taskLog: TaskLog, registry: StoreRegistry, logged: LoggedStore): MaybeAsync<void> {
  const { store, topic } = logged;
  const { partition } = store;
  const { checkpoints } = registry;
  const end = taskLog.latestOffset(topic, partition);
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
    for (const record of fetched.records) {
      if (record.key === null) continue;
      if (logged.kind === 'key-value') {
        logged.store.put(record.key, record.value);
      } else {
        const windowed = parseWindowedChangelogKey(record.key);
        if (windowed === null) throw new KsqlError('CORRUPT_DATA', `The changelog '${topic}' partition ${partition} holds a record at offset ${record.offset} that is no window store key.`);
        logged.store.put(windowed.key, windowed.start, windowed.end, record.value);
      }
    }
    records += fetched.records.length;
    if (fetched.nextOffset <= next) return null;
    registry.transaction(() => {
      store.flush();
      checkpoints.write(store, topic, fetched.nextOffset);
    });
    return fetched.nextOffset;
  };
  const read = (offset: number): MaybeAsync<void> => {
    for (let next: number | null = offset; next !== null && next < end;) {
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
