import test from 'ava';
import { formatLogicalSchema } from '../../src/schema/logical-schema.js';
import { declare, source } from './declare.js';

test('the key format defaults to KAFKA, or to the configured default', (t) => {
  t.is(source("CREATE STREAM S (K INT KEY, V INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');", 'S').keyFormat.format, 'KAFKA');
  const s = source("CREATE STREAM S (K INT KEY, V INT) WITH (KAFKA_TOPIC='s');", 'S',
    { 'ksql.persistence.default.format.key': 'JSON', 'ksql.persistence.default.format.value': 'DELIMITED' });
  t.is(s.keyFormat.format, 'JSON');
  t.is(s.valueFormat.format, 'DELIMITED');
});

test('a value format is required when no default is configured', (t) => {
  t.regex(String(declare("CREATE STREAM S (V INT) WITH (KAFKA_TOPIC='s');")),
    /Statement is missing the 'VALUE_FORMAT' property from the WITH clause/);
});

test('format names and properties are checked before the columns, except duplicated names, refused when the statement is parsed', (t) => {
  t.is(declare("CREATE STREAM S (ROWTIME INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', VALUE_DELIMITER='|');"),
    'JSON does not support the following configs: [delimiter]');
  t.regex(String(declare("CREATE STREAM S (ROWTIME INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='FOO');")), /Unknown format: FOO/);
  t.regex(String(declare("CREATE STREAM S (ROWTIME INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');")), /'ROWTIME' is a reserved column name/);
  t.is(declare("CREATE STREAM S (V INT, W INT KEY, V INT, W INT, X INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='FOO');"),
    'Duplicate column names: `V`, `W`');
});

test('a schema id needs a format that infers schemas', (t) => {
  t.is(declare("CREATE STREAM S (V INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', VALUE_SCHEMA_ID=1);"),
    'VALUE_FORMAT should support schema inference when VALUE_SCHEMA_ID is provided. Current format is JSON.');
});

test('a schema id names its side\'s columns: declaring them as well is refused before the registry is asked', (t) => {
  t.is(declare("CREATE STREAM S (K INT KEY) WITH (KAFKA_TOPIC='s', FORMAT='AVRO', KEY_SCHEMA_ID=1);"),
    'Table elements and KEY_SCHEMA_ID cannot both exist for create statement.');
  t.is(declare("CREATE STREAM S (A INT, B INT) WITH (KAFKA_TOPIC='s', FORMAT='PROTOBUF', VALUE_SCHEMA_ID=2);"),
    'Table elements and VALUE_SCHEMA_ID cannot both exist for create statement.');
});

test('delimiters become the DELIMITED format property of their side', (t) => {
  const s = source("CREATE STREAM S (K STRING KEY, V INT) WITH (KAFKA_TOPIC='s', FORMAT='DELIMITED', KEY_DELIMITER='TAB', VALUE_DELIMITER='|');", 'S');
  t.deepEqual(s.keyFormat.properties, { delimiter: 'TAB' });
  t.deepEqual(s.valueFormat.properties, { delimiter: '|' });
});

test('CREATE ... AS SELECT inherits the source formats and their properties unless the WITH clause names others', (t) => {
  const base = "CREATE STREAM S (K STRING KEY, V INT, W INT) WITH (KAFKA_TOPIC='s', FORMAT='DELIMITED', VALUE_DELIMITER='|');";
  const inherited = source(`${base} CREATE STREAM O AS SELECT * FROM S;`, 'O');
  t.is(inherited.keyFormat.format, 'DELIMITED');
  t.deepEqual(inherited.valueFormat.properties, { delimiter: '|' });
  const named = source(`${base} CREATE STREAM O WITH (VALUE_FORMAT='JSON') AS SELECT * FROM S;`, 'O');
  t.is(named.valueFormat.format, 'JSON');
  t.deepEqual(named.valueFormat.properties, {});
  t.is(named.keyFormat.format, 'DELIMITED');
});

test('a sink that names its source\'s format still inherits the delimiter, unless the clause gives one', (t) => {
  const base = "CREATE STREAM S (K STRING KEY, V INT, W INT) WITH (KAFKA_TOPIC='s', KEY_FORMAT='KAFKA', VALUE_FORMAT='DELIMITED', VALUE_DELIMITER='|');";
  t.deepEqual(source(`${base} CREATE STREAM O WITH (VALUE_FORMAT='DELIMITED') AS SELECT * FROM S;`, 'O').valueFormat.properties, { delimiter: '|' });
  t.deepEqual(source(`${base} CREATE STREAM O WITH (VALUE_DELIMITER=';') AS SELECT * FROM S;`, 'O').valueFormat.properties, { delimiter: ';' });
});

