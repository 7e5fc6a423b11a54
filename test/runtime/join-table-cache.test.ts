import test from 'ava';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { cacheableKey, TableRowCache } from '../../src/runtime/table-row-cache.js';
import { withTempDir } from '../helpers/temp-dir.js';
import { closeEngine, openEngine, withTempEngine } from '../helpers/temp-engine.js';
import { withEngine } from './engine-helper.js';

const SOURCES =
  "CREATE STREAM S (ID BIGINT KEY, NAME STRING) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='JSON'); " +
  "CREATE TABLE T (ID BIGINT PRIMARY KEY, LABEL STRING) WITH (KAFKA_TOPIC='t', PARTITIONS=1, VALUE_FORMAT='JSON');";

/** Stream rows looked up before and after their table row changes, is deleted and comes back; each insert is its own commit. */
function joined(properties: Record<string, number>): string[] {
  let out: string[] = [];
  withEngine((run) => {
    run.execute(`${SOURCES} CREATE STREAM OUT AS SELECT S.ID, NAME, LABEL FROM S LEFT JOIN T ON S.ID = T.ID;`);
    const statements = [
      "INSERT INTO S (ID, NAME) VALUES (1, 'before');",
      "INSERT INTO T (ID, LABEL) VALUES (1, 'one');",
      "INSERT INTO S (ID, NAME) VALUES (1, 'a');",
      "INSERT INTO S (ID, NAME) VALUES (1, 'a again');",
      "INSERT INTO T (ID, LABEL) VALUES (1, 'uno');",
      "INSERT INTO S (ID, NAME) VALUES (1, 'b');",
      "INSERT INTO T (ID, LABEL) VALUES (2, 'two');",
      "INSERT INTO S (ID, NAME) VALUES (2, 'c');",
    ];
    for (const statement of statements) run.execute(statement);
    out = run.values('OUT');
  }, properties);
  return out;
}

test('a stream-table join reads each table row as current whether its rows stay cached between commits or not', (t) => {
  const expected = [
    '{"NAME":"before","LABEL":null}', '{"NAME":"a","LABEL":"one"}', '{"NAME":"a again","LABEL":"one"}',
    '{"NAME":"b","LABEL":"uno"}', '{"NAME":"c","LABEL":"two"}',
  ];
  t.deepEqual(joined({}), expected);
  t.deepEqual(joined({ 'ksql.streams.cache.max.bytes.buffering': 0 }), expected);
});

test('a stream-table join sees a table row deleted after a stream row looked it up', (t) => {
  withTempEngine(({ broker, engine, scheduler }) => {
    const run = (sql: string): void => {
      engine.execute(sql);
      scheduler.runUntilIdle();
    };
    run(`${SOURCES} CREATE STREAM OUT AS SELECT S.ID, NAME, LABEL FROM S JOIN T ON S.ID = T.ID;`);
    run("INSERT INTO T (ID, LABEL) VALUES (7, 'seven');");
    run("INSERT INTO S (ID, NAME) VALUES (7, 'found');");
    const key = Buffer.alloc(8);
    key.writeBigInt64BE(7n);
    broker.append('t', [{ key, value: null }]);
    scheduler.runUntilIdle();
    run("INSERT INTO S (ID, NAME) VALUES (7, 'gone');");
    t.deepEqual(broker.read('OUT', 0, 0, { maxRecords: 10 }).map((r) => r.value!.toString()), ['{"NAME":"found","LABEL":"seven"}']);
  }, { properties: { 'auto.offset.reset': 'earliest' } });
});

/** A cache of strings, each row its UTF-8 bytes. */
function stringCache(maxBytes: number): TableRowCache<string> {
  return new TableRowCache<string>(maxBytes, (bytes, start, end) => bytes.toString('utf8', start, end));
}

const row = (text: string): Buffer => Buffer.from(text);

