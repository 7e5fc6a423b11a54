/**
 * The log on a full disk, made real with SQLite's `max_page_count` on its
 * connection (the database cannot grow: SQLITE_FULL): writes fail with a
 * STORAGE error, the storage status says why, a probe finds it healthy again
 * once space returns without any other write, and the WAL gives its disk
 * space back at checkpoints.
 */
import { statSync } from 'node:fs';
import test from 'ava';
import { openEmbeddedBroker } from '../../../src/broker/index.js';
import { makeTempDir, removeDir } from '../../helpers/temp-dir.js';

const value = Buffer.alloc(12_000, 'v');

test('a full disk marks the storage unhealthy; the probe finds it healthy again when space returns and tells the listeners', async (t) => {
  const dir = makeTempDir('ksqlite-full-');
  const broker = openEmbeddedBroker({ dataDir: dir, storageProbeIntervalMs: 50 });
  try {
    broker.createTopic('t', { partitions: 1 });
    t.deepEqual(broker.storageStatus(), { healthy: true });
    broker.database.pragma(`max_page_count = ${broker.database.pragma('page_count', { simple: true }) as number}`);
    const error = t.throws(() => {
      for (;;) broker.append('t', [{ key: null, value }]);
    });
    t.is((error as { reason?: string }).reason, 'STORAGE');
    const status = broker.storageStatus();
    t.false(status.healthy);
    t.regex(status.reason!, /^the disk is full: the log cannot write \(SQLITE_FULL/);
    t.true(status.since! <= Date.now());
    let recovered = 0;
    broker.onStorageRecovered(() => recovered++);
    await new Promise((resolve) => setTimeout(resolve, 200));
    t.false(broker.storageStatus().healthy, 'the probe\'s write does not fit either');
    const end = broker.latestOffset('t', 0);

    broker.database.pragma('max_page_count = 1073741823');
    const deadline = Date.now() + 5000;
    while (recovered === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    t.is(recovered, 1);
    t.deepEqual(broker.storageStatus(), { healthy: true });
    t.is(broker.latestOffset('t', 0), end, 'the probe writes no record');
    broker.append('t', [{ key: null, value }]);
    t.is(broker.latestOffset('t', 0), end + 1);
  } finally {
    broker.close();
    removeDir(dir);
  }
});

test('the WAL file shrinks when a checkpoint has copied it, so it keeps no disk space', (t) => {
  const dir = makeTempDir('ksqlite-wal-');
  const broker = openEmbeddedBroker({ dataDir: dir });
  try {
    broker.createTopic('t', { partitions: 1 });
    for (let i = 0; i < 400; i++) broker.append('t', [{ key: null, value }]);
    broker.database.pragma('wal_checkpoint(PASSIVE)');
    broker.append('t', [{ key: null, value }]);
    t.true(statSync(`${broker.path}-wal`).size < 1024 * 1024, 'the WAL started over from a truncated file');
  } finally {
    broker.close();
    removeDir(dir);
  }
});
