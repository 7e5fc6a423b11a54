/**
 * developer-guide/joins/{join-streams-and-tables,partition-data,synthetic-keys}.md:
 * their joins on the sources they assume (declared here), their errors,
 * and the synthetic key column's name and message.
 */
import test from 'ava';
import { useServer } from '../server/helpers.js';
import { Tutorial } from './tutorial.js';

const h = useServer();

async function describeFields(tut: Tutorial, name: string): Promise<string[]> {
  const [entity] = await tut.run(`DESCRIBE ${name};`) as { sourceDescription: { fields: { name: string; type?: string }[] } }[];
  return entity!.sourceDescription.fields.map((f) => `${f.name}${f.type === 'KEY' ? ' KEY' : ''}`);
}

test.serial('join-streams-and-tables: a stream-table LEFT JOIN, a three-stream join, N-way joins and the FULL OUTER stream-table refusal', async (t) => {
  const tut = new Tutorial(h);
  await tut.run(`SET 'auto.offset.reset' = 'earliest';
CREATE STREAM pageviews (viewtime BIGINT, userid VARCHAR, pageid VARCHAR) WITH (kafka_topic='pageviews', partitions=1, value_format='json');
CREATE TABLE users (userid VARCHAR PRIMARY KEY, regionid VARCHAR, gender VARCHAR) WITH (kafka_topic='users', partitions=1, value_format='json');
INSERT INTO users (ROWTIME, userid, regionid, gender) VALUES (1000, 'u1', 'Region_1', 'FEMALE');
INSERT INTO pageviews (ROWTIME, viewtime, userid, pageid) VALUES (2000, 1, 'u1', 'p1');
INSERT INTO pageviews (ROWTIME, viewtime, userid, pageid) VALUES (3000, 2, 'u2', 'p2');
CREATE STREAM pageviews_enriched AS
  SELECT 
     users.userid AS userid, 
     pageid, 
     regionid, 
     gender 
  FROM pageviews
    LEFT JOIN users ON pageviews.userid = users.userid
  EMIT CHANGES;`);
  const enriched = await tut.push('SELECT * FROM pageviews_enriched EMIT CHANGES;', 2);
  t.deepEqual(enriched.columnNames, ['USERID', 'PAGEID', 'REGIONID', 'GENDER']);
  t.deepEqual(enriched.rows, [['u1', 'p1', 'Region_1', 'FEMALE'], ['u2', 'p2', null, null]]);

  await tut.run(`CREATE STREAM orders (id INT KEY, itemid VARCHAR) WITH (kafka_topic='orders', partitions=1, value_format='json');
CREATE STREAM payments (id INT KEY, amount DOUBLE) WITH (kafka_topic='payments', partitions=1, value_format='json');
CREATE STREAM shipments (id INT KEY, carrier VARCHAR) WITH (kafka_topic='shipments', partitions=1, value_format='json');
INSERT INTO orders (ROWTIME, id, itemid) VALUES (0, 1, 'item_1');
INSERT INTO payments (ROWTIME, id, amount) VALUES (1800000, 1, 9.5);
INSERT INTO shipments (ROWTIME, id, carrier) VALUES (7200000, 1, 'ups');
INSERT INTO orders (ROWTIME, id, itemid) VALUES (0, 2, 'item_2');
INSERT INTO payments (ROWTIME, id, amount) VALUES (5400000, 2, 3.0);
   CREATE STREAM shipped_orders AS
     SELECT 
        o.id as orderId,
        o.itemid as itemId,
        s.id as shipmentId,
        p.id as paymentId
     FROM orders o
        INNER JOIN payments p WITHIN 1 HOURS ON p.id = o.id
        INNER JOIN shipments s WITHIN 2 HOURS ON s.id = o.id;`);
  // Order 2 was paid after the hour: only order 1 ships.
  const shipped = await tut.push('SELECT * FROM shipped_orders EMIT CHANGES;', 1);
  t.deepEqual(shipped.columnNames, ['ORDERID', 'ITEMID', 'SHIPMENTID', 'PAYMENTID']);
  t.deepEqual(shipped.rows, [[1, 'item_1', 1, 1]]);

  await tut.run(`CREATE STREAM A (id INT, x VARCHAR) WITH (kafka_topic='a', partitions=1, value_format='json');
CREATE TABLE B (product_id INT PRIMARY KEY, y VARCHAR) WITH (kafka_topic='b', partitions=1, value_format='json');
CREATE TABLE C (purchased_id INT PRIMARY KEY, z VARCHAR) WITH (kafka_topic='c', partitions=1, value_format='json');
CREATE STREAM joined AS 
  SELECT * 
  FROM A
    JOIN B ON A.id = B.product_id
    JOIN C ON A.id = C.purchased_id;`);
  t.deepEqual(await describeFields(tut, 'joined'), ['A_ID KEY', 'A_X', 'B_PRODUCT_ID', 'B_Y', 'C_PURCHASED_ID', 'C_Z']);
  await tut.run(`CREATE STREAM C2 (purchased_id INT KEY, z VARCHAR) WITH (kafka_topic='c2', partitions=1, value_format='json');
CREATE STREAM joined2 AS 
  SELECT * 
  FROM A
    JOIN B ON A.id = B.product_id
    JOIN C2 WITHIN 10 SECONDS ON A.id = C2.purchased_id;`);
  await tut.run("CREATE STREAM B2 (product_id INT KEY, y VARCHAR) WITH (kafka_topic='b2', partitions=1, value_format='json');");
  t.is(await tut.fail(`CREATE STREAM joined3 AS 
    SELECT * 
    FROM A
      JOIN B2 WITHIN 10 SECONDS ON A.id = B2.product_id
      FULL OUTER JOIN C ON A.id = C.purchased_id;`), 'Invalid join type: full-outer join not supported for stream-table join. Got A [FULL] OUTER JOIN C.');
});

