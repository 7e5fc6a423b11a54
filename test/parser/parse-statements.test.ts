import test from 'ava';
import { KsqlError } from '../../src/common/errors.js';
import { parseStatements, printStatement, type Statement, type StatementKind } from '../../src/parser/index.js';
import { stripLocations } from './helpers.js';

const parseOne = (sql: string, testStatements = false): Statement => {
  const all = parseStatements(sql, { testStatements });
  if (all.length !== 1) throw new Error(`expected one statement, got ${all.length}`);
  return all[0]!;
};

/** One or more spellings of every statement form, with the kind each must give. */
const FORMS: readonly [string, StatementKind][] = [
  ["CREATE STREAM s (id INT KEY, v STRING, h BYTES HEADER('k'), hs ARRAY<STRUCT<key STRING, value BYTES>> HEADERS) WITH (kafka_topic='t', value_format='JSON', partitions=2)", 'CreateStream'],
  ["CREATE OR REPLACE SOURCE TABLE IF NOT EXISTS t (id INT PRIMARY KEY, m MAP<STRING, DECIMAL(4, 2)>) WITH ('KAFKA_TOPIC'='t', format='AVRO')", 'CreateTable'],
  ["CREATE STREAM s WITH (kafka_topic='t', value_format='AVRO')", 'CreateStream'],
  ['CREATE STREAM s2 AS SELECT * FROM s WHERE id > 2 PARTITION BY v EMIT CHANGES', 'CreateStreamAsSelect'],
  ["CREATE OR REPLACE TABLE IF NOT EXISTS agg WITH (kafka_topic='out') AS SELECT id, COUNT(*) AS c FROM s WINDOW TUMBLING (SIZE 1 HOUR, RETENTION 2 DAYS, GRACE PERIOD 10 MINUTES) GROUP BY id HAVING COUNT(*) > 1 EMIT FINAL", 'CreateTableAsSelect'],
  ['CREATE TABLE w AS SELECT id, SUM(x) FROM s WINDOW HOPPING (SIZE 10 SECONDS, ADVANCE BY 1 SECOND) GROUP BY id', 'CreateTableAsSelect'],
  ['CREATE TABLE w AS SELECT id, SUM(x) FROM s WINDOW w1 SESSION (30 MILLISECONDS, GRACE PERIOD 0 SECONDS) GROUP BY (id, x)', 'CreateTableAsSelect'],
  ["INSERT INTO s2 WITH (QUERY_ID='my_q') SELECT * FROM s", 'InsertInto'],
  ['INSERT INTO s2 SELECT a.id, b.* FROM a LEFT OUTER JOIN b WITHIN (1 SECOND, 2 SECONDS) GRACE PERIOD 3 SECONDS ON a.id = b.id', 'InsertInto'],
  ["INSERT INTO s (id, v) VALUES (1, 'x')", 'InsertValues'],
  ['INSERT INTO s VALUES ()', 'InsertValues'],
  ["DELETE FROM t WHERE id = 1 AND name = 'x'", 'DeleteFrom'],
  ['SELECT * FROM t WHERE id = 1', 'QueryStatement'],
  ['SELECT id, v FROM t order BY v DESC NULLS FIRST, 1, id ASC NULLS LAST LIMIT 3 OFFSET 2', 'QueryStatement'],
  ['SELECT s.v->*, s.* FROM s AS x FULL OUTER JOIN y ON x.id = y.id RIGHT JOIN z z ON z.id = y.id EMIT CHANGES LIMIT 10', 'QueryStatement'],
  ['SHOW STREAMS EXTENDED', 'ListStreams'],
  ['LIST TABLES', 'ListTables'],
  ['SHOW ALL TOPICS EXTENDED', 'ListTopics'],
  ['SHOW QUERIES', 'ListQueries'],
  ['SHOW FUNCTIONS', 'ListFunctions'],
  ['SHOW TYPES', 'ListTypes'],
  ['SHOW PROPERTIES', 'ListProperties'],
  ['SHOW VARIABLES', 'ListVariables'],
  ['SHOW SINK CONNECTORS', 'ListConnectors'],
  ['LIST CONNECTOR PLUGINS', 'ListConnectorPlugins'],
  ['DESCRIBE s EXTENDED', 'DescribeSource'],
  ['DESCRIBE STREAMS', 'DescribeSources'],
  ['DESCRIBE TABLES EXTENDED', 'DescribeSources'],
  ['DESCRIBE FUNCTION substring', 'DescribeFunction'],
  ['DESCRIBE CONNECTOR c', 'DescribeConnector'],
  ["PRINT 'my-topic' FROM BEGINNING INTERVAL 2 LIMIT 5", 'PrintTopic'],
  ['PRINT my_topic SAMPLE 3', 'PrintTopic'],
  ['TERMINATE CSAS_S2_0', 'TerminateQuery'],
  ['TERMINATE ALL', 'TerminateQuery'],
  ['PAUSE ALL', 'PauseQuery'],
  ['RESUME q1', 'ResumeQuery'],
  ["SET 'auto.offset.reset'='earliest'", 'SetProperty'],
  ["UNSET 'auto.offset.reset'", 'UnsetProperty'],
  ["ALTER SYSTEM 'ksql.x'='y'", 'AlterSystemProperty'],
  ["DEFINE topicName = 'abc'", 'DefineVariable'],
  ['UNDEFINE topicName', 'UndefineVariable'],
  ['DROP STREAM IF EXISTS s DELETE TOPIC', 'DropStream'],
  ['DROP TABLE t', 'DropTable'],
  ['DROP TYPE IF EXISTS address', 'DropType'],
  ['DROP CONNECTOR IF EXISTS c', 'DropConnector'],
  ['EXPLAIN SELECT * FROM s EMIT CHANGES', 'Explain'],
  ['EXPLAIN CSAS_S2_0', 'Explain'],
  ['CREATE TYPE IF NOT EXISTS address AS STRUCT<street STRING, zip INT>', 'CreateType'],
  ['ALTER STREAM s ADD COLUMN c1 INT, ADD c2 address', 'AlterSource'],
  ["ASSERT NOT EXISTS TOPIC 'abc' WITH (partitions=1) TIMEOUT 3 SECONDS", 'AssertTopic'],
  ["ASSERT SCHEMA SUBJECT 'abc-value' ID 4 TIMEOUT 10 SECONDS", 'AssertSchema'],
  ["CREATE SOURCE CONNECTOR IF NOT EXISTS c WITH ('connector.class'='x')", 'CreateConnector'],
];

