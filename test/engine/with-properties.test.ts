import test from 'ava';
import type { CreateStream } from '../../src/parser/ast/statement.js';
import { parseStatements } from '../../src/parser/index.js';
import { WithProperties, type WithClauseKind } from '../../src/engine/with-properties.js';

function clause(withText: string, kind: WithClauseKind): WithProperties {
  const [stmt] = parseStatements(`CREATE STREAM S (V INT) WITH (${withText});`);
  return new WithProperties((stmt as CreateStream).properties, kind);
}

function failure(withText: string, kind: WithClauseKind = 'CREATE'): string {
  try {
    clause(withText, kind);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the clause was accepted');
}

test('values are read with their types and strings are trimmed', (t) => {
  const props = clause("KAFKA_TOPIC=' t ', PARTITIONS=3, REPLICAS='1', WRAP_SINGLE_VALUE='False', VALUE_FORMAT='json'", 'CREATE');
  t.is(props.getString('KAFKA_TOPIC'), 't');
  t.is(props.getInteger('PARTITIONS'), 3);
  t.is(props.getInteger('REPLICAS'), 1);
  t.is(props.getBoolean('WRAP_SINGLE_VALUE'), false);
  t.is(props.getString('VALUE_FORMAT'), 'json');
});

test('CREATE requires KAFKA_TOPIC before anything else is looked at', (t) => {
  t.is(failure("VALUE_FORMAT='JSON', FOO='x'"), 'Failed to prepare statement: Missing required property "KAFKA_TOPIC" which has no default value.');
  t.is(clause("VALUE_FORMAT='JSON'", 'CREATE_AS').getString('KAFKA_TOPIC'), undefined);
});

test('a value of the wrong type is refused with the config library wording', (t) => {
  t.is(failure("KAFKA_TOPIC='t', PARTITIONS='many'"), 'Failed to prepare statement: Invalid value many for property PARTITIONS: Not a number of type INT');
  t.is(failure("KAFKA_TOPIC='t', WRAP_SINGLE_VALUE='yes'"),
    'Failed to prepare statement: Invalid value yes for property WRAP_SINGLE_VALUE: Expected value to be either true or false');
  t.is(failure("KAFKA_TOPIC='t', VALUE_FORMAT=1"),
    'Failed to prepare statement: Invalid value 1 for property VALUE_FORMAT: Expected value to be a string, but it was a java.lang.Integer');
  t.is(failure("KAFKA_TOPIC='t', REPLICAS=70000"),
    'Failed to prepare statement: Invalid value 70000 for property REPLICAS: Expected value to be a Short, but it was a java.lang.Integer');
});

test('unknown names are listed; window properties belong to CREATE only', (t) => {
  t.is(failure("KAFKA_TOPIC='t', FOO='x', BAR=1"), 'Failed to prepare statement: Invalid config variable(s) in the WITH clause: FOO,BAR');
  t.is(failure("WINDOW_TYPE='TUMBLING'", 'CREATE_AS'), 'Failed to prepare statement: Invalid config variable(s) in the WITH clause: WINDOW_TYPE');
});

test('FORMAT cannot be given with KEY_FORMAT or VALUE_FORMAT', (t) => {
  t.regex(failure("KAFKA_TOPIC='t', FORMAT='JSON', VALUE_FORMAT='JSON'"), /Cannot supply both 'VALUE_FORMAT' and 'FORMAT' properties/);
  t.regex(failure("KAFKA_TOPIC='t', FORMAT='JSON', KEY_FORMAT='KAFKA'"), /Cannot supply both 'KEY_FORMAT' and 'FORMAT' properties/);
});

test('window type and size are checked together', (t) => {
  const props = clause("KAFKA_TOPIC='t', WINDOW_TYPE='hopping', WINDOW_SIZE='2 MINUTES'", 'CREATE');
  t.is(props.getWindowType(), 'HOPPING');
  t.is(props.getWindowSizeMs(), 120_000);
  t.is(failure("KAFKA_TOPIC='t', WINDOW_TYPE='TUMBLING'"),
    "Failed to prepare statement: TUMBLING windows require 'WINDOW_SIZE' to be provided in the WITH clause. For example: 'WINDOW_SIZE'='10 SECONDS'");
  t.is(failure("KAFKA_TOPIC='t', WINDOW_TYPE='SESSION', WINDOW_SIZE='1 SECOND'"),
    "Failed to prepare statement: 'WINDOW_SIZE' should not be set for SESSION windows.");
  t.is(failure("KAFKA_TOPIC='t', WINDOW_TYPE='SLIDING'"),
    'Failed to prepare statement: Invalid value SLIDING for property WINDOW_TYPE: String must be one of: SESSION, HOPPING, TUMBLING');
});

test('a property set to NULL is absent', (t) => {
  t.is(clause("KAFKA_TOPIC='t', TIMESTAMP=NULL", 'CREATE').getString('TIMESTAMP'), undefined);
});

test('the value schema name is given once: VALUE_AVRO_SCHEMA_FULL_NAME beside VALUE_SCHEMA_FULL_NAME is refused', (t) => {
  t.is(failure("KAFKA_TOPIC='t', VALUE_AVRO_SCHEMA_FULL_NAME='a.B', VALUE_SCHEMA_FULL_NAME='c.D'"),
    "Failed to prepare statement: Cannot supply both 'VALUE_AVRO_SCHEMA_FULL_NAME' and 'VALUE_SCHEMA_FULL_NAME' properties. Please only set 'VALUE_SCHEMA_FULL_NAME'.");
  t.is(failure("VALUE_AVRO_SCHEMA_FULL_NAME='a.B', VALUE_SCHEMA_FULL_NAME='c.D'", 'CREATE_AS'),
    "Failed to prepare statement: Cannot supply both 'VALUE_AVRO_SCHEMA_FULL_NAME' and 'VALUE_SCHEMA_FULL_NAME' properties. Please only set 'VALUE_SCHEMA_FULL_NAME'.");
});

test('CLEANUP_POLICY is a known property that CREATE and CREATE ... AS refuse, the policy following from the kind', (t) => {
  const refused = 'Invalid config variable in the WITH clause: CLEANUP_POLICY.\n'
    + 'The CLEANUP_POLICY config is automatically inferred based on the type of source (STREAM or TABLE).\n'
    + "Users can't set the CLEANUP_POLICY config manually.";
  t.is(failure("KAFKA_TOPIC='t', CLEANUP_POLICY='compact'"), refused);
  t.is(failure("CLEANUP_POLICY='delete'", 'CREATE_AS'), refused);
  t.is(failure("CLEANUP_POLICY='delete'", 'INSERT'), 'Failed to prepare statement: Invalid config variable(s) in the WITH clause: CLEANUP_POLICY');
});
