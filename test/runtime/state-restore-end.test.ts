/**
 * A restore over a remote log stops at the changelog end the log learned from
 * its fetches: a Kafka fetch at the end waits for records up to
 * fetch.max.wait.ms, and a task that moves restores several store partitions
 * one after another.
 */
import test from 'ava';
import Database from 'better-sqlite3';
import type { ConsumedRecord, FetchResult } from '../../src/broker/broker.js';
import type { TaskLog } from '../../src/broker/task-log.js';
import { restoreStores } from '../../src/runtime/state-restore.js';
import { openStoreRegistry } from '../../src/state/index.js';

const CHANGELOG = 'q-Aggregate-Materialize-changelog';

/** A changelog partition of `count` records on a log that knows its end only once it fetched; counts its fetches. */
function remoteChangelog(count: number): TaskLog & { fetches: number[] } {
  const records: ConsumedRecord[] = Array.from({ length: count }, (_, offset) =>
    ({ topic: CHANGELOG, partition: 0, offset, timestamp: 0, key: Buffer.from(`k${offset}`), value: Buffer.from(`v${offset}`), headers: [] }));
  let learnedEnd: number | undefined;
  const fetches: number[] = [];
  return {
    restoresState: true,
    fetches,
    committedOffset: () => null,
    latestOffset: () => learnedEnd ?? Number.MAX_SAFE_INTEGER,
    fetch: (_topic, _partition, fromOffset) => {
      fetches.push(fromOffset);
      learnedEnd = count;
      return Promise.resolve<FetchResult>({ records: records.slice(fromOffset), nextOffset: count });
    },
    createAppendBuffer: () => { throw new Error('a restore appends nothing'); },
    commit: () => undefined,
    deleteRecords: () => undefined,
    deleteGroup: () => undefined,
  };
}

test('a restore ends at the end its first fetch learned instead of fetching again at the end (where a Kafka fetch waits for new records)', async (t) => {
  const database = new Database(':memory:');
  try {
    const registry = openStoreRegistry(database);
    const store = registry.openKeyValueStore({ query: 'q', name: 'Aggregate-Materialize', partition: 0 });
    const log = remoteChangelog(3);
    await restoreStores(log, registry, [{ kind: 'key-value', store, topic: CHANGELOG, writer: 'state' }], () => 0);
    t.deepEqual(log.fetches, [0]);
    t.is(store.get(Buffer.from('k2'))?.toString(), 'v2');
    t.is(registry.checkpoints.read(store, CHANGELOG), 3);
  } finally {
    database.close();
  }
});