for (const [sql, kind] of FORMS) {
  test(`parses and round-trips: ${sql}`, (t) => {
    const s = parseOne(sql);
    t.is(s.kind, kind);
    t.is(s.text, sql);
    const again = parseOne(printStatement(s));
    t.deepEqual(stripLocations(again), stripLocations(s));
  });
}

const TEST_FORMS: readonly [string, StatementKind][] = [
  ['ASSERT VALUES out (id, v) VALUES (1, 2)', 'AssertValues'],
  ['ASSERT NULL VALUES out (id) KEY (1)', 'AssertTombstone'],
  ["ASSERT TABLE t (id INT PRIMARY KEY) WITH (kafka_topic='t')", 'AssertSource'],
  ["RUN SCRIPT '/tmp/x.sql'", 'RunScript'],
];

for (const [sql, kind] of TEST_FORMS) {
  test(`in test-script mode, parses and round-trips: ${sql}`, (t) => {
    const s = parseOne(sql, true);
    t.is(s.kind, kind);
    t.deepEqual(stripLocations(parseOne(printStatement(s), true)), stripLocations(s));
    t.throws(() => parseOne(sql), { instanceOf: KsqlError });
  });
}

test('several statements split on semicolons, each keeping its own text and location', (t) => {
  const sql = "SHOW STREAMS;\n  -- comment\nCREATE STREAM s (a INT) WITH (kafka_topic='x;y', value_format='JSON');  DROP STREAM s";
  const all = parseStatements(sql);
  t.deepEqual(
    all.map((s) => s.text),
    ['SHOW STREAMS;', "CREATE STREAM s (a INT) WITH (kafka_topic='x;y', value_format='JSON');", 'DROP STREAM s'],
  );
  t.deepEqual(all[1]!.location, { line: 3, column: 1, offset: 27, length: 70 });
  t.is(sql.slice(all[2]!.location.offset, all[2]!.location.offset + all[2]!.location.length), 'DROP STREAM s');
});

