import test from 'ava';
import { CREATE_CLICKS, runSql, runSqlOrThrow, useServer } from './helpers.js';

let queryId: string;
const h = useServer({
  statements: [
    CREATE_CLICKS,
    "CREATE STREAM RICH (ID INT KEY, AMOUNT DECIMAL(6, 2), TAGS ARRAY<STRING>, ATTRS MAP<STRING, INT>, ADDR STRUCT<CITY STRING>, TS BIGINT) WITH (KAFKA_TOPIC='rich', PARTITIONS=1, VALUE_FORMAT='JSON', TIMESTAMP='TS');",
  ],
  afterStart: async (started) => {
    const res = await runSqlOrThrow(started, 'CREATE STREAM UPPER_CLICKS AS SELECT ID, UCASE(URL) AS URL FROM CLICKS WHERE MS > 100;');
    queryId = res.body[0].commandStatus.queryId;
  },
});

test('DESCRIBE answers a sourceDescription with key columns marked and nested types described', async (t) => {
  const res = await runSql(h, 'DESCRIBE RICH;');
  t.is(res.status, 200);
  const [entity] = res.body;
  t.is(entity['@type'], 'sourceDescription');
  const d = entity.sourceDescription;
  t.like(d, { name: 'RICH', type: 'STREAM', windowType: null, extended: false, keyFormat: 'KAFKA', valueFormat: 'JSON', topic: 'rich', timestamp: 'TS', partitions: 0 });
  t.deepEqual(d.fields.map((f: any) => [f.name, f.schema.type, f.type]), [
    ['ID', 'INTEGER', 'KEY'], ['AMOUNT', 'DECIMAL', undefined], ['TAGS', 'ARRAY', undefined], ['ATTRS', 'MAP', undefined],
    ['ADDR', 'STRUCT', undefined], ['TS', 'BIGINT', undefined],
  ]);
  t.deepEqual(d.fields[1].schema.parameters, { precision: 6, scale: 2 });
  t.deepEqual(d.fields[2].schema.memberSchema, { type: 'STRING', fields: null, memberSchema: null });
  t.deepEqual(d.fields[3].schema.memberSchema, { type: 'INTEGER', fields: null, memberSchema: null });
  t.deepEqual(d.fields[4].schema.fields, [{ name: 'CITY', schema: { type: 'STRING', fields: null, memberSchema: null } }]);
  t.regex(d.statement, /^CREATE STREAM RICH/);
});

test('DESCRIBE lists the queries that read and write a source', async (t) => {
  const source = (await runSql(h, 'DESCRIBE CLICKS;')).body[0].sourceDescription;
  t.deepEqual(source.readQueries.map((q: any) => q.id), [queryId]);
  t.deepEqual(source.writeQueries, []);
  const sink = (await runSql(h, 'DESCRIBE UPPER_CLICKS;')).body[0].sourceDescription;
  t.deepEqual(sink.readQueries, []);
  t.like(sink.writeQueries[0], { id: queryId, sinks: ['UPPER_CLICKS'], queryType: 'PERSISTENT', state: 'RUNNING' });
});

test('DESCRIBE EXTENDED adds the partitions of the topic', async (t) => {
  const d = (await runSql(h, 'DESCRIBE CLICKS EXTENDED;')).body[0].sourceDescription;
  t.true(d.extended);
  t.is(d.partitions, 2);
  t.is(d.replication, 1);
});

test('DESCRIBE of an unknown source is a statement error', async (t) => {
  const res = await runSql(h, 'DESCRIBE NOPE;');
  t.is(res.status, 400);
  t.like(res.body, { '@type': 'statement_error', error_code: 40001, message: "Could not find STREAM/TABLE 'NOPE' in the metastore" });
});

test('DESCRIBE STREAMS answers a description of every stream', async (t) => {
  const res = await runSql(h, 'DESCRIBE STREAMS EXTENDED;');
  t.is(res.body[0]['@type'], 'source_descriptions');
  t.deepEqual(res.body[0].sourceDescriptions.map((d: any) => d.name).sort(), ['CLICKS', 'RICH', 'UPPER_CLICKS']);
  t.true(res.body[0].sourceDescriptions.every((d: any) => d.extended));
  const tables = await runSql(h, 'DESCRIBE TABLES;');
  t.deepEqual(tables.body[0].sourceDescriptions, []);
});

test('SHOW FUNCTIONS lists every function with its type and category', async (t) => {
  const res = await runSql(h, 'SHOW FUNCTIONS;');
  const [entity] = res.body;
  t.is(entity['@type'], 'function_names');
  t.true(entity.functions.length > 100);
  t.deepEqual(entity.functions.find((f: any) => f.name === 'UCASE'), { name: 'UCASE', type: 'SCALAR', category: 'STRING' });
});

