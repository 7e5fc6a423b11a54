import test from 'ava';
import { formatLogicalSchema } from '../../src/schema/logical-schema.js';
import { declare, source } from './declare.js';

const STREAM = "CREATE STREAM S (K STRING KEY, V INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');";

test('ALTER ... ADD COLUMN appends value columns to a declared source', (t) => {
  const s = source(`${STREAM} ALTER STREAM S ADD COLUMN W BIGINT, ADD COLUMN X ARRAY<STRING>;`, 'S');
  t.is(formatLogicalSchema(s.schema), '`K` STRING KEY, `V` INTEGER, `W` BIGINT, `X` ARRAY<STRING>');
  t.is(s.statementText, 'ALTER STREAM S ADD COLUMN W BIGINT, ADD COLUMN X ARRAY<STRING>;');
});

test('ALTER is refused for unknown sources, the other kind, source streams, C*AS sinks and existing names', (t) => {
  t.is(declare('ALTER STREAM NOPE ADD COLUMN W INT;'), 'Source NOPE does not exist.');
  t.is(declare(`${STREAM} ALTER TABLE S ADD COLUMN W INT;`), 'Incompatible data source type is STREAM, but statement was ALTER TABLE');
  t.is(declare("CREATE SOURCE STREAM R (V INT) WITH (KAFKA_TOPIC='r', VALUE_FORMAT='JSON'); ALTER STREAM R ADD COLUMN W INT;"),
    "Cannot alter stream 'R': ALTER operations are not supported on source streams.");
  t.is(declare(`${STREAM} CREATE STREAM O AS SELECT * FROM S; ALTER STREAM O ADD COLUMN W INT;`),
    'ALTER command is not supported for CREATE ... AS statements.');
  t.is(declare(`${STREAM} ALTER STREAM S ADD COLUMN V STRING;`),
    'Cannot add column `V` to schema. A column with the same name already exists.');
});

test('CREATE OR REPLACE is refused for source streams and tables, new or not', (t) => {
  t.is(declare("CREATE OR REPLACE SOURCE STREAM R (V INT) WITH (KAFKA_TOPIC='r', VALUE_FORMAT='JSON');"),
    "Cannot add stream 'R': CREATE OR REPLACE is not supported on source streams.");
  t.is(declare("CREATE OR REPLACE SOURCE TABLE R (K INT PRIMARY KEY, V INT) WITH (KAFKA_TOPIC='r', VALUE_FORMAT='JSON');"),
    "Cannot add table 'R': CREATE OR REPLACE is not supported on source tables.");
});

test('the TIMESTAMP column of a C*AS is checked against the projection before the key is required in it', (t) => {
  const base = "CREATE STREAM S (K STRING KEY, ID BIGINT, TS INT, TEXT STRING) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');";
  t.is(declare(`${base} CREATE STREAM O WITH (TIMESTAMP='nope') AS SELECT ID FROM S;`),
    "The TIMESTAMP column set in the WITH clause does not exist in the schema: 'NOPE'");
  t.is(declare(`${base} CREATE STREAM O WITH (TIMESTAMP='ts') AS SELECT K, TS FROM S;`),
    'Timestamp column, `TS`, should be LONG(INT64), TIMESTAMP, or a String with a timestamp_format specified.');
  t.deepEqual(source(`${base} CREATE STREAM O WITH (TIMESTAMP='text', TIMESTAMP_FORMAT='yyyy') AS SELECT K, TEXT FROM S;`, 'O').timestampColumn,
    { column: 'TEXT', format: 'yyyy' });
  t.regex(String(declare(`${base} CREATE STREAM O WITH (TIMESTAMP='id') AS SELECT ID FROM S;`)), /must include the key column K/);
});

test('a STRING TIMESTAMP column needs a TIMESTAMP_FORMAT, and only a STRING one takes it (TimestampExtractionPolicyFactory)', (t) => {
  const base = "CREATE STREAM S (K STRING KEY, ID BIGINT, TS TIMESTAMP, TEXT STRING) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');";
  t.is(declare("CREATE STREAM X (K STRING KEY, TEXT STRING) WITH (KAFKA_TOPIC='x', VALUE_FORMAT='JSON', TIMESTAMP='text');"),
    'A String timestamp field has been specified without also specifying the timestamp_format');
  t.is(declare(`${base} CREATE STREAM O WITH (TIMESTAMP='text') AS SELECT K, TEXT FROM S;`),
    'A String timestamp field has been specified without also specifying the timestamp_format');
  const onlyString = "'TIMESTAMP_FORMAT' set in the WITH clause can only be used when the timestamp column in of type STRING.";
  t.is(declare("CREATE STREAM X (K STRING KEY, ID BIGINT) WITH (KAFKA_TOPIC='x', VALUE_FORMAT='JSON', TIMESTAMP='id', TIMESTAMP_FORMAT='yyyy');"), onlyString);
  t.is(declare(`${base} CREATE STREAM O WITH (TIMESTAMP='ts', TIMESTAMP_FORMAT='yyyy') AS SELECT K, TS FROM S;`), onlyString);
  t.is(source(`${base} CREATE STREAM O WITH (TIMESTAMP='ts') AS SELECT K, TS FROM S;`, 'O').timestampColumn?.column, 'TS');
});

test('a TIMESTAMP_FORMAT that Java cannot read as a pattern is refused with the WITH clause, in CREATE and C*AS alike', (t) => {
  const refused = 'Failed to prepare statement: Invalid datatime format for config:TIMESTAMP_FORMAT, reason:Unknown pattern letter: i';
  t.is(declare("CREATE STREAM X (K STRING KEY, TEXT STRING) WITH (KAFKA_TOPIC='x', VALUE_FORMAT='JSON', TIMESTAMP='text', TIMESTAMP_FORMAT='invalid');"), refused);
  t.is(declare(`${STREAM} CREATE STREAM O WITH (TIMESTAMP_FORMAT='invalid') AS SELECT * FROM S;`), refused);
  t.regex(String(declare("CREATE STREAM X (K STRING KEY) WITH (KAFKA_TOPIC='x', VALUE_FORMAT='JSON', TIMESTAMP_FORMAT='yyyy]');")),
    /reason:Pattern invalid as it contains \] without previous \[/);
  // Letters Java knows (week-based year, week of year) are not refused at declaration.
  t.is(source("CREATE STREAM X (K STRING KEY, TEXT STRING) WITH (KAFKA_TOPIC='x', VALUE_FORMAT='JSON', TIMESTAMP='text', TIMESTAMP_FORMAT='YYYY-ww');", 'X')
    .timestampColumn?.format, 'YYYY-ww');
});
