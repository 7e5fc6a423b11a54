/**
 * developer-guide/ksqldb-reference/select-push-query.md: ROWTIME bounds as
 * numbers and as ISO-8601 strings (UTC unless the string names a zone),
 * LIMIT, and the three window types (passes as written). The page's two
 * ROWTIME queries are "equivalent" only in its writer's time zone: as
 * strings in UTC they name 8 hours earlier.
 */
import test from 'ava';
import { useServer } from '../server/helpers.js';
import { Tutorial } from './tutorial.js';

const h = useServer({
  statements: [
    "CREATE STREAM pageviews (viewtime BIGINT, userid VARCHAR) WITH (kafka_topic='pageviews', partitions=1, value_format='json');",
    ...[1510923224000, 1510923225000, 1510923228000, 1510923228001, 1510894425000, 1510894428000, 1510894429000]
      .map((ts, i) => `INSERT INTO pageviews (ROWTIME, viewtime, userid) VALUES (${ts}, ${i}, 'u${i}');`),
    "CREATE STREAM orders (item_id VARCHAR, quantity INT) WITH (kafka_topic='orders', partitions=1, value_format='json');",
    "INSERT INTO orders (ROWTIME, item_id, quantity) VALUES (1000, 'i1', 2);",
    "INSERT INTO orders (ROWTIME, item_id, quantity) VALUES (12000, 'i1', 3);",
    "INSERT INTO orders (ROWTIME, item_id, quantity) VALUES (25000, 'i1', 4);",
  ],
});

test('ROWTIME bounds and LIMIT', async (t) => {
  const tut = new Tutorial(h);
  await tut.run("SET 'auto.offset.reset' = 'earliest';");
  t.deepEqual((await tut.push(`SELECT * FROM pageviews
  WHERE ROWTIME >= 1510923225000
    AND ROWTIME <= 1510923228000
  EMIT CHANGES;`, 2)).rows, [[1, 'u1'], [2, 'u2']]);
  t.deepEqual((await tut.push(`SELECT * FROM pageviews
  WHERE ROWTIME >= '2017-11-17T04:53:45'
    AND ROWTIME <= '2017-11-17T04:53:48'
  EMIT CHANGES;`, 2)).rows, [[4, 'u4'], [5, 'u5']]);
  t.deepEqual((await tut.push("SELECT viewtime FROM pageviews WHERE ROWTIME >= '2017-11-17T04:53:45-0330' EMIT CHANGES;", 4)).rows, [[0], [1], [2], [3]]);
  t.deepEqual((await tut.pull('SELECT * FROM pageviews EMIT CHANGES LIMIT 5;')).rows.map((r) => r[0]), [0, 1, 2, 3, 4]);
});

test('tumbling, hopping and session windows', async (t) => {
  const tut = new Tutorial(h);
  await tut.run("SET 'auto.offset.reset' = 'earliest';");
  // Every update of the batch (with ksqlDB's default record cache they collapse per key between commits).
  await tut.run("SET 'cache.max.bytes.buffering' = '0';");
  const query = (window: string): string => `SELECT windowstart, windowend, item_id, SUM(quantity)
  FROM orders
  ${window}
  GROUP BY item_id
  EMIT CHANGES;`;
  const tumbling = await tut.push(query('WINDOW TUMBLING (SIZE 20 SECONDS)'), 3);
  t.deepEqual(tumbling.columnNames, ['WINDOWSTART', 'WINDOWEND', 'ITEM_ID', 'KSQL_COL_0']);
  t.deepEqual(tumbling.rows, [[0, 20000, 'i1', 2], [0, 20000, 'i1', 5], [20000, 40000, 'i1', 4]]);
  t.deepEqual((await tut.push(query('WINDOW HOPPING (SIZE 20 SECONDS, ADVANCE BY 5 SECONDS)'), 8)).rows, [
    [0, 20000, 'i1', 2], [0, 20000, 'i1', 5], [5000, 25000, 'i1', 3], [10000, 30000, 'i1', 3],
    [10000, 30000, 'i1', 7], [15000, 35000, 'i1', 4], [20000, 40000, 'i1', 4], [25000, 45000, 'i1', 4],
  ]);
  t.deepEqual((await tut.push(query('WINDOW SESSION (20 SECONDS)'), 3)).rows.at(-1), [1000, 25000, 'i1', 9]);
});

test('with the default record cache, the updates of a window read in one batch collapse into its latest result', async (t) => {
  const tut = new Tutorial(h);
  await tut.run("SET 'auto.offset.reset' = 'earliest';");
  const tumbling = await tut.push(`SELECT windowstart, windowend, item_id, SUM(quantity)
  FROM orders WINDOW TUMBLING (SIZE 20 SECONDS) GROUP BY item_id EMIT CHANGES;`, 2);
  t.deepEqual(tumbling.rows, [[0, 20000, 'i1', 5], [20000, 40000, 'i1', 4]]);
});
