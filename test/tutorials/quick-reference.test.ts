/**
 * developer-guide/ksqldb-reference/quick-reference.md and alter-system.md:
 * the quick reference's concrete examples (most of it is synopses, replayed
 * by the pages they link to), over streams of our own. Differences that are
 * the page's, as ksqlDB answers them too: its TOPK example selects
 * orderzip_code but groups by order_zipcode, and its CAST example, without
 * EMIT CHANGES, is a pull query, which takes no GROUP BY. ALTER SYSTEM is
 * for ksqlDB clusters in Confluent Cloud only, as alter-system.md says.
 */
import test from 'ava';
import { useServer } from '../server/helpers.js';
import { Tutorial } from './tutorial.js';

const h = useServer();

test('the quick reference\'s examples', async (t) => {
  const tut = new Tutorial(h);
  await tut.run(`SET 'auto.offset.reset'='earliest';
SET 'cache.max.bytes.buffering' = '0';
CREATE STREAM events (event_id INT, event VARCHAR) WITH (kafka_topic='events', partitions=1, value_format='json');
CREATE STREAM orders (orderunits DOUBLE, order_total INT, order_zipcode VARCHAR) WITH (kafka_topic='orders', partitions=1, value_format='json');
CREATE STREAM pageviews_enriched (page_id INT) WITH (kafka_topic='pageviews_enriched', partitions=1, value_format='json');
CREATE STREAM users (user_id VARCHAR) WITH (kafka_topic='users', partitions=1, value_format='json');
CREATE STREAM S (column_name BYTES HEADER('key'))
WITH (kafka_topic='s', partitions=1, format='json');
DROP STREAM S;
CREATE STREAM S (column_name ARRAY<STRUCT<key STRING, value BYTES>> HEADERS)
WITH (kafka_topic='s', format='json');
INSERT INTO events (event_id, event) VALUES (15, 'in range');
INSERT INTO events (event_id, event) VALUES (25, 'out of range');
INSERT INTO orders (orderunits, order_total, order_zipcode) VALUES (3.5, 10, '94301');
INSERT INTO orders (orderunits, order_total, order_zipcode) VALUES (1.0, 20, '94301');
INSERT INTO pageviews_enriched (page_id) VALUES (7);
INSERT INTO users (user_id) VALUES ('santa claus');
INSERT INTO users (user_id) VALUES ('grinch');`);
  t.deepEqual((await tut.push(`SELECT event
  FROM events
  WHERE event_id BETWEEN 10 AND 20
  EMIT CHANGES;`, 1)).rows, [['in range']]);
  t.deepEqual(await tut.push(`SELECT
 CASE
   WHEN orderunits < 2.0 THEN 'small'
   WHEN orderunits < 4.0 THEN 'medium'
   ELSE 'large'
 END AS case_result
FROM orders
EMIT CHANGES;`, 2), { columnNames: ['CASE_RESULT'], rows: [['medium'], ['small']] });
  await t.throwsAsync(tut.pull(`SELECT page_id, CONCAT(CAST(COUNT(*) AS VARCHAR), '_HELLO')
  FROM pageviews_enriched
  WINDOW TUMBLING (SIZE 20 SECONDS)
  GROUP BY page_id;`), { message: /Pull queries don't support GROUP BY clauses/ });
  t.deepEqual((await tut.push("SELECT page_id, CONCAT(CAST(COUNT(*) AS VARCHAR), '_HELLO') FROM pageviews_enriched WINDOW TUMBLING (SIZE 20 SECONDS) GROUP BY page_id EMIT CHANGES;", 1)).rows, [[7, '1_HELLO']]);
  await t.throwsAsync(tut.pull(`SELECT orderzip_code, TOPK(order_total, 5) FROM orders
  WINDOW TUMBLING (SIZE 1 HOUR, GRACE PERIOD 2 HOURS) 
  GROUP BY order_zipcode
  EMIT CHANGES;`), { message: /SELECT column 'ORDERZIP_CODE' cannot be resolved/ });
  const topk = await tut.push('SELECT order_zipcode, TOPK(order_total, 5) FROM orders WINDOW TUMBLING (SIZE 1 HOUR, GRACE PERIOD 2 HOURS) GROUP BY order_zipcode EMIT CHANGES;', 2);
  t.deepEqual(topk.rows.at(-1), ['94301', [20, 10]]);
  t.deepEqual((await tut.push(`SELECT user_id
  FROM users
  WHERE user_id LIKE 'santa%'
  EMIT CHANGES;`, 1)).rows, [['santa claus']]);
  t.deepEqual((await tut.push('SELECT NULLIF(event_id, 15) FROM events EMIT CHANGES;', 2)).rows, [[null], [25]]);
  t.regex(await tut.fail("ALTER SYSTEM 'auto.offset.reset'='earliest';"), /ALTER SYSTEM is only available when connected to a ksqlDB cluster in Confluent Cloud/);
});
