/**
 * developer-guide/ksqldb-rest-api/*.md: the pages' curl examples and the
 * shapes of their answers (passes as written): /ksql with a list and two
 * CSAS in one request, commandSequenceNumber, /query's header/row/
 * finalMessage objects, /query-stream with session variables, PRINT and
 * /inserts-stream, /status, /info, /healthcheck and /is_valid_property.
 */
import test from 'ava';
import { request, useServer } from '../server/helpers.js';
import { postStreamHttp1 } from '../server/stream-helpers.js';

const h = useServer({
  statements: [
    "CREATE STREAM pageviews_original (viewtime BIGINT, userid VARCHAR, pageid VARCHAR) WITH (kafka_topic='pageviews', partitions=1, value_format='json');",
    "INSERT INTO pageviews_original (viewtime, userid, pageid) VALUES (1, 'alice', 'home');",
  ],
});

const KSQL = { accept: 'application/vnd.ksql.v1+json', 'content-type': 'application/vnd.ksql.v1+json' };

async function ksql(body: unknown): Promise<any> {
  const res = await request(`${h.url}/ksql`, { method: 'POST', headers: KSQL, body: JSON.stringify(body) });
  return res;
}

test.serial('/ksql: LIST STREAMS, two statements in one request, a later one waiting on a commandSequenceNumber; /status', async (t) => {
  const list = await ksql({ ksql: 'LIST STREAMS;', streamsProperties: {} });
  t.is(list.status, 200);
  t.like(list.body[0], { '@type': 'streams', statementText: 'LIST STREAMS;', warnings: [] });
  const created = await ksql({
    ksql: "CREATE STREAM pageviews_home AS SELECT * FROM pageviews_original WHERE pageid='home'; CREATE STREAM pageviews_alice AS SELECT * FROM pageviews_original WHERE userid='alice';",
    streamsProperties: { 'ksql.streams.auto.offset.reset': 'earliest' },
  });
  t.is(created.status, 200);
  t.deepEqual(created.body.map((e: any) => [e.statementText, e.commandId, e.commandStatus.status]), [
    ["CREATE STREAM pageviews_home AS SELECT * FROM pageviews_original WHERE pageid='home';", 'stream/`PAGEVIEWS_HOME`/create', 'SUCCESS'],
    ["CREATE STREAM pageviews_alice AS SELECT * FROM pageviews_original WHERE userid='alice';", 'stream/`PAGEVIEWS_ALICE`/create', 'SUCCESS'],
  ]);
  const sequence = created.body[1].commandSequenceNumber as number;
  t.true(Number.isInteger(sequence));
  const counted = await ksql({
    ksql: 'CREATE TABLE pageviews_home_count AS SELECT userid, COUNT(*) FROM pageviews_home GROUP BY userid EMIT CHANGES;',
    commandSequenceNumber: sequence,
  });
  t.is(counted.status, 200);
  t.is(counted.body[0].commandSequenceNumber, sequence + 1);
  const status = await request(`${h.url}/status/stream/PAGEVIEWS_HOME/create`, { headers: KSQL });
  t.like(status.body, { status: 'SUCCESS' });
});

test.serial('/query: a header with queryId and schema, rows, and the final message of a LIMIT', async (t) => {
  const res = postStreamHttp1(h.url, '/query', JSON.stringify({
    ksql: 'SELECT * FROM pageviews_original EMIT CHANGES LIMIT 1;', streamsProperties: { 'ksql.streams.auto.offset.reset': 'earliest' },
  }), KSQL);
  await res.ended;
  const body = JSON.parse(res.text()) as any[];
  t.regex(body[0].header.queryId, /^transient_PAGEVIEWS_ORIGINAL_\d+$/);
  t.is(body[0].header.schema, '`VIEWTIME` BIGINT, `USERID` STRING, `PAGEID` STRING');
  t.deepEqual(body.slice(1), [{ row: { columns: [1, 'alice', 'home'] } }, { finalMessage: 'Limit Reached' }]);
});

test.serial('/query-stream: session variables, application/json, PRINT in the delimited format only; /inserts-stream acks', async (t) => {
  const query = postStreamHttp1(h.url, '/query-stream', JSON.stringify({
    sql: 'SELECT userid AS ${name} FROM pageviews_original EMIT CHANGES LIMIT 1;', sessionVariables: { name: 'user' }, properties: { 'auto.offset.reset': 'earliest' },
  }), { accept: 'application/json' });
  await query.ended;
  const [header, ...rows] = JSON.parse(query.text()) as any[];
  t.deepEqual([header.columnNames, header.columnTypes, rows], [['USER'], ['STRING'], [['alice']]]);

  const print = postStreamHttp1(h.url, '/query-stream', JSON.stringify({ sql: 'print `pageviews` from beginning limit 1;' }));
  await print.ended;
  t.regex(print.text(), /^rowtime: \d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d\.\d{3} Z, key: <null>, value: \{"VIEWTIME":1,"USERID":"alice","PAGEID":"home"\}, partition: 0\n/);
  const refused = postStreamHttp1(h.url, '/query-stream', JSON.stringify({ sql: 'print `pageviews` from beginning limit 1;' }), { accept: 'application/json' });
  t.is(await refused.status, 406);

  const inserts = postStreamHttp1(h.url, '/inserts-stream', '{"target":"pageviews_original"}\n{"VIEWTIME":2,"USERID":"bob","PAGEID":"about"}\n');
  await inserts.ended;
  t.is(inserts.text(), '{"status":"ok","seq":0}\n');
});

test.serial('/info, /healthcheck and /is_valid_property', async (t) => {
  const info = await request(`${h.url}/info`);
  t.like(info.body.KsqlServerInfo, { ksqlServiceId: 'default_' });
  t.like((await request(`${h.url}/healthcheck`)).body, { isHealthy: true, details: { metastore: { isHealthy: true }, kafka: { isHealthy: true } } });
  t.deepEqual((await request(`${h.url}/is_valid_property/ksql.service.id`)).body, {
    '@type': 'generic_error', error_code: 40000,
    message: 'One or more properties overrides set locally are prohibited by the KSQL server (use UNSET to reset their default value): [ksql.service.id]',
  });
});
