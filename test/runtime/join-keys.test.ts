import test from 'ava';
import { withTempEngine } from '../helpers/temp-engine.js';
import { withEngine } from './engine-helper.js';

const stream = (name: string): string => `CREATE STREAM ${name} (ID INT KEY, V0 BIGINT) WITH (KAFKA_TOPIC='${name.toLowerCase()}', PARTITIONS=1, VALUE_FORMAT='JSON');`;

test('an n-way join on an expression the earlier join already joined on keeps that key: no repartition, the first key stays viable', (t) => {
  withEngine((run) => {
    run.execute(`${stream('S1')} ${stream('S2')} ${stream('S3')}
      CREATE STREAM OUT AS SELECT S1.ID, S1.V0, S2.V0, S3.V0 FROM S1 JOIN S2 WITHIN 10 SECONDS ON S1.ID = ABS(S2.ID)
        JOIN S3 WITHIN 10 SECONDS ON ABS(S2.ID) = ABS(S3.ID);`);
    run.execute('INSERT INTO S3 (ID, V0) VALUES (0, 3);');
    run.execute('INSERT INTO S2 (ID, V0) VALUES (0, 2);');
    run.execute('INSERT INTO S1 (ID, V0) VALUES (0, 1);');
    t.deepEqual(run.values('OUT'), ['{"S1_V0":1,"S2_V0":2,"S3_V0":3}']);
  });
});

test('repartition topics of joins are named as ksqlDB names them, each level of an n-way join below the last prefixed L_', (t) => {
  withTempEngine(({ engine }) => {
    engine.execute(`${stream('S1')} ${stream('S2')} ${stream('S3')}
      CREATE TABLE T (ID BIGINT PRIMARY KEY, V1 BIGINT) WITH (KAFKA_TOPIC='t', PARTITIONS=1, VALUE_FORMAT='JSON');
      CREATE STREAM A AS SELECT S1.V0 AS K, S1.ID AS I, T.V1 FROM S1 JOIN T ON S1.V0 = T.ID;
      CREATE STREAM B AS SELECT S1.V0 AS K, S2.V0, S3.V0 FROM S1 JOIN S2 WITHIN 1 SECOND ON S1.V0 = S2.V0 JOIN S3 WITHIN 1 SECOND ON S1.V0 = S3.V0;`);
    const topics = (sink: string): string[] => [...engine.listQueries().find((q) => q.sinkName === sink)!.internalTopics].map((n) => n.replace(/^.*query_[A-Z0-9_]+?_\d+-/, ''))
      .filter((n) => n.endsWith('-repartition')).sort();
    t.deepEqual(topics('A'), ['Join-repartition']);
    t.deepEqual(topics('B'), ['Join-right-repartition', 'L_Join-left-repartition', 'L_Join-right-repartition']);
  });
});

test('an n-way join after a foreign-key join names the left table key as the join expression a projection lacks', (t) => {
  withTempEngine(({ engine }) => {
    engine.execute(`CREATE TABLE L (ID1 BIGINT PRIMARY KEY, F1 BIGINT) WITH (KAFKA_TOPIC='l', PARTITIONS=1, FORMAT='JSON');
      CREATE TABLE M (ID2 BIGINT PRIMARY KEY, F2 BIGINT) WITH (KAFKA_TOPIC='m', PARTITIONS=1, FORMAT='JSON');
      CREATE TABLE R (ID3 BIGINT PRIMARY KEY, F3 BIGINT) WITH (KAFKA_TOPIC='r', PARTITIONS=1, FORMAT='JSON');`);
    const error = t.throws(() => engine.execute('CREATE TABLE OUT AS SELECT F1, F2, F3 FROM L JOIN M ON F1 = ID2 JOIN R ON ID1 = ID3;'));
    t.regex(error!.message, /must include the join expressions L\.ID1 or R\.ID3 in its projection \(eg, SELECT L\.ID1\.\.\.\)\./);
  });
});