test.serial('partition-data: a join repartitions the stream, CAST matches key types, mismatches are refused', async (t) => {
  const tut = new Tutorial(h);
  await tut.run(`SET 'auto.offset.reset' = 'earliest';
CREATE STREAM clicks (
    userId BIGINT, 
    url STRING
  ) WITH (
    kafka_topic='clickstream', 
    value_format='json',
    partitions=1
  );
CREATE TABLE pd_users (
    id BIGINT PRIMARY KEY, 
    fullName STRING
  ) WITH (
    kafka_topic='pd_users', 
    value_format='json',
    partitions=1
);
INSERT INTO pd_users (ROWTIME, id, fullName) VALUES (1000, 10, 'Ann Smith');
INSERT INTO clicks (ROWTIME, userId, url) VALUES (2000, 10, 'https://a.example');`);
  const joined = await tut.push(`SELECT 
  c.userId,
  c.url, 
  u.fullName 
FROM clicks c
  JOIN pd_users u ON c.userId = u.id
EMIT CHANGES;`, 1);
  t.deepEqual(joined.columnNames, ['USERID', 'URL', 'FULLNAME']);
  t.deepEqual(joined.rows, [[10, 'https://a.example', 'Ann Smith']]);

  await tut.run(`CREATE STREAM int_clicks (
    userId INT KEY, 
    url STRING
  ) WITH (
    kafka_topic='int_clickstream', 
    value_format='json', partitions=1
  );
INSERT INTO int_clicks (ROWTIME, userId, url) VALUES (2000, 10, 'https://b.example');`);
  const cast = await tut.push(`SELECT 
  int_clicks.url, 
  pd_users.fullName 
FROM int_clicks 
  JOIN pd_users ON CAST(int_clicks.userId AS BIGINT) = pd_users.id
EMIT CHANGES;`, 1);
  t.deepEqual(cast.rows, [['https://b.example', 'Ann Smith']]);

  t.is(await tut.fail('CREATE STREAM by_name AS SELECT c.url, u.fullName FROM clicks c JOIN pd_users u ON c.url = u.fullName;'),
    "Invalid join condition: stream-table joins require to join on the table's primary key. Got C.URL = U.FULLNAME.");
  await tut.run("CREATE STREAM clicks6 (userId BIGINT KEY, url STRING) WITH (kafka_topic='clicks6', value_format='json', partitions=6);");
  t.is(await tut.fail('CREATE STREAM j6 AS SELECT c.userId, c.url, u.fullName FROM clicks6 c JOIN pd_users u ON c.userId = u.id;'),
    "Can't join `C` with `U` since the number of partitions don't match. `C` partitions = 6; `U` partitions = 1. Please repartition either one so that the number of partitions match.");

  await tut.run(`CREATE STREAM products (product_id INT, name VARCHAR) WITH (kafka_topic='products', partitions=2, value_format='json');
CREATE STREAM products_rekeyed 
  WITH (PARTITIONS=6) AS 
  SELECT * 
   FROM products
   PARTITION BY product_id;`);
  const [rekeyed] = await tut.run('DESCRIBE products_rekeyed EXTENDED;') as { sourceDescription: { partitions: number; fields: { name: string; type?: string }[] } }[];
  t.is(rekeyed!.sourceDescription.partitions, 6);
  t.deepEqual(rekeyed!.sourceDescription.fields.map((f) => [f.name, f.type ?? 'VALUE']), [['PRODUCT_ID', 'KEY'], ['NAME', 'VALUE']]);
});

