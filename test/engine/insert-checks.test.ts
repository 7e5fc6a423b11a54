import test from 'ava';
import { withTempEngine } from '../helpers/temp-engine.js';
import { createRowInserter } from '../../src/engine/insert-row.js';

test('INSERT VALUES without a column list is refused when the stream has header columns, which it names', (t) => {
  withTempEngine(({ engine }) => {
    engine.execute("CREATE STREAM H (K STRING KEY, H1 BYTES HEADER('a'), V BIGINT, H2 ARRAY<STRUCT<KEY STRING, VALUE BYTES>> HEADERS) WITH (KAFKA_TOPIC='h', PARTITIONS=1, VALUE_FORMAT='JSON');");
    t.throws(() => engine.execute("INSERT INTO H VALUES ('k', NULL, 1, NULL);"), { message: 'Cannot insert into HEADER columns: H1, H2' });
    engine.execute("INSERT INTO H (K, V) VALUES ('k', 1);");
    t.is(engine.broker.latestOffset('h', 0), 1);
  });
});

test('INSERT INTO ... SELECT is refused when the target has header columns', (t) => {
  withTempEngine(({ engine }) => {
    engine.execute("CREATE STREAM H (K STRING KEY, H1 BYTES HEADER('a'), V BIGINT) WITH (KAFKA_TOPIC='h', PARTITIONS=1, VALUE_FORMAT='JSON');");
    engine.execute("CREATE STREAM S (K STRING KEY, H1 BYTES, V BIGINT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='JSON');");
    t.throws(() => engine.execute('INSERT INTO H SELECT * FROM S;'), { message: 'Cannot insert into H because it has header columns' });
  });
});

test('inserting into a name that exists only in another case hints at the quoting', (t) => {
  withTempEngine(({ engine }) => {
    engine.execute("CREATE STREAM \"lower\" (V INT) WITH (KAFKA_TOPIC='l', PARTITIONS=1, VALUE_FORMAT='JSON');");
    engine.execute("CREATE STREAM UPPER (V INT) WITH (KAFKA_TOPIC='u', PARTITIONS=1, VALUE_FORMAT='JSON');");
    t.throws(() => engine.execute('INSERT INTO lower (V) VALUES (1);'), {
      message: 'Cannot insert values into an unknown stream/table: `LOWER`\nDid you mean "lower"? Hint: wrap the source name in double quotes to make it case-sensitive.',
    });
    t.throws(() => engine.execute('INSERT INTO "upper" (V) VALUES (1);'), {
      message: 'Cannot insert values into an unknown stream/table: `upper`\nDid you mean UPPER? Hint: try removing double quotes from the source name.',
    });
    t.throws(() => engine.execute('INSERT INTO NOWHERE (V) VALUES (1);'), { message: 'Cannot insert values into an unknown stream/table: `NOWHERE`' });
  });
});

test('INSERT INTO ... SELECT into a missing source names it with the position of its name', (t) => {
  withTempEngine(({ engine }) => {
    engine.execute("CREATE STREAM S (K STRING KEY, V BIGINT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='JSON');");
    t.throws(() => engine.execute('INSERT INTO Nowhere SELECT * FROM S;'), { message: 'Line: 1, Col: 13: Source `NOWHERE` does not exist.' });
  });
});

test('INSERT VALUES refuses a number its column type cannot hold, as ksqlDB does, and takes the edge values', (t) => {
  withTempEngine(({ engine, broker }) => {
    engine.execute("CREATE STREAM S (K STRING KEY, I INT, B BIGINT, D DECIMAL(4, 2)) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='JSON');");
    const refused: [string, string][] = [
      ["INSERT INTO S (K, I) VALUES ('a', 3000000000);", 'Expected type INTEGER for field I but got BIGINT(3000000000)'],
      ["INSERT INTO S (K, I) VALUES ('a', -2147483649);", 'Expected type INTEGER for field I but got BIGINT(-2147483649)'],
      ["INSERT INTO S (K, B) VALUES ('a', 99999999999999999999999.0);", 'Expected type BIGINT for field B but got DECIMAL(99999999999999999999999.0)'],
      ["INSERT INTO S (K, B) VALUES ('a', 1e30);", 'Expected type BIGINT for field B but got DOUBLE(1.0E30)'],
      ["INSERT INTO S (K, I) VALUES ('a', 1e30);", 'Expected type INTEGER for field I but got DOUBLE(1.0E30)'],
      ["INSERT INTO S (K, D) VALUES ('a', 12.345);", 'Expected type DECIMAL(4, 2) for field D but got DECIMAL(12.345)'],
      ["INSERT INTO S (K, D) VALUES ('a', 100);", 'Expected type DECIMAL(4, 2) for field D but got INTEGER(100)'],
    ];
    for (const [sql, reason] of refused) {
      t.throws(() => engine.execute(sql), { message: `Failed to insert values into 'S'. ${reason}` }, sql);
    }
    t.throws(() => engine.execute("INSERT INTO S (K, B) VALUES ('a', 99999999999999999999999);"), { message: /Invalid numeric literal: 99999999999999999999999/ });
    t.is(broker.latestOffset('s', 0), 0, 'nothing was written');
    engine.execute("INSERT INTO S (K, I, B, D) VALUES ('min', -2147483648, -9223372036854775808, -99.99);");
    engine.execute("INSERT INTO S (K, I, B, D) VALUES ('max', 2147483647, 9223372036854775807, 12.3);");
    engine.execute("INSERT INTO S (K, B, D) VALUES ('wide', 2147483647, 10.010);");
    const values = broker.read('s', 0, 0, { maxRecords: 10 }).map((r) => r.value!.toString());
    t.deepEqual(values, [
      '{"I":-2147483648,"B":-9223372036854775808,"D":-99.99}',
      '{"I":2147483647,"B":9223372036854775807,"D":12.30}',
      '{"I":null,"B":2147483647,"D":10.01}',
    ]);
  });
});

