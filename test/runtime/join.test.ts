import test from 'ava';
import { withTempEngine } from '../helpers/temp-engine.js';
import { withEngine } from './engine-helper.js';

const STREAM = "CREATE STREAM S (ID INT KEY, REF INT, NAME STRING) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='JSON');";
const TABLE = "CREATE TABLE T (ID INT PRIMARY KEY, LABEL STRING) WITH (KAFKA_TOPIC='t', PARTITIONS=1, VALUE_FORMAT='JSON');";
const TABLE2 = "CREATE TABLE U (ID INT PRIMARY KEY, SCORE INT) WITH (KAFKA_TOPIC='u', PARTITIONS=1, VALUE_FORMAT='JSON');";

test('a stream-table inner join emits a stream row only when the table has its key, with the table row current at that time', (t) => {
  withEngine((run) => {
    run.execute(`${STREAM} ${TABLE} CREATE STREAM OUT AS SELECT S.ID, NAME, LABEL FROM S JOIN T ON S.ID = T.ID;`);
    run.execute("INSERT INTO S (ID, REF, NAME) VALUES (1, 0, 'early');");
    run.execute("INSERT INTO T (ID, LABEL) VALUES (1, 'one');");
    run.execute("INSERT INTO S (ID, REF, NAME) VALUES (1, 0, 'a');");
    run.execute("INSERT INTO T (ID, LABEL) VALUES (1, 'uno');");
    run.execute("INSERT INTO S (ID, REF, NAME) VALUES (1, 0, 'b');");
    t.deepEqual(run.values('OUT'), ['{"NAME":"a","LABEL":"one"}', '{"NAME":"b","LABEL":"uno"}']);
  });
});

test('a stream-table left join fills the table columns with NULL when the key is missing', (t) => {
  withEngine((run) => {
    run.execute(`${STREAM} ${TABLE} CREATE STREAM OUT AS SELECT S.ID, NAME, LABEL FROM S LEFT JOIN T ON S.ID = T.ID;`);
    run.execute("INSERT INTO S (ID, REF, NAME) VALUES (2, 0, 'x');");
    t.deepEqual(run.values('OUT'), ['{"NAME":"x","LABEL":null}']);
  });
});

test('a stream joined on a value column is re-keyed through a repartition topic and keyed by that column', (t) => {
  withEngine((run) => {
    run.execute(`${STREAM} ${TABLE} CREATE STREAM OUT AS SELECT S.REF, S.ID AS SID, LABEL FROM S JOIN T ON S.REF = T.ID;`);
    run.execute("INSERT INTO T (ID, LABEL) VALUES (7, 'seven');");
    run.execute("INSERT INTO S (ID, REF, NAME) VALUES (1, 7, 'a');");
    t.deepEqual(run.values('OUT'), ['{"SID":1,"LABEL":"seven"}']);
  });
});

test('a table-table inner join emits once both sides have the key, then on every update of either side', (t) => {
  withEngine((run) => {
    run.execute(`${TABLE} ${TABLE2} CREATE TABLE OUT AS SELECT T.ID, LABEL, SCORE FROM T JOIN U ON T.ID = U.ID;`);
    run.execute("INSERT INTO T (ID, LABEL) VALUES (1, 'one');");
    run.execute('INSERT INTO U (ID, SCORE) VALUES (1, 10);');
    run.execute("INSERT INTO T (ID, LABEL) VALUES (1, 'uno');");
    t.deepEqual(run.values('OUT'), ['{"LABEL":"one","SCORE":10}', '{"LABEL":"uno","SCORE":10}']);
  });
});

test('a full outer table-table join has a synthetic ROWKEY key and keeps rows present on either side', (t) => {
  withEngine((run) => {
    run.execute(`${TABLE} ${TABLE2} CREATE TABLE OUT AS SELECT ROWKEY AS K, LABEL, SCORE FROM T FULL OUTER JOIN U ON T.ID = U.ID;`);
    run.execute("INSERT INTO T (ID, LABEL) VALUES (1, 'one');");
    run.execute('INSERT INTO U (ID, SCORE) VALUES (2, 20);');
    run.execute('INSERT INTO U (ID, SCORE) VALUES (1, 10);');
    t.deepEqual(run.values('OUT'), ['{"LABEL":"one","SCORE":null}', '{"LABEL":null,"SCORE":20}', '{"LABEL":"one","SCORE":10}']);
  });
});

test('a join is refused with ksqlDB\'s messages when the order, type or condition is invalid', (t) => {
  withEngine((run) => {
    run.execute(`${STREAM} ${TABLE}`);
    t.throws(() => run.execute('CREATE TABLE OUT AS SELECT T.ID, NAME FROM T JOIN S ON T.ID = S.ID;'), {
      message: /Invalid join order: table-stream joins are not supported; only stream-table joins\. Got T \[INNER\] JOIN S\./,
    });
    t.throws(() => run.execute('CREATE STREAM OUT AS SELECT S.ID, NAME FROM S FULL OUTER JOIN T ON S.ID = T.ID;'), {
      message: /Invalid join type: full-outer join not supported for stream-table join\./,
    });
    t.throws(() => run.execute('CREATE STREAM OUT AS SELECT S.ID, NAME FROM S JOIN T ON S.NAME = T.LABEL;'), {
      message: /stream-table joins require to join on the table's primary key\. Got S\.NAME = T\.LABEL\./,
    });
    t.throws(() => run.execute('CREATE STREAM OUT AS SELECT NAME, LABEL FROM S JOIN T ON S.ID = T.ID;'), {
      message: /must include the join expressions S\.ID or T\.ID in its projection/,
    });
  });
});

