import test from 'ava';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, removeDir } from '../helpers/temp-dir.js';
import { CREATE_CLICKS, postKsql, runSql, useServer } from './helpers.js';

const h = useServer({ start: { maxBodyBytes: 4096 }, statements: [CREATE_CLICKS] });

test.serial('a CREATE STREAM answers a currentStatus entity with its command id and sequence number', async (t) => {
  const res = await runSql(h, "CREATE STREAM VIEWS (ID INT KEY, PAGE STRING) WITH (KAFKA_TOPIC='views', PARTITIONS=1, VALUE_FORMAT='JSON');");
  t.is(res.status, 200);
  t.true(res.contentType.startsWith('application/json'));
  t.is(res.body.length, 1);
  const [entity] = res.body;
  t.is(entity['@type'], 'currentStatus');
  t.is(entity.commandId, 'stream/`VIEWS`/create');
  t.deepEqual(entity.commandStatus, { status: 'SUCCESS', message: 'Stream created', queryId: null });
  t.true(entity.commandSequenceNumber > 0);
  t.deepEqual(entity.warnings, []);
});

test.serial('every statement of a request answers one entity, in order', async (t) => {
  const res = await runSql(h, 'SHOW STREAMS; SHOW TABLES; SHOW QUERIES; SHOW TOPICS; SHOW TYPES; SHOW VARIABLES; SHOW PROPERTIES;');
  t.is(res.status, 200);
  t.deepEqual(res.body.map((e: any) => e['@type']), ['streams', 'tables', 'queries', 'kafka_topics', 'type_list', 'variables', 'properties']);
  t.true(res.body[0].streams.some((s: any) => s.name === 'CLICKS' && s.topic === 'clicks' && s.valueFormat === 'JSON'));
});

test.serial('a CSAS answers the id of the query it starts', async (t) => {
  const res = await runSql(h, 'CREATE STREAM LONG_CLICKS AS SELECT ID, URL FROM CLICKS WHERE MS > 100;');
  t.is(res.status, 200);
  t.regex(res.body[0].commandStatus.queryId, /^CSAS_LONG_CLICKS_\d+$/);
  t.is(res.body[0].commandStatus.message, `Created query with ID ${res.body[0].commandStatus.queryId}`);
});

test.serial('statements without a result (SET, DEFINE, INSERT VALUES) answer no entity', async (t) => {
  const res = await runSql(h, "SET 'auto.offset.reset'='earliest'; DEFINE x = '1'; INSERT INTO CLICKS (ID, URL, MS) VALUES (1, 'a', 5);");
  t.is(res.status, 200);
  t.deepEqual(res.body, []);
});

test.serial('the application/vnd.ksql.v1+json media type is answered when asked for', async (t) => {
  const res = await postKsql(h, { ksql: 'SHOW STREAMS;' }, { accept: 'application/vnd.ksql.v1+json' });
  t.is(res.status, 200);
  t.true(res.contentType.startsWith('application/vnd.ksql.v1+json'));
});

test.serial('sessionVariables are substituted into the statements', async (t) => {
  const res = await runSql(h, 'DESCRIBE ${src};', { sessionVariables: { src: 'CLICKS' } });
  t.is(res.status, 200);
  t.is(res.body[0].sourceDescription.name, 'CLICKS');
});

test.serial('variables defined in a request do not outlive it', async (t) => {
  await runSql(h, "DEFINE kept = 'x';");
  const res = await runSql(h, 'SHOW VARIABLES;');
  t.deepEqual(res.body[0].variables, []);
});

test.serial('UNDEFINE of a variable never defined answers ksqlDB\'s warning entity; of a defined one, nothing', async (t) => {
  const res = await runSql(h, "DEFINE known = 'x'; UNDEFINE known; UNDEFINE nope;");
  t.is(res.status, 200);
  t.deepEqual(res.body, [{
    '@type': 'warning_entity', statementText: 'UNDEFINE nope;', message: "Cannot undefine variable 'nope' which was never defined", warnings: [],
  }]);
});

test.serial('streamsProperties apply to the queries the request starts', async (t) => {
  const res = await runSql(h, 'CREATE STREAM EARLY AS SELECT * FROM CLICKS;', { streamsProperties: { 'ksql.streams.auto.offset.reset': 'earliest' } });
  t.is(res.status, 200);
  const explained = await runSql(h, `EXPLAIN ${res.body[0].commandStatus.queryId};`);
  t.deepEqual(explained.body[0].queryDescription.overriddenProperties, { 'auto.offset.reset': 'earliest' });
});

test.serial('a failing statement answers a statement_error with the entities of the statements before it', async (t) => {
  const res = await runSql(h, 'SHOW STREAMS; DROP STREAM NOPE; SHOW TABLES;');
  t.is(res.status, 400);
  t.is(res.body['@type'], 'statement_error');
  t.is(res.body.error_code, 40001);
  t.is(res.body.message, 'Stream NOPE does not exist.');
  t.is(res.body.statementText, 'DROP STREAM NOPE;');
  t.deepEqual(res.body.entities.map((e: any) => e['@type']), ['streams']);
});