test('INSERT VALUES converts only as ksqlDB\'s strict coercer does: no text to numbers or BOOLEAN, nothing to text; text reads as a time or base64 BYTES', (t) => {
  withTempEngine(({ engine, broker }) => {
    engine.execute("CREATE STREAM S (K STRING KEY, I INT, F BOOLEAN, S STRING, TS TIMESTAMP, DT DATE, BY_ BYTES) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='JSON');");
    const refused: [string, string][] = [
      ["INSERT INTO S (K, I) VALUES ('a', '5');", 'Expected type INTEGER for field I but got STRING(5)'],
      ["INSERT INTO S (K, F) VALUES ('a', 'true');", 'Expected type BOOLEAN for field F but got STRING(true)'],
      ["INSERT INTO S (K, S) VALUES ('a', 5);", 'Expected type STRING for field S but got INTEGER(5)'],
      ["INSERT INTO S (K, TS) VALUES ('a', 1000);", 'Expected type TIMESTAMP for field TS but got INTEGER(1000)'],
      ["INSERT INTO S (K, TS) VALUES ('a', 'not a time');", 'Expected type TIMESTAMP for field TS but got STRING(not a time)'],
    ];
    for (const [sql, reason] of refused) {
      t.throws(() => engine.execute(sql), { message: `Failed to insert values into 'S'. ${reason}` }, sql);
    }
    t.is(broker.latestOffset('s', 0), 0, 'nothing was written');
    engine.execute("INSERT INTO S (K, TS, DT, BY_) VALUES ('b', '1970-01-01T00:00:01', '1970-01-02', 'AQI=');");
    t.deepEqual(broker.read('s', 0, 0, { maxRecords: 10 }).map((r) => r.value!.toString()), [
      '{"I":null,"F":null,"S":null,"TS":1000,"DT":1,"BY_":"AQI="}',
    ]);
  });
});

test('inserting into a windowed table or stream is refused with ksqlDB\'s messages and writes nothing', (t) => {
  withTempEngine(({ engine }) => {
    engine.execute("CREATE STREAM S (A STRING KEY, V BIGINT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='JSON');");
    engine.execute('CREATE TABLE WC AS SELECT A, COUNT(*) AS C FROM S WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY A;');
    engine.execute("CREATE STREAM WS (A STRING KEY, C BIGINT) WITH (KAFKA_TOPIC='ws', PARTITIONS=1, VALUE_FORMAT='JSON', WINDOW_TYPE='TUMBLING', WINDOW_SIZE='1 MINUTE');");
    const before = engine.broker.latestOffset('WC', 0);
    t.throws(() => engine.execute("INSERT INTO WC (A, C) VALUES ('x', 1);"), { message: 'Cannot insert values into windowed stream/table!' });
    t.throws(() => engine.execute("INSERT INTO WS (A, C) VALUES ('x', 1);"), { message: 'Cannot insert values into windowed stream/table!' });
    t.is(engine.broker.latestOffset('WC', 0), before);
    t.is(engine.broker.latestOffset('ws', 0), 0);
    t.throws(() => createRowInserter(engine, 'WS'), { message: 'Cannot insert values into windowed stream' });
  });
});

test('INSERT INTO ... SELECT whose query makes a table is refused by kind before its schema is compared', (t) => {
  withTempEngine(({ engine }) => {
    engine.execute("CREATE STREAM S (K STRING KEY, V BIGINT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='JSON');");
    engine.execute('CREATE STREAM D AS SELECT * FROM S;');
    engine.execute('CREATE TABLE T AS SELECT K, COUNT(*) AS V FROM S GROUP BY K;');
    t.throws(() => engine.execute('INSERT INTO D SELECT K, COUNT(*) AS V FROM S GROUP BY K;'), {
      message: 'Incompatible data sink and query result. Data sink (D) type is KSTREAM but select query result is KTABLE.',
    });
    t.throws(() => engine.execute('INSERT INTO D SELECT * FROM T;'), {
      message: 'Incompatible data sink and query result. Data sink (D) type is KSTREAM but select query result is KTABLE.',
    });
  });
});