test('empty input and comment-only input hold no statements', (t) => {
  t.deepEqual(parseStatements(''), []);
  t.deepEqual(parseStatements('  /* nothing */ -- here'), []);
});

test('a CREATE STREAM keeps columns, constraints, types and properties', (t) => {
  const s = parseOne("CREATE STREAM s (ID INT KEY, `v` address, h BYTES HEADER('x')) WITH (kafka_topic='t', partitions=3, \"Wrap\"=true)");
  t.deepEqual(stripLocations(s), {
    kind: 'CreateStream',
    orReplace: false,
    isSource: false,
    ifNotExists: false,
    name: 'S',
    elements: [
      { kind: 'TableElement', name: 'ID', type: { kind: 'INTEGER' }, constraint: 'KEY', headerKey: undefined },
      { kind: 'TableElement', name: 'v', type: { kind: 'NamedType', name: 'ADDRESS' }, constraint: undefined, headerKey: undefined },
      { kind: 'TableElement', name: 'H', type: { kind: 'BYTES' }, constraint: 'HEADER', headerKey: 'x' },
    ],
    properties: [
      { kind: 'Property', name: 'KAFKA_TOPIC', value: { kind: 'StringLiteral', value: 't' } },
      { kind: 'Property', name: 'PARTITIONS', value: { kind: 'IntegerLiteral', value: 3 } },
      { kind: 'Property', name: 'WRAP', value: { kind: 'BooleanLiteral', value: true } },
    ],
  });
});

test('a join query keeps sources, aliases, join types and windows in order', (t) => {
  const s = parseOne('SELECT * FROM a JOIN b WITHIN 10 SECONDS ON a.id = b.id LEFT JOIN c AS cc ON cc.id = a.id EMIT CHANGES');
  if (s.kind !== 'QueryStatement') return t.fail();
  const from = s.query.from;
  if (from.kind !== 'Join') return t.fail();
  t.is(from.left.name, 'A');
  t.deepEqual(
    from.joins.map((j) => [j.joinType, j.source.name, j.source.alias]),
    [
      ['INNER', 'B', undefined],
      ['LEFT', 'C', 'CC'],
    ],
  );
  t.like(from.joins[0]!.within, { symmetric: true, before: { value: 10, unit: 'SECONDS' }, after: { value: 10, unit: 'SECONDS' } });
  t.is(s.query.emit, 'CHANGES');
});

test('clause words after a source are not taken as its alias', (t) => {
  const q = parseOne('SELECT * FROM s EMIT CHANGES');
  t.like(q, { kind: 'QueryStatement', query: { from: { kind: 'AliasedSource', alias: undefined }, emit: 'CHANGES' } });
  const p = parseOne('CREATE STREAM x AS SELECT * FROM s PARTITION BY id');
  t.like(p, { query: { from: { alias: undefined } } });
  const a = parseOne('SELECT * FROM s emit');
  t.like(a, { query: { from: { alias: 'EMIT' } } });
});

test('GROUP BY accepts a bare list, a parenthesized list, an empty list and a parenthesized expression', (t) => {
  const groupBy = (sql: string) => {
    const s = parseOne(`SELECT COUNT(*) FROM s GROUP BY ${sql}`);
    return s.kind === 'QueryStatement' ? s.query.groupBy?.map((e) => e.kind) : undefined;
  };
  t.deepEqual(groupBy('a, b'), ['ColumnRef', 'ColumnRef']);
  t.deepEqual(groupBy('(a, b)'), ['ColumnRef', 'ColumnRef']);
  t.deepEqual(groupBy('()'), []);
  t.deepEqual(groupBy('(a IS NULL)'), ['IsNull']);
  t.deepEqual(groupBy('(a + 1) * 2, b'), ['ArithmeticBinary', 'ColumnRef']);
});

test('time units read singular or plural and normalize to the plural', (t) => {
  const s = parseOne('SELECT * FROM s WINDOW TUMBLING (SIZE 1 DAY, RETENTION 2 hours, GRACE PERIOD 1 millisecond) GROUP BY x');
  t.like(s, {
    query: { window: { kind: 'TumblingWindow', size: { value: 1, unit: 'DAYS' }, retention: { unit: 'HOURS' }, grace: { unit: 'MILLISECONDS' } } },
  });
});

