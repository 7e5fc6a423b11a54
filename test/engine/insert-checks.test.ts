import test from 'ava';
import { withTempEngine } from '../helpers/temp-engine.js';

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
