/**
 * An outer stream-stream join with a GRACE PERIOD keeps its unmatched
 * records in an outer store until their window closes. Finding the closed
 * ones must not read every waiting record at each record: the work of a
 * join would then grow with its window times its rate.
 */
import test from 'ava';
import { WindowStore } from '../../src/state/window-store.js';
import { withEngine } from './engine-helper.js';

const SOURCES =
  "CREATE STREAM L (ID INT KEY, A STRING) WITH (KAFKA_TOPIC='l', PARTITIONS=1, VALUE_FORMAT='JSON'); " +
  "CREATE STREAM R (ID INT KEY, B STRING) WITH (KAFKA_TOPIC='r', PARTITIONS=1, VALUE_FORMAT='JSON');";

/** Counts the windows `fetchAll` answers (the outer store's scans: no other store of these queries scans) while `body` runs. */
function countingScans(body: () => void): number {
  const original = WindowStore.prototype.fetchAll;
  let read = 0;
  WindowStore.prototype.fetchAll = function (this: WindowStore, from: number, to: number) {
    const found = original.call(this, from, to);
    read += found.length;
    return found;
  };
  try {
    body();
  } finally {
    WindowStore.prototype.fetchAll = original;
  }
  return read;
}

test('an outer stream-stream join reads each waiting record about once to find the closed windows, and emits them in time order', (t) => {
  withEngine((run) => {
    run.execute(`${SOURCES} CREATE STREAM OUT AS SELECT L.ID AS ID, A, B FROM L LEFT JOIN R WITHIN 1 SECOND GRACE PERIOD 500 MILLISECONDS ON L.ID = R.ID;`);
    const inserts: string[] = [];
    for (let i = 0; i < 40; i++) inserts.push(`INSERT INTO L (ROWTIME, ID, A) VALUES (${i * 100}, ${i}, 'a${i}');`);
    // A late record within the grace period waits too; one that matches a waiting record takes it away.
    inserts.push("INSERT INTO L (ROWTIME, ID, A) VALUES (3000, 100, 'late');");
    inserts.push("INSERT INTO R (ROWTIME, ID, B) VALUES (3950, 39, 'b39');");
    inserts.push("INSERT INTO R (ROWTIME, ID, B) VALUES (9000, 1000, 'end');");
    const read = countingScans(() => run.execute(inserts.join(' ')));
    const closed = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `{"A":"a${from + i}","B":null}`);
    t.deepEqual(run.values('OUT'), [
      ...closed(0, 25),
      '{"A":"a39","B":"b39"}',
      ...closed(25, 31),
      '{"A":"late","B":null}',
      ...closed(31, 39),
    ]);
    t.true(read <= 40 + 5, `the scans read ${read} waiting records for the 40 that closed`);
  });
});