test('a side whose key format differs from the join\'s is repartitioned into it, and the join still meets its rows', (t) => {
  withTempEngine(({ engine, broker, scheduler }) => {
    engine.execute(`CREATE STREAM S1 (ID INT KEY, FOO INT) WITH (KAFKA_TOPIC='s1', PARTITIONS=1, KEY_FORMAT='DELIMITED', VALUE_FORMAT='JSON');
      CREATE STREAM S2 (ID INT KEY, VAL STRING) WITH (KAFKA_TOPIC='s2', PARTITIONS=1, KEY_FORMAT='KAFKA', VALUE_FORMAT='JSON');
      CREATE TABLE T (ID INT PRIMARY KEY, LABEL STRING) WITH (KAFKA_TOPIC='t', PARTITIONS=1, KEY_FORMAT='KAFKA', VALUE_FORMAT='JSON');
      CREATE STREAM SS AS SELECT S1.ID, S2.VAL FROM S1 JOIN S2 WITHIN 10 SECONDS ON S1.ID = S2.ID;
      CREATE STREAM ST AS SELECT S1.ID, T.LABEL FROM S1 JOIN T ON S1.ID = T.ID;`);
    const topics = (sink: string): string[] => [...engine.listQueries().find((q) => q.sinkName === sink)!.internalTopics]
      .map((n) => n.replace(/^.*query_[A-Z0-9_]+?_\d+-/, '')).filter((n) => n.endsWith('-repartition'));
    t.deepEqual(topics('SS'), ['Join-right-repartition']);
    t.deepEqual(topics('ST'), ['RightSourceKeyed-SelectKey-repartition']);
    engine.execute(`INSERT INTO S2 (ID, VAL) VALUES (10, 'hello'); INSERT INTO T (ID, LABEL) VALUES (10, 'ten');`);
    scheduler.runUntilIdle();
    engine.execute('INSERT INTO S1 (ID, FOO) VALUES (10, 22);');
    scheduler.runUntilIdle();
    const values = (topic: string): string[] => broker.read(topic, 0, 0, { maxRecords: 10 }).map((r) => `${r.key!.toString()}:${r.value!.toString()}`);
    t.deepEqual(values('SS'), ['10:{"VAL":"hello"}']);
    t.deepEqual(values('ST'), ['10:{"LABEL":"ten"}']);
  }, { properties: { 'auto.offset.reset': 'earliest' } });
});

test('with a key format read from a schema registry both tables are repartitioned, and deletions pass through', (t) => {
  withTempEngine(({ engine, broker, scheduler }) => {
    engine.execute(`CREATE TABLE T1 (ID BIGINT PRIMARY KEY, NAME STRING) WITH (KAFKA_TOPIC='t1', PARTITIONS=1, KEY_FORMAT='AVRO', VALUE_FORMAT='JSON');
      CREATE TABLE T2 (ID BIGINT PRIMARY KEY, F1 STRING) WITH (KAFKA_TOPIC='t2', PARTITIONS=1, KEY_FORMAT='AVRO', VALUE_FORMAT='JSON');
      CREATE TABLE OUT AS SELECT T1.ID, NAME, F1 FROM T1 LEFT JOIN T2 ON T1.ID = T2.ID;`);
    const [query] = engine.listQueries();
    t.deepEqual([...query!.internalTopics].map((n) => n.replace(/^.*query_CTAS_OUT_\d+-/, '')).filter((n) => n.endsWith('-repartition')).sort(),
      ['LeftSourceKeyed-SelectKey-repartition', 'RightSourceKeyed-SelectKey-repartition']);
    for (const sql of ["INSERT INTO T1 (ID, NAME) VALUES (0, 'zero');", "INSERT INTO T2 (ID, F1) VALUES (0, 'blah');"]) {
      engine.execute(sql);
      scheduler.runUntilIdle();
    }
    // A tombstone on the right table: the left join's row loses its right columns.
    const [t2Record] = broker.read('t2', 0, 0, { maxRecords: 1 });
    broker.append('t2', [{ key: t2Record!.key, value: null, timestamp: Date.now() }]);
    scheduler.runUntilIdle();
    t.deepEqual(broker.read('OUT', 0, 0, { maxRecords: 10 }).map((r) => r.value?.toString() ?? null),
      ['{"NAME":"zero","F1":null}', '{"NAME":"zero","F1":"blah"}', '{"NAME":"zero","F1":null}']);
  }, { properties: { 'auto.offset.reset': 'earliest' }, schemaRegistry: true });
});

test('a join key its repartition cannot write in the join key format is refused under its joined name, before the sink\'s formats', (t) => {
  withTempEngine(({ engine }) => {
    engine.execute(`CREATE STREAM L (ID STRING KEY, L0 MAP<STRING, INT>, L1 INT) WITH (KAFKA_TOPIC='l', PARTITIONS=1, FORMAT='JSON');
      CREATE STREAM R (ID STRING KEY, R0 MAP<STRING, INT>, R1 INT) WITH (KAFKA_TOPIC='r', PARTITIONS=1, FORMAT='JSON');`);
    const error = t.throws(() => engine.execute('CREATE STREAM OUT AS SELECT L.L0, L.ID, L1, R1 FROM L JOIN R WITHIN 11 SECONDS ON L.L0 = R.R0;'));
    t.regex(error!.message, /Map keys, including types that contain maps, are not supported .* Key column name: `L_L0`\. Column type: MAP<STRING, INTEGER>\./);
  });
});