test('the WITH clause of INSERT INTO ... SELECT takes QUERY_ID only, checked before the target is looked up', (t) => {
  withTempEngine(({ engine }) => {
    engine.execute("CREATE STREAM S (K STRING KEY, V BIGINT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='JSON');");
    t.throws(() => engine.execute("INSERT INTO S WITH (KAFKA_TOPIC='x') SELECT * FROM S;"), {
      message: 'Failed to prepare statement: Invalid config variable(s) in the WITH clause: KAFKA_TOPIC',
    });
    t.throws(() => engine.execute("INSERT INTO NOWHERE WITH (PARTITIONS=2) SELECT * FROM S;"), {
      message: 'Failed to prepare statement: Invalid config variable(s) in the WITH clause: PARTITIONS',
    });
    engine.execute("INSERT INTO S WITH (QUERY_ID='mine') SELECT * FROM S;");
    t.truthy(engine.getQuery('MINE'));
  });
});

test('INSERT VALUES with a column list of another length than its values is refused as ksqlDB prepares it, whatever the target', (t) => {
  withTempEngine(({ engine, broker }) => {
    engine.execute("CREATE STREAM TEST (K STRING KEY, ID INT) WITH (KAFKA_TOPIC='test_topic', PARTITIONS=1, VALUE_FORMAT='JSON');");
    t.throws(() => engine.execute("INSERT INTO TEST (K, ID) VALUES ('10');"), { message: 'Failed to prepare statement: Expected number columns and values to match: 2, 1' });
    t.throws(() => engine.execute("INSERT INTO NOWHERE (K) VALUES ('10', 1);"), { message: 'Failed to prepare statement: Expected number columns and values to match: 1, 2' });
    // Without a column list, every column needs its value: that is the executor's check, naming them.
    t.throws(() => engine.execute("INSERT INTO TEST VALUES ('10');"), { message: 'Expected a value for each column. Expected Columns: [K, ID]. Got [?]' });
    t.is(broker.latestOffset('test_topic', 0), 0);
  });
});

test("INSERT VALUES refuses ksqlDB's read-only topics: the processing log's, its internal ones and ksql.readonly.topics", (t) => {
  withTempEngine(({ engine, broker }) => {
    const refused = ['default_ksql_processing_log', '_confluent-ksql-default_query_X-changelog', '_schemas', '_confluent-metrics', 'connect-offsets'];
    refused.forEach((topic, i) => {
      engine.execute(`CREATE STREAM R${i} (V INT) WITH (KAFKA_TOPIC='${topic}', PARTITIONS=1, VALUE_FORMAT='JSON');`);
      t.throws(() => engine.execute(`INSERT INTO R${i} (V) VALUES (1);`), { message: `Cannot insert values into read-only topic: ${topic}` });
      t.is(broker.latestOffset(topic, 0), 0);
    });
    engine.execute("CREATE STREAM OK (V INT) WITH (KAFKA_TOPIC='my_schemas', PARTITIONS=1, VALUE_FORMAT='JSON');");
    engine.execute('INSERT INTO OK (V) VALUES (1);');
    t.is(broker.latestOffset('my_schemas', 0), 1);
  });
  withTempEngine(({ engine, broker }) => {
    // The list replaces the default one, each entry matching whole names.
    engine.execute("CREATE STREAM SECRET (V INT) WITH (KAFKA_TOPIC='secret.one', PARTITIONS=1, VALUE_FORMAT='JSON');");
    engine.execute("CREATE STREAM SCHEMAS (V INT) WITH (KAFKA_TOPIC='_schemas', PARTITIONS=1, VALUE_FORMAT='JSON');");
    t.throws(() => engine.execute('INSERT INTO SECRET (V) VALUES (1);'), { message: 'Cannot insert values into read-only topic: secret.one' });
    engine.execute('INSERT INTO SCHEMAS (V) VALUES (1);');
    t.is(broker.latestOffset('_schemas', 0), 1);
  }, { properties: { 'ksql.readonly.topics': 'secret\\..*' } });
});

test('a server with ksql.insert.into.values.enabled=false refuses INSERT VALUES with ksqlDB message, and writes nothing', (t) => {
  for (const disabled of [false, 'false']) {
    withTempEngine(({ engine, broker }) => {
      engine.execute("CREATE STREAM S (K STRING KEY, V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='JSON');");
      t.throws(() => engine.execute("INSERT INTO S (K, V) VALUES ('a', 1);"), {
        message: "The server has disabled INSERT INTO ... VALUES functionality. To enable it, restart your ksqlDB server with 'ksql.insert.into.values.enabled'=true",
      });
      t.is(broker.latestOffset('s', 0), 0);
    }, { properties: { 'ksql.insert.into.values.enabled': disabled } });
  }
});