test('EXPLAIN of a statement keeps the inner statement with its own text', (t) => {
  const s = parseOne('EXPLAIN SELECT * FROM s;');
  t.like(s, { kind: 'Explain', queryId: undefined, statement: { kind: 'QueryStatement', text: 'SELECT * FROM s' }, text: 'EXPLAIN SELECT * FROM s;' });
});

test('tables reject KEY and streams reject PRIMARY KEY, as ksqlDB does', (t) => {
  t.throws(() => parseOne('CREATE TABLE t (id INT KEY) WITH (kafka_topic=\'t\')'), { message: /please use 'PRIMARY KEY' for tables/ });
  t.throws(() => parseOne('CREATE STREAM t (id INT PRIMARY KEY) WITH (kafka_topic=\'t\')'), { message: /please use 'KEY' for streams/ });
});

test('CREATE ... AS SELECT with a column list is a syntax error', (t) => {
  t.throws(() => parseOne('CREATE STREAM s (a INT) AS SELECT * FROM x'), { instanceOf: KsqlError, message: /Syntax Error/ });
});

test('PRINT keeps the case of topic names, quoted or bare', (t) => {
  t.like(parseOne("PRINT 'Abc'"), { topic: 'Abc', quoted: true });
  t.like(parseOne('PRINT Abc'), { topic: 'Abc', quoted: false });
});

/** Every statement kind, checked by the compiler: a new kind must be added here and to FORMS. */
const ALL_KINDS: Readonly<Record<StatementKind, true>> = {
  CreateStream: true, CreateTable: true, CreateStreamAsSelect: true, CreateTableAsSelect: true, InsertInto: true,
  InsertValues: true, DeleteFrom: true, QueryStatement: true, ListStreams: true, ListTables: true, ListTopics: true, ListQueries: true,
  ListFunctions: true, ListTypes: true, ListProperties: true, ListVariables: true, ListConnectors: true,
  ListConnectorPlugins: true, DescribeSource: true, DescribeSources: true, DescribeFunction: true, DescribeConnector: true,
  PrintTopic: true, TerminateQuery: true, PauseQuery: true, ResumeQuery: true, SetProperty: true, UnsetProperty: true,
  AlterSystemProperty: true, DefineVariable: true, UndefineVariable: true, DropStream: true, DropTable: true, DropType: true,
  DropConnector: true, Explain: true, CreateType: true, AlterSource: true, AssertTopic: true, AssertSchema: true,
  CreateConnector: true, AssertValues: true, AssertTombstone: true, AssertSource: true, RunScript: true,
};

test('every statement kind has at least one round-tripped form', (t) => {
  const covered = new Set([...FORMS, ...TEST_FORMS].map(([, kind]) => kind));
  t.deepEqual(Object.keys(ALL_KINDS).filter((k) => !covered.has(k as StatementKind)), []);
});

test('ORDER BY items keep their direction and NULLS placement, and OFFSET follows LIMIT', (t) => {
  const stmt = parseOne('SELECT a, b FROM t ORDER BY a DESC, b NULLS FIRST, 2 ASC NULLS LAST LIMIT 5 OFFSET 10;');
  if (stmt.kind !== 'QueryStatement') return t.fail();
  t.deepEqual(stmt.query.orderBy.map((i) => [i.expression.kind, i.descending, i.nullsFirst]), [
    ['ColumnRef', true, undefined], ['ColumnRef', false, true], ['IntegerLiteral', false, false],
  ]);
  t.is(stmt.query.limit, 5);
  t.is(stmt.query.offset, 10);
  const plain = parseOne('SELECT * FROM t order');
  if (plain.kind !== 'QueryStatement' || plain.query.from.kind !== 'AliasedSource') return t.fail();
  t.is(plain.query.from.alias, 'ORDER');
  t.deepEqual(plain.query.orderBy, []);
  t.throws(() => parseOne('SELECT * FROM t OFFSET 2'));
});

test('ASSERT SCHEMA without a subject or an id is refused with ksqlDB\'s message', (t) => {
  t.throws(() => parseStatements('ASSERT SCHEMA TIMEOUT 10 SECONDS;'), { instanceOf: KsqlError, message: 'Failed to prepare statement: ASSERT SCHEMA statements much include a subject name or an id' });
  t.is(parseStatements('ASSERT NOT EXISTS SCHEMA ID 24;')[0]!.kind, 'AssertSchema');
});