const LEFT = "CREATE STREAM L (ID INT KEY, A STRING) WITH (KAFKA_TOPIC='l', PARTITIONS=1, VALUE_FORMAT='JSON');";
const RIGHT = "CREATE STREAM R (ID INT KEY, B STRING) WITH (KAFKA_TOPIC='r', PARTITIONS=1, VALUE_FORMAT='JSON');";

test('a stream-stream inner join joins records of a key within the window, at the later timestamp', (t) => {
  withEngine((run) => {
    run.execute(`${LEFT} ${RIGHT} CREATE STREAM OUT AS SELECT L.ID, A, B FROM L JOIN R WITHIN 10 SECONDS ON L.ID = R.ID;`);
    run.execute("INSERT INTO L (ROWTIME, ID, A) VALUES (1000, 1, 'a');");
    run.execute("INSERT INTO R (ROWTIME, ID, B) VALUES (5000, 1, 'b');");
    run.execute("INSERT INTO R (ROWTIME, ID, B) VALUES (20000, 1, 'late');");
    t.deepEqual(run.values('OUT'), ['{"A":"a","B":"b"}']);
  });
});

test('a stream-stream left join without GRACE PERIOD emits an unmatched left record at once', (t) => {
  withEngine((run) => {
    run.execute(`${LEFT} ${RIGHT} CREATE STREAM OUT AS SELECT L.ID, A, B FROM L LEFT JOIN R WITHIN 10 SECONDS ON L.ID = R.ID;`);
    run.execute("INSERT INTO L (ROWTIME, ID, A) VALUES (1000, 1, 'a');");
    run.execute("INSERT INTO R (ROWTIME, ID, B) VALUES (2000, 1, 'b');");
    t.deepEqual(run.values('OUT'), ['{"A":"a","B":null}', '{"A":"a","B":"b"}']);
  });
});

test('a stream-stream left join with a GRACE PERIOD emits an unmatched left record only when its window closes', (t) => {
  withEngine((run) => {
    run.execute(`${LEFT} ${RIGHT} CREATE STREAM OUT AS SELECT L.ID, A, B FROM L LEFT JOIN R WITHIN 10 SECONDS GRACE PERIOD 0 SECONDS ON L.ID = R.ID;`);
    run.execute("INSERT INTO L (ROWTIME, ID, A) VALUES (1000, 1, 'a');");
    run.execute("INSERT INTO L (ROWTIME, ID, A) VALUES (2000, 2, 'x');");
    run.execute("INSERT INTO R (ROWTIME, ID, B) VALUES (3000, 2, 'y');");
    t.deepEqual(run.values('OUT'), ['{"A":"x","B":"y"}']);
    run.execute("INSERT INTO R (ROWTIME, ID, B) VALUES (30000, 3, 'z');");
    t.deepEqual(run.values('OUT'), ['{"A":"x","B":"y"}', '{"A":"a","B":null}']);
  });
});

test('a three-way join chains joins left to right, each on the key the one before produced', (t) => {
  withEngine((run) => {
    run.execute(`${STREAM} ${TABLE} ${TABLE2} CREATE STREAM OUT AS SELECT S.ID, NAME, LABEL, SCORE FROM S JOIN T ON S.ID = T.ID LEFT JOIN U ON T.ID = U.ID;`);
    run.execute("INSERT INTO T (ID, LABEL) VALUES (1, 'one');");
    run.execute('INSERT INTO U (ID, SCORE) VALUES (1, 10);');
    run.execute("INSERT INTO S (ID, REF, NAME) VALUES (1, 0, 'a');");
    run.execute("INSERT INTO T (ID, LABEL) VALUES (2, 'two');");
    run.execute("INSERT INTO S (ID, REF, NAME) VALUES (2, 0, 'b');");
    t.deepEqual(run.values('OUT'), ['{"NAME":"a","LABEL":"one","SCORE":10}', '{"NAME":"b","LABEL":"two","SCORE":null}']);
  });
});

test('a source may appear only once in an n-way join', (t) => {
  withEngine((run) => {
    run.execute(`${STREAM} ${TABLE}`);
    t.throws(() => run.execute('CREATE STREAM OUT AS SELECT S.ID, NAME FROM S JOIN T ON S.ID = T.ID JOIN T ON S.ID = T.ID;'), {
      message: /N-way joins do not support multiple occurrences of the same source\. Source: 'T'/,
    });
  });
});