test('DESCRIBE FUNCTION answers every variant with its arguments and return type', async (t) => {
  const res = await runSql(h, 'DESCRIBE FUNCTION substring;');
  const [entity] = res.body;
  t.like(entity, { '@type': 'describe_function', name: 'SUBSTRING', type: 'SCALAR', path: 'internal' });
  t.true(entity.functions.length >= 2);
  const two = entity.functions.find((f: any) => f.arguments.length === 2 && f.arguments[0].type === 'STRING');
  t.deepEqual(two.argumentTypes, ['STRING', 'INTEGER']);
  t.is(two.returnType, 'STRING');
});

test('DESCRIBE FUNCTION of an unknown function is a statement error', async (t) => {
  const res = await runSql(h, 'DESCRIBE FUNCTION NOPE;');
  t.is(res.status, 400);
  t.is(res.body.error_code, 40001);
  t.regex(res.body.message, /Can't find any functions with the name 'NOPE'/);
});

test('EXPLAIN of a query id answers its queryDescription', async (t) => {
  const res = await runSql(h, `EXPLAIN ${queryId};`);
  t.is(res.status, 200);
  const d = res.body[0].queryDescription;
  t.is(res.body[0]['@type'], 'queryDescription');
  t.like(d, { id: queryId, sources: ['CLICKS'], sinks: ['UPPER_CLICKS'], queryType: 'PERSISTENT', state: 'RUNNING' });
  t.regex(d.statementText, /^CREATE STREAM UPPER_CLICKS/);
  t.deepEqual(d.fields.map((f: any) => f.name), ['ID', 'URL']);
  t.regex(d.executionPlan, /\[ SINK \][^\n]*\n\t\t > \[ PROJECT \][^\n]*\n\t\t\t\t > \[ FILTER \][^\n]*\(MS > 100\)/);
  t.regex(d.topology, /topics: \[clicks\]/);
  t.deepEqual(Object.values(d.ksqlHostQueryStatus), ['RUNNING']);
});

test('EXPLAIN of a CREATE ... AS SELECT plans its query without running it: the description of the query it would start', async (t) => {
  const res = await runSql(h, 'EXPLAIN CREATE TABLE CLICKS_PER_ID AS SELECT ID, COUNT(*) AS N FROM CLICKS GROUP BY ID;');
  t.is(res.status, 200);
  t.is(res.body[0]['@type'], 'queryDescription');
  t.regex(res.body[0].statementText, /^EXPLAIN CREATE TABLE CLICKS_PER_ID/);
  const d = res.body[0].queryDescription;
  t.like(d, { sources: ['CLICKS'], sinks: ['CLICKS_PER_ID'], queryType: 'PERSISTENT', state: null, queryErrors: [], tasksMetadata: [] });
  t.regex(d.id, /^CTAS_CLICKS_PER_ID_\d+$/);
  t.regex(d.statementText, /^CREATE TABLE CLICKS_PER_ID AS SELECT/);
  t.deepEqual(d.fields.map((f: any) => f.name), ['ID', 'N']);
  t.regex(d.executionPlan, /\[ SINK \][^\n]*\n(.*\n)*.*\[ AGGREGATE \]/);
  t.regex(d.topology, /topics: \[clicks\]/);
  t.deepEqual(d.ksqlHostQueryStatus, {});
  t.is(d.consumerGroupId, `_confluent-ksql-default_query_${d.id}`);
  // Nothing was created or started.
  const after = await runSqlOrThrow(h, 'SHOW TABLES; SHOW QUERIES;');
  t.false(after.body[0].tables.some((x: any) => x.name === 'CLICKS_PER_ID'));
  t.false(after.body[1].queries.some((q: any) => q.id === d.id));
});

test('EXPLAIN of a push query plans the transient query it would start, and of a statement that runs no query is refused', async (t) => {
  const res = await runSql(h, 'EXPLAIN SELECT ID, URL FROM CLICKS WHERE MS > 5 EMIT CHANGES;');
  t.is(res.status, 200);
  const d = res.body[0].queryDescription;
  t.like(d, { sources: ['CLICKS'], sinks: [], queryType: 'PUSH', state: null });
  t.regex(d.id, /^transient_CLICKS_\d+$/);
  t.deepEqual(d.fields.map((f: any) => f.name), ['ID', 'URL']);
  t.regex(d.executionPlan, /\[ PROJECT \][^\n]*\n.*\[ FILTER \]/);
  t.deepEqual((await runSqlOrThrow(h, 'SHOW QUERIES;')).body[0].queries.filter((q: any) => q.queryType === 'PUSH'), []);
  const refused = await runSql(h, 'EXPLAIN SHOW STREAMS;');
  t.is(refused.status, 400);
  t.regex(refused.body.message, /The provided statement does not run a ksql query/);
  const failing = await runSql(h, 'EXPLAIN CREATE STREAM BAD AS SELECT NOPE FROM CLICKS;');
  t.is(failing.status, 400);
  t.regex(failing.body.message, /NOPE/);
});

test('EXPLAIN of an unknown query id is a statement error', async (t) => {
  const res = await runSql(h, 'EXPLAIN NOPE_1;');
  t.is(res.status, 400);
  t.is(res.body.error_code, 40001);
  t.regex(res.body.message, /NOPE_1 does not exist/);
});
