import test from 'ava';
import { MigrationError } from '../../src/migrations/migration-error.js';
import { readStatement, splitMigration } from '../../src/migrations/migration-statements.js';

const none = new Map<string, string>();

test('a migration file splits at the semicolons that end statements, comments before a statement dropped', (t) => {
  const text = "-- first\nCREATE STREAM s (v VARCHAR) WITH (KAFKA_TOPIC='a;b', VALUE_FORMAT='JSON');\n/* two; */ INSERT INTO s (v) VALUES ('x; -- y');\n-- the end\n";
  t.deepEqual(splitMigration(text), [
    "CREATE STREAM s (v VARCHAR) WITH (KAFKA_TOPIC='a;b', VALUE_FORMAT='JSON');",
    "INSERT INTO s (v) VALUES ('x; -- y');",
  ]);
});

test('text after the last semicolon is an error naming it', (t) => {
  const error = t.throws(() => splitMigration('SHOW STREAMS;\nCREATE STREAM x'), { instanceOf: MigrationError });
  t.is(error.message, "Unmatched command at end of file; missing semicolon: 'CREATE STREAM x'");
});

test('DEFINE, UNDEFINE, SET and UNSET are read on the tool\'s side, values taking the variables', (t) => {
  const vars = new Map([['TOPIC', 'orders']]);
  t.deepEqual(readStatement("define name = 'a_${topic}_${other}';", vars), { kind: 'define', sql: "define name = 'a_${topic}_${other}';", name: 'name', value: 'a_orders_${other}' });
  t.deepEqual(readStatement('UNDEFINE name;', vars), { kind: 'undefine', sql: 'UNDEFINE name;', name: 'name' });
  t.deepEqual(readStatement("SET 'auto.offset.reset'='${topic}';", vars), { kind: 'set', sql: "SET 'auto.offset.reset'='${topic}';", property: 'auto.offset.reset', value: 'orders' });
  t.deepEqual(readStatement("UNSET 'auto.offset.reset';", vars), { kind: 'unset', sql: "UNSET 'auto.offset.reset';", property: 'auto.offset.reset' });
  t.is(t.throws(() => readStatement('SET auto.offset.reset = earliest;', none))?.message, 'Invalid SET command: SET auto.offset.reset = earliest;');
  t.is(t.throws(() => readStatement('DEFINE 1x = \'a\';', none))?.message, "Invalid DEFINE command: DEFINE 1x = 'a';");
});

test('statements that read rather than change, and RUN SCRIPT, are refused; the rest go to the server', (t) => {
  for (const [sql, word] of [['SELECT * FROM s;', 'SELECT'], ['describe s;', 'DESCRIBE'], ['SHOW STREAMS;', 'SHOW'], ['LIST TOPICS;', 'LIST'], ['PRINT t;', 'PRINT'], ['EXPLAIN q;', 'EXPLAIN']]) {
    t.is(t.throws(() => readStatement(sql!, none), { instanceOf: MigrationError })?.message, `'${word}' statements are not supported.`);
  }
  t.is(t.throws(() => readStatement("RUN SCRIPT 'x.sql';", none))?.message, "'RUN SCRIPT' statements are not supported.");
  for (const sql of ["INSERT INTO s (v) VALUES ('a');", 'INSERT INTO t SELECT * FROM s;', 'TERMINATE q;', 'DROP STREAM s;', "ASSERT TOPIC 'x';", 'PAUSE q;', 'CREATE TYPE T AS INT;']) {
    t.deepEqual(readStatement(sql, none), { kind: 'server', sql });
  }
});