test('PARTITION BY NULL gives the sink the NONE key format; naming another is an error', (t) => {
  const base = "CREATE STREAM S (K STRING KEY, V INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');";
  t.is(source(`${base} CREATE STREAM O AS SELECT * FROM S PARTITION BY NULL;`, 'O').keyFormat.format, 'NONE');
  t.is(source(`${base} CREATE STREAM O WITH (KEY_FORMAT='NONE') AS SELECT * FROM S PARTITION BY NULL;`, 'O').keyFormat.format, 'NONE');
  t.is(declare(`${base} CREATE STREAM O WITH (KEY_FORMAT='JSON') AS SELECT * FROM S PARTITION BY NULL;`),
    'Key format specified for stream without key columns.');
});

test('an inherited NONE key format gives way to the default key format when the result has a key', (t) => {
  const base = "CREATE STREAM S (V INT, W INT) WITH (KAFKA_TOPIC='s', KEY_FORMAT='NONE', VALUE_FORMAT='JSON');";
  t.is(source(`${base} CREATE STREAM O AS SELECT * FROM S;`, 'O').keyFormat.format, 'NONE');
  t.is(source(`${base} CREATE STREAM O AS SELECT * FROM S PARTITION BY V;`, 'O').keyFormat.format, 'KAFKA');
  t.regex(String(declare(`${base} CREATE STREAM O WITH (KEY_FORMAT='NONE') AS SELECT * FROM S PARTITION BY V;`)),
    /The 'NONE' format can only be used when no columns are defined/);
});

test('WRAP_SINGLE_VALUE decides whether a single value column is wrapped', (t) => {
  const unwrapped = source("CREATE STREAM S (V INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', WRAP_SINGLE_VALUE=false);", 'S');
  t.deepEqual(unwrapped.valueFormat.features, ['UNWRAP_SINGLES']);
  t.regex(String(declare("CREATE STREAM S (V INT, W INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', WRAP_SINGLE_VALUE=false);")),
    /'WRAP_SINGLE_VALUE' is only valid for single-field value schemas/);
});

test('* after PARTITION BY stands for the new key, the values, then the old key columns', (t) => {
  const base = "CREATE STREAM S (K INT KEY, K2 INT KEY, V INT) WITH (KAFKA_TOPIC='s', FORMAT='JSON');";
  const byColumn = source(`${base} CREATE STREAM O AS SELECT * FROM S PARTITION BY K;`, 'O');
  t.is(formatLogicalSchema(byColumn.schema), '`K` INTEGER KEY, `V` INTEGER, `K2` INTEGER');
  const byExpression = source(`${base} CREATE STREAM O AS SELECT * FROM S PARTITION BY K + K2;`, 'O');
  t.is(formatLogicalSchema(byExpression.schema), '`KSQL_COL_0` INTEGER KEY, `V` INTEGER, `K` INTEGER, `K2` INTEGER');
});

test('generated column names skip the names of the source columns', (t) => {
  const s = source(
    "CREATE STREAM S (KSQL_COL_1 INT KEY, KSQL_COL_0 INT) WITH (KAFKA_TOPIC='s', FORMAT='JSON');" +
      'CREATE STREAM O AS SELECT KSQL_COL_1, ABS(KSQL_COL_0), ABS(KSQL_COL_0) FROM S;',
    'O',
  );
  t.deepEqual(s.schema.value.map((c) => c.name), ['KSQL_COL_2', 'KSQL_COL_3']);
});

test('a protobuf nullable representation on a side whose format is not protobuf is refused by its property name', (t) => {
  t.is(declare("CREATE STREAM S (K INT KEY, V INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', VALUE_PROTOBUF_NULLABLE_REPRESENTATION='WRAPPER');"),
    'Property VALUE_PROTOBUF_NULLABLE_REPRESENTATION can only be enabled with protobuf format');
  t.is(declare("CREATE STREAM S (K INT KEY, V INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='PROTOBUF', KEY_PROTOBUF_NULLABLE_REPRESENTATION='OPTIONAL');"),
    'Property KEY_PROTOBUF_NULLABLE_REPRESENTATION can only be enabled with protobuf format');
  const base = "CREATE STREAM S (K INT KEY, V INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');";
  t.is(declare(`${base} CREATE STREAM O WITH (VALUE_PROTOBUF_NULLABLE_REPRESENTATION='WRAPPER') AS SELECT * FROM S;`),
    'Property VALUE_PROTOBUF_NULLABLE_REPRESENTATION can only be enabled with protobuf format');
  t.deepEqual(source(`${base} CREATE STREAM O WITH (VALUE_FORMAT='PROTOBUF_NOSR', VALUE_PROTOBUF_NULLABLE_REPRESENTATION='WRAPPER') AS SELECT * FROM S;`, 'O')
    .valueFormat.properties, { nullableRepresentation: 'WRAPPER' });
});