test('a join on a side\'s record metadata keys by it without repeating it, and a repartitioned side keeps its source record\'s offset', (t) => {
  withEngine((run) => {
    run.execute(`CREATE STREAM A (ID INT KEY, FOO STRING, REF INT) WITH (KAFKA_TOPIC='a', PARTITIONS=1, VALUE_FORMAT='JSON');
      CREATE STREAM B (ID INT KEY, BAR STRING) WITH (KAFKA_TOPIC='b', PARTITIONS=1, VALUE_FORMAT='JSON');
      CREATE TABLE T (ID INT PRIMARY KEY, LABEL STRING) WITH (KAFKA_TOPIC='t', PARTITIONS=1, VALUE_FORMAT='JSON');
      CREATE STREAM BY_PARTITION AS SELECT FOO, BAR, A.ROWPARTITION AS RPA, B.ROWPARTITION AS RPB FROM A JOIN B WITHIN 5 SECONDS ON A.ROWPARTITION = B.ROWPARTITION;
      CREATE STREAM BY_REF AS SELECT A.REF, A.ROWOFFSET AS AOFFSET, LABEL FROM A JOIN T ON A.REF = T.ID;`);
    run.execute("INSERT INTO T (ID, LABEL) VALUES (7, 'seven');");
    // No REF: the row is not repartitioned, so the next one is the repartition topic's first record.
    run.execute("INSERT INTO A (ID, FOO) VALUES (0, 'x');");
    run.execute("INSERT INTO A (ID, FOO, REF) VALUES (0, 'a', 7);");
    run.execute("INSERT INTO B (ID, BAR) VALUES (0, 'c');");
    t.deepEqual(run.values('BY_PARTITION'), ['{"FOO":"x","BAR":"c","RPB":0}', '{"FOO":"a","BAR":"c","RPB":0}']);
    t.deepEqual(run.values('BY_REF'), ['{"AOFFSET":1,"LABEL":"seven"}']);
  });
});

test('a table-table outer join passes on the result a change replaces even when the changed side had no row, so an aggregate undoes it', (t) => {
  withEngine((run) => {
    run.execute(`CREATE TABLE T1 (ID BIGINT PRIMARY KEY, TOTAL INT) WITH (KAFKA_TOPIC='t1', PARTITIONS=1, VALUE_FORMAT='JSON');
      CREATE TABLE T2 (ID BIGINT PRIMARY KEY, TOTAL INT) WITH (KAFKA_TOPIC='t2', PARTITIONS=1, VALUE_FORMAT='JSON');
      CREATE TABLE OUT AS SELECT T1.ID, SUM(T1.TOTAL + CASE WHEN T2.TOTAL IS NULL THEN 0 ELSE T2.TOTAL END) AS SUM
        FROM T1 LEFT JOIN T2 ON T1.ID = T2.ID GROUP BY T1.ID;`);
    run.execute('INSERT INTO T1 (ID, TOTAL) VALUES (0, 100);');
    run.execute('INSERT INTO T2 (ID, TOTAL) VALUES (0, 5);');
    run.execute('INSERT INTO T2 (ID, TOTAL) VALUES (0, 20);');
    t.deepEqual(run.values('OUT'), ['{"SUM":100}', '{"SUM":105}', '{"SUM":120}']);
  });
});

test('the stores of a join\'s table sides write their changes to compacted changelog topics named as ksqlDB names them', (t) => {
  withTempEngine(({ engine, broker, scheduler }) => {
    engine.execute(`CREATE STREAM S (ID INT KEY, FOO INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, KEY_FORMAT='DELIMITED', VALUE_FORMAT='JSON');
      CREATE TABLE T (ID INT PRIMARY KEY, VAL STRING) WITH (KAFKA_TOPIC='t', PARTITIONS=1, KEY_FORMAT='KAFKA', VALUE_FORMAT='JSON');
      CREATE STREAM BY_VALUE AS SELECT S.FOO, VAL FROM S LEFT JOIN T ON S.FOO = T.ID;
      CREATE STREAM BY_KEY AS SELECT S.ID, VAL FROM S JOIN T ON S.ID = T.ID;`);
    const changelogs = (sink: string): string[] => [...engine.listQueries().find((q) => q.sinkName === sink)!.internalTopics].filter((n) => n.endsWith('-changelog'));
    const [source] = changelogs('BY_VALUE');
    const [keyed] = changelogs('BY_KEY');
    t.regex(source!, /query_CSAS_BY_VALUE_\d+-KafkaTopic_Right-Reduce-changelog$/);
    t.regex(keyed!, /query_CSAS_BY_KEY_\d+-RightSourceKeyed-Materialize-changelog$/);
    t.is(broker.describeTopic(source!).config['cleanup.policy'], 'compact');
    engine.execute("INSERT INTO T (ID, VAL) VALUES (1, 'one');");
    scheduler.runUntilIdle();
    const [record] = broker.read('t', 0, 0, { maxRecords: 1 });
    broker.append('t', [{ key: record!.key, value: null, timestamp: Date.now() }]);
    scheduler.runUntilIdle();
    for (const topic of [source!, keyed!]) {
      const written = broker.read(topic, 0, 0, { maxRecords: 10 });
      t.is(written.length, 2, topic);
      t.deepEqual(written[0]!.key, written[1]!.key);
      t.not(written[0]!.value, null);
      t.is(written[1]!.value, null);
    }
  }, { properties: { 'auto.offset.reset': 'earliest' } });
});