test('a foreign-key table-table join keeps the left key and follows changes of the right row it points to', (t) => {
  withEngine((run) => {
    run.execute("CREATE TABLE O (OID INT PRIMARY KEY, UID INT, ITEM STRING) WITH (KAFKA_TOPIC='o', PARTITIONS=1, VALUE_FORMAT='JSON');");
    run.execute(`${TABLE} CREATE TABLE OUT AS SELECT OID, ITEM, LABEL FROM O JOIN T ON O.UID = T.ID;`);
    run.execute("INSERT INTO T (ID, LABEL) VALUES (7, 'seven');");
    run.execute("INSERT INTO O (OID, UID, ITEM) VALUES (1, 7, 'pen');");
    run.execute("INSERT INTO O (OID, UID, ITEM) VALUES (2, 8, 'cup');");
    run.execute("INSERT INTO O (OID, UID, ITEM) VALUES (3, 7, 'ink');");
    run.execute("INSERT INTO T (ID, LABEL) VALUES (7, 'SEVEN');");
    t.deepEqual(run.values('OUT'), [
      '{"ITEM":"pen","LABEL":"seven"}', '{"ITEM":"ink","LABEL":"seven"}', '{"ITEM":"pen","LABEL":"SEVEN"}', '{"ITEM":"ink","LABEL":"SEVEN"}',
    ]);
  });
});

test('a foreign-key join must project the left table\'s key', (t) => {
  withEngine((run) => {
    run.execute("CREATE TABLE O (OID INT PRIMARY KEY, UID INT, ITEM STRING) WITH (KAFKA_TOPIC='o', PARTITIONS=1, VALUE_FORMAT='JSON');");
    run.execute(TABLE);
    t.throws(() => run.execute('CREATE TABLE OUT AS SELECT ITEM, LABEL FROM O JOIN T ON O.UID = T.ID;'), {
      message: /Primary key column missing in projection\. For foreign-key table-table joins, the projection must include all primary key columns from the left input table \(`O`\)\. Missing column: `OID`\./,
    });
  });
});

test('with several partitions, a stream re-keyed for a join meets every table key in the partition that holds it', (t) => {
  withTempEngine(({ broker, engine, scheduler }) => {
    engine.execute("CREATE STREAM S4 (ID INT KEY, REF INT) WITH (KAFKA_TOPIC='s4', PARTITIONS=4, VALUE_FORMAT='JSON');");
    engine.execute("CREATE TABLE T4 (ID INT PRIMARY KEY, LABEL STRING) WITH (KAFKA_TOPIC='t4', PARTITIONS=4, VALUE_FORMAT='JSON');");
    engine.execute('CREATE STREAM OUT4 AS SELECT S4.REF, S4.ID AS SID, LABEL FROM S4 JOIN T4 ON S4.REF = T4.ID;');
    for (let id = 0; id < 40; id++) engine.execute(`INSERT INTO T4 (ID, LABEL) VALUES (${id}, 'label-${id}');`);
    scheduler.runUntilIdle();
    for (let id = 0; id < 40; id++) engine.execute(`INSERT INTO S4 (ID, REF) VALUES (${1000 + id}, ${(id * 7) % 40});`);
    scheduler.runUntilIdle();
    const rows = [0, 1, 2, 3].flatMap((p) => broker.read('OUT4', p, 0, { maxRecords: 1000 }).map((r) => JSON.parse(r.value!.toString()) as { SID: number; LABEL: string }));
    t.is(rows.length, 40);
    for (const row of rows) t.is(row.LABEL, `label-${((row.SID - 1000) * 7) % 40}`);
  }, { properties: { 'auto.offset.reset': 'earliest' } });
});

test('a join whose left side is an outer join on a synthetic key runs in its own sub-topology, with its own stream time', (t) => {
  withEngine((run) => {
    run.execute([
      "CREATE STREAM S1 (ID INT KEY, V0 BIGINT) WITH (KAFKA_TOPIC='left', PARTITIONS=1, VALUE_FORMAT='JSON');",
      "CREATE STREAM S2 (ID INT KEY, V0 BIGINT) WITH (KAFKA_TOPIC='right', PARTITIONS=1, VALUE_FORMAT='JSON');",
      "CREATE STREAM S3 (ID INT KEY, V0 BIGINT) WITH (KAFKA_TOPIC='right2', PARTITIONS=1, VALUE_FORMAT='JSON');",
      'CREATE STREAM OUT AS SELECT ROWKEY, S1.V0, S2.V0, S3.V0 FROM S1 FULL OUTER JOIN S2 WITHIN 5 SECONDS ON S1.ID = S2.ID',
      '  FULL OUTER JOIN S3 WITHIN 10 SECONDS ON S1.ID = S3.ID;',
    ].join('\n'));
    run.execute('INSERT INTO S1 (ID, V0) VALUES (0, 1);');
    run.execute('INSERT INTO S2 (ID, V0) VALUES (0, 2);');
    t.deepEqual(run.values('OUT'), ['{"S1_V0":1,"S2_V0":null,"S3_V0":null}', '{"S1_V0":1,"S2_V0":2,"S3_V0":null}']);
  });
});
