import test from 'ava';
import { declare } from './declare.js';

const WITH_HEADER = "CREATE STREAM S (K STRING KEY, H BYTES HEADER('h'), V BIGINT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');";

test('INSERT VALUES cannot set headers columns, named or implied by a missing column list', (t) => {
  t.is(declare(`${WITH_HEADER} INSERT INTO S VALUES ('a', NULL, 1);`), 'Cannot insert into HEADER columns: H');
  t.is(declare(`${WITH_HEADER} INSERT INTO S (K, H) VALUES ('a', NULL);`), 'Cannot insert into HEADER columns: H');
  t.true(declare(`${WITH_HEADER} INSERT INTO S (K, V) VALUES ('a', 1);`) instanceof Map);
});

test('INSERT INTO ... SELECT cannot write a stream with headers columns', (t) => {
  t.is(declare(`${WITH_HEADER} CREATE STREAM T (K STRING KEY, H BYTES, V BIGINT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON'); INSERT INTO S SELECT * FROM T;`),
    'Cannot insert into S because it has header columns');
});

test('an unknown INSERT target names a source that differs only in case', (t) => {
  t.is(declare("CREATE STREAM \"lower\" (V INT) WITH (KAFKA_TOPIC='l', VALUE_FORMAT='JSON'); INSERT INTO lower (V) VALUES (1);"),
    'Cannot insert values into an unknown stream/table: `LOWER`\nDid you mean "lower"? Hint: wrap the source name in double quotes to make it case-sensitive.');
  t.is(declare("CREATE STREAM upper (V INT) WITH (KAFKA_TOPIC='u', VALUE_FORMAT='JSON'); INSERT INTO \"upper\" (V) VALUES (1);"),
    'Cannot insert values into an unknown stream/table: `upper`\nDid you mean UPPER? Hint: try removing double quotes from the source name.');
  t.is(declare('INSERT INTO NOPE (V) VALUES (1);'), 'Cannot insert values into an unknown stream/table: `NOPE`');
});
