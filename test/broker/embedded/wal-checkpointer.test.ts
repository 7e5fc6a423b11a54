import { statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import test from 'ava';
import { openEmbeddedBroker } from '../../../src/broker/embedded/embedded-broker.js';
import { withTempDir } from '../../helpers/temp-dir.js';
import { rec, text } from './temp-broker.js';

const VALUE = 'v'.repeat(64 * 1024);
const COMMITS = 100;

const fileSize = (path: string): number => statSync(path, { throwIfNoEntry: false })?.size ?? 0;

test('a busy log has its write-ahead log checkpointed by a thread beside the writer, and loses nothing by it', async (t) => {
  await withTempDir(async (dir) => {
    const broker = openEmbeddedBroker({ dataDir: dir, walCheckpointStartBytes: 256 * 1024 });
    const database = join(dir, 'ksqlite.db');
    try {
      broker.createTopic('busy', { partitions: 1 });
      // About 6.4 MiB of values in 100 commits: below the 16 MiB of WAL at which the writer would checkpoint itself.
      for (let i = 0; i < COMMITS; i++) broker.append('busy', [rec(`k${i}`, `${i}:${VALUE}`)]);
      let waited = 0;
      while (fileSize(database) < 4 * 1024 * 1024 && waited < 20_000) {
        await sleep(50);
        waited += 50;
      }
      t.true(fileSize(database) >= 4 * 1024 * 1024, `the database file holds the checkpointed pages (${fileSize(database)} bytes)`);
      const records = broker.read('busy', 0, 0, { maxRecords: COMMITS + 1 });
      t.is(records.length, COMMITS);
      t.true(records.every((r, i) => text(r.value) === `${i}:${VALUE}`));
    } finally {
      broker.close();
    }
    const reopened = openEmbeddedBroker({ dataDir: dir });
    try {
      t.is(reopened.latestOffset('busy', 0), COMMITS);
      t.is(text(reopened.read('busy', 0, COMMITS - 1, { maxRecords: 1 })[0]!.value), `${COMMITS - 1}:${VALUE}`);
    } finally {
      reopened.close();
    }
  });
});

test('a log that writes little never checkpoints before the writer would', (t) => {
  withTempDir((dir) => {
    const broker = openEmbeddedBroker({ dataDir: dir });
    try {
      broker.createTopic('quiet', { partitions: 1 });
      for (let i = 0; i < 5; i++) broker.append('quiet', [rec(`k${i}`, `${i}:${VALUE}`)]);
      t.true(fileSize(join(dir, 'ksqlite.db')) < 1024 * 1024, 'the pages stay in the write-ahead log');
    } finally {
      broker.close();
    }
  });
});
