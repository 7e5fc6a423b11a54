/**
 * A full disk, made real with SQLite's `max_page_count` on the log's
 * connection (the database cannot grow: SQLITE_FULL, as on a full file
 * system): the query that cannot commit stops in ERROR and waits,
 * /healthcheck says unhealthy and why, inserts get a clear error; once the
 * log takes a write again, the query resumes at once (not at its long
 * backoff) and catches up, and /healthcheck is healthy.
 */
import test from 'ava';
import { eventually } from './stream-helpers.js';
import { request, runSql, runSqlOrThrow, useServer } from './helpers.js';

const h = useServer({
  start: { properties: { 'ksql.query.retry.backoff.initial.ms': '600000', 'ksql.query.retry.backoff.max.ms': '600000' } },
  statements: [
    "CREATE STREAM BIG (ID INT KEY, TEXT STRING) WITH (KAFKA_TOPIC='big', PARTITIONS=1, VALUE_FORMAT='JSON');",
  ],
});

test('a full disk stops the query in ERROR and makes the server unhealthy; when space returns the query resumes by itself', async (t) => {
  await runSqlOrThrow(h, "CREATE STREAM COPIED AS SELECT ID, TEXT FROM BIG;", { streamsProperties: { 'ksql.streams.auto.offset.reset': 'earliest' } });
  const { broker, engine } = h.server;
  const query = engine.listQueries()[0]!;
  const db = broker.database;
  const pages = db.pragma('page_count', { simple: true }) as number;
  db.pragma(`max_page_count = ${pages + 40}`);
  const text = 'x'.repeat(12_000);
  let appended = 0;
  const full = t.throws(() => {
    for (;;) {
      broker.append('big', [{ key: null, value: Buffer.from(JSON.stringify({ TEXT: `${appended}${text}` })) }]);
      appended++;
    }
  });
  t.regex(full!.message, /full/);
  t.true(appended > 0);
  t.true(await eventually(() => query.state === 'ERROR', 10_000), 'the query cannot commit its copies');
  t.regex(query.errors.at(-1)!.errorMessage, /full/);

  const health = await request(`${h.url}/healthcheck`);
  t.is(health.status, 503);
  t.false(health.body.isHealthy);
  t.false(health.body.details.kafka.isHealthy);
  t.regex(health.body.details.kafka.reason, /the disk is full/);

  const refused = await runSql(h, `INSERT INTO BIG (ID, TEXT) VALUES (1, '${text}');`);
  t.is(refused.status, 500);
  t.is(refused.body.error_code, 50000);
  t.regex(refused.body.message, /full/);

  db.pragma('max_page_count = 1073741823');
  await runSqlOrThrow(h, "INSERT INTO BIG (ID, TEXT) VALUES (2, 'space again');");
  t.true(await eventually(() => query.state === 'RUNNING', 5000), 'retried as soon as a write committed, not after its 10-minute backoff');
  t.true(await eventually(() => broker.latestOffset('COPIED', 0) === appended + 1, 10_000), 'every record reaches the sink');
  const healthy = await request(`${h.url}/healthcheck`);
  t.true(healthy.body.isHealthy);
  t.deepEqual(healthy.body.details.kafka, { isHealthy: true });
});