test('the table-row cache keeps the newest entries within its budget after a flush, and forgets all on abort', (t) => {
  const cache = stringCache(400);
  cache.set(1n, row('one'.padEnd(150)), null);
  cache.set(2n, row('two'.padEnd(150)), null);
  cache.set(3n, null, null);
  t.is(cache.get(1n), 'one'.padEnd(150), 'entries stay until a flush');
  cache.flush();
  t.is(cache.get(1n), undefined, 'the oldest went');
  t.is(cache.get(2n), 'two'.padEnd(150));
  t.is(cache.get(3n), null, 'a known absence is kept');
  cache.set(2n, row('deux'), null);
  t.is(cache.get(2n), 'deux');
  cache.offer(4n, row('x'.repeat(400)), null);
  t.is(cache.get(4n), undefined, 'a row read is cached only while the budget has room');
  cache.abort();
  t.is(cache.get(2n), undefined);
  t.is(cache.get(3n), undefined);
});

test('the table-row cache reads every row as last written, kept decoded or as bytes, while its arena grows and drops replaced rows', (t) => {
  const cache = stringCache(10_000_000);
  const latest = new Map<string | bigint, string>();
  for (let round = 0; round < 4; round++) {
    for (let i = 0; i < 20_000; i++) {
      const key = i % 2 === 0 ? BigInt(i) : `k${i}`;
      const text = `${round}:${i}:`.padEnd((i * 7) % 90, '-');
      cache.set(key, row(text), i % 3 === 0 ? text : null);
      latest.set(key, text);
    }
    cache.flush();
  }
  cache.set(5n, null, null);
  latest.delete(5n);
  for (const [key, text] of latest) t.is(cache.get(key), text);
  t.is(cache.get(5n), null);
});

test('only keys a Map tells apart as the store does key the cache', (t) => {
  t.true(cacheableKey('a'));
  t.true(cacheableKey(5n));
  t.true(cacheableKey(5));
  t.false(cacheableKey(-0), '-0 and 0 are different keys in the store but one in a Map');
  t.false(cacheableKey(1.5));
  t.false(cacheableKey(['a', 'b']));
});

test('the table-row cache keeps a bigint key apart from the equal number and from bigints beyond the safe range', (t) => {
  const cache = stringCache(10_000);
  const big = BigInt(Number.MAX_SAFE_INTEGER) + 2n;
  cache.set(5n, row('bigint five'), null);
  cache.set(5, row('number five'), null);
  cache.set('5', row('string five'), null);
  cache.set(big, row('beyond'), null);
  t.is(cache.get(5n), 'bigint five');
  t.is(cache.get(5), 'number five');
  t.is(cache.get('5'), 'string five');
  t.is(cache.get(big), 'beyond');
  t.is(cache.get(big - 1n), undefined, 'beyond the safe range, bigints that one number would stand for stay apart');
  t.is(cache.get(BigInt(Number.MAX_SAFE_INTEGER)), undefined);
});

test('a stream-table join stores each table row once, in its own store', (t) =>
  withTempDir((dir) => {
    const node = openEngine(dir, { properties: { 'auto.offset.reset': 'earliest' } });
    try {
      node.engine.execute(`${SOURCES} CREATE STREAM OUT AS SELECT S.ID, NAME, LABEL FROM S JOIN T ON S.ID = T.ID;`);
      node.engine.execute("INSERT INTO T (ID, LABEL) VALUES (1, 'stored-label');");
      node.scheduler.runUntilIdle();
      node.engine.execute("INSERT INTO S (ID, NAME) VALUES (1, 'a');");
      node.scheduler.runUntilIdle();
      t.deepEqual(node.broker.read('OUT', 0, 0, { maxRecords: 10 }).map((r) => r.value!.toString()), ['{"NAME":"a","LABEL":"stored-label"}']);
    } finally {
      closeEngine(node);
    }
    const db = new Database(join(dir, 'ksqlite.db'), { readonly: true });
    try {
      const stores = db.prepare('SELECT s.name AS name, t.value AS value FROM state_kv t JOIN state_stores s ON s.id = t.store').all() as { name: string; value: Buffer }[];
      t.deepEqual(stores.filter((s) => s.value.includes('stored-label')).map((s) => s.name), ['T-Join-Table']);
    } finally {
      db.close();
    }
  }));
