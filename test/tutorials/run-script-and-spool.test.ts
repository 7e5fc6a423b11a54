/**
 * developer-guide/ksqldb-reference/run-script.md and spool.md through the
 * shell: a file with the statements the page lists (CREATE STREAM and TABLE,
 * CREATE ... AS SELECT, DROP, SET, UNSET, INSERT INTO) run by RUN SCRIPT,
 * and SPOOL copying the commands, each prefixed with `ksql>`, and their
 * output to a file until SPOOL OFF (both pass as written).
 */
import test from 'ava';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useServer } from '../server/helpers.js';
import { runShell, tempDir } from '../cli/helpers.js';

const h = useServer();

test('RUN SCRIPT and SPOOL', async (t) => {
  const dir = tempDir();
  const script = join(dir, 'queries.sql');
  writeFileSync(script, `SET 'auto.offset.reset'='earliest';
CREATE STREAM orders (id INT KEY, item VARCHAR, qty INT) WITH (kafka_topic='orders', partitions=1, value_format='json');
CREATE TABLE items (item VARCHAR PRIMARY KEY, price INT) WITH (kafka_topic='items', partitions=1, value_format='json');
CREATE STREAM big_orders AS SELECT * FROM orders WHERE qty > 10;
CREATE TABLE order_counts AS SELECT item, COUNT(*) AS n FROM orders GROUP BY item;
CREATE STREAM all_orders (id INT KEY, item VARCHAR, qty INT) WITH (kafka_topic='all_orders', partitions=1, value_format='json');
INSERT INTO all_orders SELECT * FROM orders;
CREATE STREAM scratch (v INT) WITH (kafka_topic='scratch', partitions=1, value_format='json');
DROP STREAM scratch;
UNSET 'auto.offset.reset';
`);
  const spool = join(dir, 'spool.txt');
  const res = await runShell(['--server', h.url, '-e', `SPOOL '${spool}';
RUN SCRIPT '${script}';
SHOW QUERIES;
SPOOL OFF;
SHOW STREAMS;`]);
  t.is(res.code, 0, res.stderr);
  t.regex(res.stdout, /Created query with ID CSAS_BIG_ORDERS_0[^]*Created query with ID CTAS_ORDER_COUNTS_1[^]*Created query with ID INSERTQUERY_2[^]*Source `SCRATCH` \(topic: scratch\) was dropped\./);
  const spooled = readFileSync(spool, 'utf8');
  t.regex(spooled, /\nksql> SHOW QUERIES;\n Query ID +\| Query Type/);
  t.regex(spooled, / CSAS_BIG_ORDERS_0 +\| PERSISTENT \| RUNNING:1 /);
  t.notRegex(spooled, /Stream Name/);
  t.regex(res.stdout, / Stream Name +\| Kafka Topic/);
});
