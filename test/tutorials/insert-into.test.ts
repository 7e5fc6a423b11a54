/**
 * developer-guide/ksqldb-reference/insert-into.md: INSERT INTO a stream from
 * a stream-table join with WHERE and PARTITION BY and a QUERY_ID, and from a
 * stream-stream join WITHIN (before, after) GRACE PERIOD; a query whose
 * result is a table (a table's rows, an aggregation) is refused with
 * ksqlDB's message, as "Tables are not supported", and so is a schema that
 * does not match the stream's.
 */
import test from 'ava';
import { useServer } from '../server/helpers.js';
import { Tutorial } from './tutorial.js';

const h = useServer();

test('INSERT INTO ... SELECT as the page\'s synopsis writes it', async (t) => {
  const tut = new Tutorial(h);
  await tut.run(`SET 'auto.offset.reset'='earliest';
CREATE STREAM orders (id INT KEY, item VARCHAR, qty INT) WITH (kafka_topic='orders', partitions=1, value_format='json');
CREATE STREAM shipments (id INT KEY, item VARCHAR, qty INT) WITH (kafka_topic='shipments', partitions=1, value_format='json');
CREATE TABLE items (item VARCHAR PRIMARY KEY, price INT) WITH (kafka_topic='items', partitions=1, value_format='json');
CREATE STREAM moves (item VARCHAR KEY, id INT, qty INT, price INT) WITH (kafka_topic='moves', partitions=1, value_format='json');
INSERT INTO items (ROWTIME, item, price) VALUES (0, 'apple', 3);
INSERT INTO orders (ROWTIME, id, item, qty) VALUES (1000, 1, 'apple', 5);
INSERT INTO orders (ROWTIME, id, item, qty) VALUES (1000, 2, 'pear', 0);
INSERT INTO shipments (ROWTIME, id, item, qty) VALUES (2000, 1, 'apple', 5);
INSERT INTO moves
  WITH (QUERY_ID='order_moves')
  SELECT o.item AS item, o.id AS id, o.qty AS qty, i.price AS price
  FROM orders o
  LEFT JOIN items i ON o.item = i.item
  WHERE o.qty > 0
  PARTITION BY o.item
  EMIT CHANGES;
INSERT INTO moves
  SELECT s.item AS item, s.id AS id, -s.qty AS qty, CAST(NULL AS INT) AS price
  FROM shipments s
  INNER JOIN orders o WITHIN (1 HOUR, 2 HOURS) GRACE PERIOD 10 MINUTES ON s.id = o.id
  PARTITION BY s.item
  EMIT CHANGES;`);
  const queries = (await tut.run('SHOW QUERIES;'))[0] as { queries: { id: string }[] };
  t.deepEqual(queries.queries.map((q) => q.id), ['ORDER_MOVES', 'INSERTQUERY_1']);
  const rows = await tut.push('SELECT * FROM moves EMIT CHANGES;', 2);
  t.deepEqual(rows.columnNames, ['ITEM', 'ID', 'QTY', 'PRICE']);
  t.deepEqual([...rows.rows].sort((a, b) => Number(a[2]) - Number(b[2])), [['apple', 1, -5, null], ['apple', 1, 5, 3]]);
  t.is(await tut.fail('INSERT INTO moves SELECT * FROM items;'), 'Incompatible data sink and query result. Data sink (MOVES) type is KSTREAM but select query result is KTABLE.');
  t.is(await tut.fail('INSERT INTO moves SELECT item, COUNT(*) AS id, 0 AS qty, 0 AS price FROM orders GROUP BY item;'), 'Incompatible data sink and query result. Data sink (MOVES) type is KSTREAM but select query result is KTABLE.');
  t.regex(await tut.fail('INSERT INTO moves SELECT * FROM orders;'), /^Incompatible schema between results and sink\.\nResult schema is `ID` INTEGER KEY, `ITEM` STRING, `QTY` INTEGER\nSink schema is `ITEM` STRING KEY, /);
  t.is(await tut.fail('INSERT INTO items SELECT * FROM orders;'), 'INSERT INTO can only be used to insert into a stream. ITEMS is a table.');
  await tut.run('TERMINATE order_moves;');
});
