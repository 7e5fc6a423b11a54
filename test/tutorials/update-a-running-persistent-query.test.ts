/**
 * how-to-guides/update-a-running-persistent-query.md. The page declares
 * `purchases` without a WITH clause, which ksqlDB refuses (KAFKA_TOPIC is
 * required): the tests check that, then go on with a topic.
 */
import test from 'ava';
import { useServer } from '../server/helpers.js';
import { Tutorial } from './tutorial.js';

const h = useServer();

const COLUMNS = 'product_id INT KEY, name VARCHAR, cost DOUBLE, quantity INT';

test.serial('the page\'s declaration without a topic is refused', async (t) => {
  const tut = new Tutorial(h);
  t.is(await tut.fail(`CREATE STREAM purchases (\n  product_id INT KEY,\n  name VARCHAR,\n  cost DOUBLE,\n  quantity INT\n);`),
    'Failed to prepare statement: Missing required property "KAFKA_TOPIC" which has no default value.');
});

test.serial('in-place upgrades keep the query id and resume where the old query stopped; a replacing upgrade backfills', async (t) => {
  const tut = new Tutorial(h);
  await tut.run(`CREATE STREAM purchases (${COLUMNS}) WITH (kafka_topic = 'purchases', partitions = 1, value_format = 'json');
CREATE STREAM valid_purchases AS
  SELECT *
  FROM purchases
  WHERE cost > 0.00 AND quantity > 0;
INSERT INTO purchases (product_id, name, cost, quantity) VALUES (1, 'mug', 4.5, 2);
INSERT INTO purchases (product_id, name, cost, quantity) VALUES (1, 'mug', -4.5, 1);`);
  await tut.pullUntil('SELECT product_id, cost FROM valid_purchases;', [[1, 4.5]]);
  const replaced = await tut.run(`CREATE OR REPLACE STREAM valid_purchases AS
  SELECT *
  FROM purchases
  WHERE quantity > 0;`);
  t.is((replaced[0] as { commandStatus: { queryId: string } }).commandStatus.queryId, 'CSAS_VALID_PURCHASES_0');
  await tut.run(`INSERT INTO purchases (product_id, name, cost, quantity) VALUES (2, 'pen', -1.0, 3);
CREATE OR REPLACE STREAM purchases (${COLUMNS}, popularity DOUBLE) WITH (kafka_topic = 'purchases', partitions = 1, value_format = 'json');
CREATE OR REPLACE STREAM valid_purchases AS
  SELECT *
  FROM purchases
  WHERE quantity > 0;`);
  // The refund processed before the upgrade stays out; the one after it is in.
  const rows = await tut.pullUntil('SELECT product_id, cost FROM valid_purchases;', [[1, 4.5], [2, -1.0]]);
  t.deepEqual(rows, [[1, 4.5], [2, -1.0]]);
  const described = await tut.pull('SELECT * FROM valid_purchases;');
  t.deepEqual(described.columnNames, ['PRODUCT_ID', 'NAME', 'COST', 'QUANTITY', 'POPULARITY']);

  await tut.run(`CREATE TABLE purchase_stats AS
  SELECT product_id,
         COUNT(*) AS num_sales,
         AVG(cost * quantity) AS average_sale
  FROM valid_purchases 
  GROUP BY product_id;
CREATE OR REPLACE TABLE purchase_stats AS
  SELECT product_id,
         COUNT(*) AS num_sales,
         AVG(cost * quantity) AS average_sale
  FROM valid_purchases 
  WHERE cost > 0
  GROUP BY product_id;`);
  // The page's TERMINATE names the query id its own order would give; here the table's query came second.
  t.is(await tut.fail('TERMINATE CTAS_PURCHASE_STATS_0;'), 'Unknown queryId: CTAS_PURCHASE_STATS_0');
  t.is(await tut.fail('DROP STREAM purchase_stats;'), 'Incompatible data source type is table, but statement was DROP stream');
  await tut.run(`TERMINATE CTAS_PURCHASE_STATS_1;
DROP TABLE purchase_stats;
SET 'auto.offset.reset'='earliest';
CREATE TABLE purchase_stats AS
  SELECT product_id,
         COUNT(*) AS num_sales,
         AVG(cost * quantity) AS average_sale
  FROM valid_purchases 
  WHERE cost > 0
  GROUP BY product_id;`);
  t.deepEqual(await tut.pullUntil('SELECT * FROM purchase_stats;', [[1, 1, 9.0]]), [[1, 1, 9.0]]);
});