test.serial('a syntax error answers 40001 with the statement text', async (t) => {
  const res = await runSql(h, 'SELEC 1;');
  t.is(res.status, 400);
  t.is(res.body.error_code, 40001);
  t.is(res.body.statementText, 'SELEC 1;');
  t.regex(res.body.message, /Syntax Error/);
});

for (const sql of ['SELECT * FROM CLICKS EMIT CHANGES;', 'SELECT * FROM CLICKS;', "PRINT 'clicks';"]) {
  test.serial(`${sql} must go to a query endpoint: 40002`, async (t) => {
    const res = await runSql(h, sql);
    t.is(res.status, 400);
    t.is(res.body['@type'], 'statement_error');
    t.is(res.body.error_code, 40002);
    t.is(res.body.statementText, sql);
    t.regex(res.body.message, /should be issued to the websocket endpoint '\/query'/);
  });
}

const badRequests: [string, unknown, RegExp][] = [
  ['malformed JSON', '{"ksql": ', /Invalid JSON/],
  ['an empty body', '', /no body/],
  ['a JSON array', '[1]', /JSON object/],
  ['a missing ksql field', { streamsProperties: {} }, /'ksql' field/],
  ['a ksql field that is not a string', { ksql: 3 }, /'ksql' field/],
  ['streamsProperties that are not an object', { ksql: 'SHOW STREAMS;', streamsProperties: 'x' }, /streamsProperties/],
  ['a property value that is an object', { ksql: 'SHOW STREAMS;', streamsProperties: { 'auto.offset.reset': {} } }, /auto.offset.reset/],
  ['a property value of the wrong kind', { ksql: 'SHOW STREAMS;', streamsProperties: { 'auto.offset.reset': 'sideways' } }, /Invalid value sideways/],
  ['sessionVariables that are an array', { ksql: 'SHOW STREAMS;', sessionVariables: [1] }, /sessionVariables/],
  ['a commandSequenceNumber that is not a number', { ksql: 'SHOW STREAMS;', commandSequenceNumber: 'x' }, /commandSequenceNumber/],
  ['an oversize body', { ksql: `SHOW STREAMS; -- ${'x'.repeat(5000)}` }, /larger than the server accepts/],
];
for (const [what, body, message] of badRequests) {
  test.serial(`${what} answers a generic_error 40000`, async (t) => {
    const res = await postKsql(h, body);
    t.is(res.status, 400);
    t.is(res.body['@type'], 'generic_error');
    t.is(res.body.error_code, 40000);
    t.regex(res.body.message, message);
  });
}

test.serial('the server still answers after every kind of bad request', async (t) => {
  const res = await runSql(h, 'SHOW STREAMS;');
  t.is(res.status, 200);
});

test.serial("the service id and ksqlDB's other immutable properties cannot be overridden by a request or SET", async (t) => {
  const viaRequest = await runSql(h, 'SHOW STREAMS;', { streamsProperties: { 'ksql.service.id': 'other_' } });
  t.is(viaRequest.status, 400);
  t.is(viaRequest.body.message, "Cannot override property 'ksql.service.id'");
  const viaSet = await runSql(h, "SET 'ksql.service.id'='other_'; SHOW STREAMS;");
  t.is(viaSet.status, 400);
  t.regex(viaSet.body.message, /Cannot override property 'ksql\.service\.id'/);
  const streamsPrefixed = await runSql(h, 'SHOW STREAMS;', { streamsProperties: { 'ksql.streams.bootstrap.servers': 'elsewhere:9092' } });
  t.is(streamsPrefixed.status, 400);
  t.regex(streamsPrefixed.body.message, /Cannot override property '(ksql\.streams\.)?bootstrap\.servers'/);
});

test.serial('RUN SCRIPT is refused over REST, as ksqlDB allows it only in its command line: the server reads no file for a request', async (t) => {
  const dir = makeTempDir('ksqlite-run-script-');
  try {
    const script = join(dir, 'script.sql');
    writeFileSync(script, "CREATE STREAM FROM_SCRIPT (ID INT KEY) WITH (KAFKA_TOPIC='from_script', PARTITIONS=1, VALUE_FORMAT='JSON');\n");
    const res = await runSql(h, `RUN SCRIPT '${script}';`);
    t.is(res.status, 400);
    t.is(res.body['@type'], 'statement_error');
    t.notRegex(JSON.stringify(res.body), /FROM_SCRIPT/);
    const streams = await runSql(h, 'SHOW STREAMS;');
    t.false(JSON.stringify(streams.body).includes('FROM_SCRIPT'));
  } finally {
    removeDir(dir);
  }
});
