import test from 'ava';
import { WindowKeyFilter } from '../../src/runtime/window-key-filter.js';
import { closeEngine, openEngine } from '../helpers/temp-engine.js';
import { withTempDir } from '../helpers/temp-dir.js';

const key = (n: number): Buffer => Buffer.from(`key-${n}`);

test('a key written at a time is admitted over every range holding that time, and keys never written mostly are not', (t) => {
  const filter = new WindowKeyFilter(-1);
  for (let i = 0; i < 100_000; i++) filter.add(key(i), 1_000 + i);
  for (let i = 0; i < 100_000; i += 7) {
    t.true(filter.mayContain(key(i), 1_000 + i, 1_000 + i));
    t.true(filter.mayContain(key(i), 0, 1_000 + i));
  }
  let admitted = 0;
  for (let i = 100_000; i < 200_000; i++) if (filter.mayContain(key(i), 0, 1_000_000)) admitted++;
  t.true(admitted < 1_000, `${admitted} of 100,000 unknown keys admitted`);
  // A range after every write holds nothing.
  t.false(filter.mayContain(key(5), 200_000, 300_000));
});

test('a range reaching back to the horizon is always admitted: the store may hold rows written before the filter', (t) => {
  const filter = new WindowKeyFilter(500);
  t.true(filter.mayContain(key(1), 400, 600));
  t.true(filter.mayContain(key(1), 500, 500));
  t.false(filter.mayContain(key(1), 501, 600));
});

test('past its memory bound the filter drops its oldest keys and raises the horizon past them', (t) => {
  const filter = new WindowKeyFilter(-1);
  const count = 3_000_000;
  for (let i = 0; i < count; i++) filter.add(key(i), i);
  // The first keys' filter is gone: reads back then go to the store, and find them there.
  t.true(filter.mayContain(key(0), 0, 0));
  t.true(filter.mayContain(key(count - 1), count - 1, count - 1));
  t.false(filter.mayContain(key(count + 1), count, count + 10));
});

test('expiry drops only filters whose every time is before the bound', (t) => {
  const filter = new WindowKeyFilter(-1);
  for (let i = 0; i < 70_000; i++) filter.add(key(i), i);
  filter.expire(60_000);
  // The first filter (keys 0-65,535) still holds times after the bound, so it stays.
  t.true(filter.mayContain(key(10), 10, 10));
  filter.expire(66_000);
  t.false(filter.mayContain(key(10), 10, 10));
  t.true(filter.mayContain(key(69_999), 69_999, 69_999));
});

test('after a restart a stream-stream join still finds the records its store held before', (t) => {
  withTempDir((dir) => {
    const properties = { 'auto.offset.reset': 'earliest' };
    let node = openEngine(dir, { properties });
    node.engine.execute("CREATE STREAM L (ID INT KEY, A STRING) WITH (KAFKA_TOPIC='l', PARTITIONS=1, VALUE_FORMAT='JSON');");
    node.engine.execute("CREATE STREAM R (ID INT KEY, B STRING) WITH (KAFKA_TOPIC='r', PARTITIONS=1, VALUE_FORMAT='JSON');");
    node.engine.execute('CREATE STREAM OUT AS SELECT L.ID, A, B FROM L JOIN R WITHIN 10 SECONDS ON L.ID = R.ID;');
    node.engine.execute("INSERT INTO L (ROWTIME, ID, A) VALUES (1000, 1, 'a1');");
    node.engine.execute("INSERT INTO L (ROWTIME, ID, A) VALUES (2000, 2, 'a2');");
    node.scheduler.runUntilIdle();
    closeEngine(node);
    node = openEngine(dir, { properties });
    try {
      node.scheduler.runUntilIdle();
      node.engine.execute("INSERT INTO R (ROWTIME, ID, B) VALUES (3000, 1, 'b1');");
      node.engine.execute("INSERT INTO L (ROWTIME, ID, A) VALUES (4000, 1, 'a3');");
      node.scheduler.runUntilIdle();
      const out = node.broker.read('OUT', 0, 0, { maxRecords: 100 }).map((r) => r.value!.toString());
      t.deepEqual(out, ['{"A":"a1","B":"b1"}', '{"A":"a3","B":"b1"}']);
    } finally {
      closeEngine(node);
    }
  });
});
