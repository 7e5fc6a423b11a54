/**
 * concepts/time-and-windows-in-ksqldb-queries.md: its windowed aggregations
 * as push queries. The page does not declare its streams: the declarations
 * here give them the columns the queries use, with no key, so every GROUP BY
 * re-keys its input through a repartition topic, as in ksqlDB.
 */
import test from 'ava';
import { useServer } from '../server/helpers.js';
import { Tutorial } from './tutorial.js';

const h = useServer({
  statements: [
    "CREATE STREAM pageviews (viewtime BIGINT, userid VARCHAR, pageid VARCHAR, regionid VARCHAR, gender VARCHAR) WITH (kafka_topic='pageviews', partitions=1, value_format='json');",
    "CREATE STREAM orders (orderId INT, order_zipcode VARCHAR, order_total DOUBLE) WITH (kafka_topic='orders', partitions=1, value_format='json');",
    "INSERT INTO pageviews (ROWTIME, viewtime, userid, pageid, regionid, gender) VALUES (1000, 1, 'u1', 'p1', 'Region_6', 'FEMALE');",
    "INSERT INTO pageviews (ROWTIME, viewtime, userid, pageid, regionid, gender) VALUES (2000, 2, 'u2', 'p1', 'Region_6', 'MALE');",
    "INSERT INTO orders (ROWTIME, orderId, order_zipcode, order_total) VALUES (1000, 1, '94301', 10.5);",
    "INSERT INTO orders (ROWTIME, orderId, order_zipcode, order_total) VALUES (2000, 2, '94301', 20.5);",
  ],
});

test('a hopping window: a row counts in each window it falls in, none starting before the epoch', async (t) => {
  const tut = new Tutorial(h);
  await tut.run("SET 'auto.offset.reset' = 'earliest';");
  const result = await tut.push(`SELECT regionid, COUNT(*) FROM pageviews
  WINDOW HOPPING (SIZE 30 SECONDS, ADVANCE BY 10 SECONDS)
  WHERE UCASE(gender)='FEMALE' AND LCASE (regionid) LIKE '%_6'
  GROUP BY regionid
  EMIT CHANGES;`, 1);
  t.deepEqual(result.columnNames, ['REGIONID', 'KSQL_COL_0']);
  // At ROWTIME 1000 the windows starting at -20 s and -10 s would hold it too, but windows start at 0 or later.
  t.deepEqual(result.rows, [['Region_6', 1]]);
});

test('a tumbling window with TOPK, and one with a grace period', async (t) => {
  const tut = new Tutorial(h);
  await tut.run("SET 'auto.offset.reset' = 'earliest';");
  // Every update of the batch (with ksqlDB's default record cache they collapse per key between commits).
  await tut.run("SET 'cache.max.bytes.buffering' = '0';");
  for (const window of ['WINDOW TUMBLING (SIZE 1 HOUR)', 'WINDOW TUMBLING (SIZE 1 HOUR, GRACE PERIOD 2 HOURS)']) {
    const result = await tut.push(`SELECT order_zipcode, TOPK(order_total, 5) FROM orders
  ${window} GROUP BY order_zipcode
  EMIT CHANGES;`, 2);
    t.deepEqual(result.rows, [['94301', [10.5]], ['94301', [20.5, 10.5]]]);
  }
});

test('window bounds and the latest ROWTIME of a tumbling window', async (t) => {
  const tut = new Tutorial(h);
  await tut.run("SET 'auto.offset.reset' = 'earliest';");
  // Every update of the batch (with ksqlDB's default record cache they collapse per key between commits).
  await tut.run("SET 'cache.max.bytes.buffering' = '0';");
  const result = await tut.push(`SELECT order_zipcode, 
  from_unixtime(WINDOWSTART) as Window_Start,
  from_unixtime(WINDOWEND) as Window_End,
  from_unixtime(max(ROWTIME)) as Window_Emit,
  count(orderId) as number_of_orders
FROM orders
  WINDOW TUMBLING (SIZE 5 minute, GRACE PERIOD 1 minute)
  GROUP BY order_zipcode
  EMIT CHANGES;`, 2);
  t.deepEqual(result.columnNames, ['ORDER_ZIPCODE', 'WINDOW_START', 'WINDOW_END', 'WINDOW_EMIT', 'NUMBER_OF_ORDERS']);
  t.deepEqual(result.rows, [
    ['94301', '1970-01-01T00:00:00.000', '1970-01-01T00:05:00.000', '1970-01-01T00:00:01.000', 1],
    ['94301', '1970-01-01T00:00:00.000', '1970-01-01T00:05:00.000', '1970-01-01T00:00:02.000', 2],
  ]);
});

test('a session window', async (t) => {
  const tut = new Tutorial(h);
  await tut.run("SET 'auto.offset.reset' = 'earliest';");
  // Every update of the batch (with ksqlDB's default record cache they collapse per key between commits).
  await tut.run("SET 'cache.max.bytes.buffering' = '0';");
  const result = await tut.push(`SELECT regionid, COUNT(*) FROM pageviews
  WINDOW SESSION (60 SECONDS)
  GROUP BY regionid
  EMIT CHANGES;`, 2);
  // The second view, a second later, extends the first one's session.
  t.deepEqual(result.rows, [['Region_6', 1], ['Region_6', 2]]);
});