test.serial('synthetic-keys: FULL OUTER and expression joins key their result on ROWKEY (or the next free name), which the projection must include', async (t) => {
  const tut = new Tutorial(h);
  await tut.run(`SET 'auto.offset.reset' = 'earliest';
CREATE TABLE L (ID INT PRIMARY KEY, A VARCHAR) WITH (kafka_topic='l', partitions=1, value_format='json');
CREATE TABLE R (ID INT PRIMARY KEY, B VARCHAR) WITH (kafka_topic='r', partitions=1, value_format='json');
INSERT INTO L (ID, A) VALUES (10, 'a10');
INSERT INTO L (ID, A) VALUES (8, 'a8');
INSERT INTO R (ID, B) VALUES (7, 'b7');
INSERT INTO R (ID, B) VALUES (8, 'b8');
CREATE TABLE OUTPUT AS
  SELECT * FROM L FULL OUTER JOIN R ON L.ID = R.ID;`);
  t.deepEqual(await describeFields(tut, 'OUTPUT'), ['ROWKEY KEY', 'L_ID', 'L_A', 'R_ID', 'R_B']);
  // The page's table: the first non-null of L.ID and R.ID.
  t.deepEqual(await tut.pullUntil('SELECT ROWKEY, L_ID, R_ID FROM OUTPUT;', [[7, null, 7], [8, 8, 8], [10, 10, null]]),
    [[7, null, 7], [8, 8, 8], [10, 10, null]]);

  await tut.run(`CREATE STREAM S1 (ROWKEY INT KEY, V0 STRING) WITH (kafka_topic='s1', partitions=1, value_format='json');
CREATE STREAM S2 (ID INT KEY, ROWKEY_1 INT) WITH (kafka_topic='s2', partitions=1, value_format='json');
CREATE STREAM OUTPUT2 AS
  SELECT * 
  FROM S1 JOIN S2 
  WITHIN 30 SECONDS 
  ON ABS(S1.ROWKEY) = ABS(S2.ID);`);
  t.deepEqual(await describeFields(tut, 'OUTPUT2'), ['ROWKEY_2 KEY', 'S1_ROWKEY', 'S1_V0', 'S2_ID', 'S2_ROWKEY_1']);
  t.is(await tut.fail(`CREATE STREAM OUTPUT3 AS
  SELECT S1.V0, S2.ROWKEY_1
  FROM S1 JOIN S2
  WITHIN 30 SECONDS
  ON ABS(S1.ROWKEY) = ABS(S2.ID);`), 'Key missing from projection (ie, SELECT). See https://cnfl.io/2LV7ouS.\n'
    + 'The query used to build `OUTPUT3` must include the join expression ROWKEY_2 in its projection (eg, SELECT ROWKEY_2...).\n'
    + 'ROWKEY_2 was added as a synthetic key column because the join criteria did not match any source column. '
    + 'This expression must be included in the projection and may be aliased. ');
  // A join on columns: either side's column is the key; the message names no synthetic column and no link.
  t.is(await tut.fail('CREATE STREAM OUTPUT4 AS SELECT S1.V0 FROM S1 JOIN S2 WITHIN 30 SECONDS ON S1.ROWKEY = S2.ID;'),
    'Key missing from projection (ie, SELECT). \n'
    + 'The query used to build `OUTPUT4` must include the join expressions S1.ROWKEY or S2.ID in its projection (eg, SELECT S1.ROWKEY...).');
  await tut.run('CREATE STREAM OUTPUT5 AS SELECT ROWKEY_2 AS ID, S1.V0, S2.ROWKEY_1 FROM S1 JOIN S2 WITHIN 30 SECONDS ON ABS(S1.ROWKEY) = ABS(S2.ID);');
  t.deepEqual(await describeFields(tut, 'OUTPUT5'), ['ID KEY', 'V0', 'ROWKEY_1']);
});

test.serial('a table query without its key: the same "Key missing from projection" message (create-table-as-select.md\'s derived table)', async (t) => {
  const tut = new Tutorial(h);
  await tut.run("CREATE TABLE source (id INT PRIMARY KEY, a INT, b VARCHAR, d DOUBLE) WITH (kafka_topic='source', partitions=1, value_format='json');");
  t.is(await tut.fail(`CREATE TABLE derived AS
  SELECT
    a,
    b,
    d
  FROM source
  WHERE A is not null
  EMIT CHANGES;`), 'Key missing from projection (ie, SELECT). \nThe query used to build `DERIVED` must include the key column ID in its projection (eg, SELECT ID...).');
});
