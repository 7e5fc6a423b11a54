import test from 'ava';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { prepareQuery } from '../../src/engine/push-query.js';
import type { TransientEnd } from '../../src/runtime/transient-query.js';
import { withTempDir } from '../helpers/temp-dir.js';
import { closeEngine, openEngine, type EngineNode } from '../helpers/temp-engine.js';

function pull(node: EngineNode, sql: string): { rows: unknown[][]; end: TransientEnd | undefined } {
  const rows: unknown[][] = [];
  let end: TransientEnd | undefined;
  prepareQuery(node.engine, { sql, properties: {}, variables: new Map() }).start({ row: (values) => rows.push([...values]), end: (e) => (end = e) });
  return { rows, end };
}

function failure(end: TransientEnd | undefined): string {
  return end?.kind === 'failed' ? (end.error as Error).message : `not failed: ${JSON.stringify(end)}`;
}

/** Flips a bit in the last byte of the stored value of `table`'s rows whose key ends with `keyEnd` (as a bad disk would). */
function flipStoredBit(dir: string, table: string, keyEnd: string): void {
  const db = new Database(join(dir, 'ksqlite.db'));
  try {
    const rows = (db.prepare(`SELECT * FROM ${table}`).all() as { store: number; key: Buffer; value: Buffer }[])
      .filter((r) => r.key.toString('latin1').endsWith(keyEnd));
    if (rows.length === 0) throw new Error(`no row of ${table} has a key ending with ${keyEnd}`);
    for (const row of rows) {
      const damaged = Buffer.from(row.value);
      damaged[damaged.length - 1]! ^= 0x04;
      db.prepare(`UPDATE ${table} SET value = ? WHERE store = ? AND key = ?`).run(damaged, row.store, row.key);
    }
  } finally {
    db.close();
  }
}

test('a pull query that meets a corrupt row of a materialized table answers with an error, not the corrupt value', (t) =>
  withTempDir((dir) => {
    const node = openEngine(dir, { properties: { 'auto.offset.reset': 'earliest' } });
    try {
      node.engine.execute("CREATE STREAM CLICKS (ID STRING KEY, URL STRING) WITH (KAFKA_TOPIC='clicks', PARTITIONS=2, VALUE_FORMAT='JSON');");
      node.engine.execute('CREATE TABLE COUNTS AS SELECT ID, COUNT(*) AS N FROM CLICKS GROUP BY ID;');
      node.engine.execute('CREATE TABLE WINDOWED AS SELECT ID, COUNT(*) AS N FROM CLICKS WINDOW TUMBLING (SIZE 10 SECONDS) GROUP BY ID;');
      for (const id of ['apple', 'apple', 'apple', 'pear']) node.engine.execute(`INSERT INTO CLICKS (ID, URL, ROWTIME) VALUES ('${id}', 'u', 1000);`);
      node.scheduler.runUntilIdle();
      t.deepEqual(pull(node, "SELECT * FROM COUNTS WHERE ID = 'apple';").rows, [['apple', 3n]]);

      flipStoredBit(dir, 'state_kv', 'apple');
      flipStoredBit(dir, 'state_time_windows', 'apple');

      const message = /^State store 'Aggregate-Materialize' of query CTAS_COUNTS_0, partition \d: the stored row of key .* does not match its checksum; the corrupt value was not used\.$/;
      const lookup = pull(node, "SELECT * FROM COUNTS WHERE ID = 'apple';");
      t.deepEqual(lookup.rows, []);
      t.regex(failure(lookup.end), message);
      t.regex(failure(pull(node, 'SELECT * FROM COUNTS;').end), message);
      t.deepEqual(pull(node, "SELECT * FROM COUNTS WHERE ID = 'pear';").rows, [['pear', 1n]], 'intact rows still answer');
      t.regex(failure(pull(node, "SELECT * FROM WINDOWED WHERE ID = 'apple';").end), /^State store 'Aggregate-Materialize' of query CTAS_WINDOWED_1, partition \d: .* \(window 0-10000\) does not match its checksum/);
      t.regex(failure(pull(node, 'SELECT * FROM WINDOWED;').end), /CTAS_WINDOWED_1/);
    } finally {
      closeEngine(node);
    }
  }));
