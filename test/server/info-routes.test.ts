import test from 'ava';
import { request, runSql, useServer } from './helpers.js';

const h = useServer();

test('GET /info answers the server info', async (t) => {
  const res = await request(`${h.url}/info`);
  t.is(res.status, 200);
  t.like(res.body.KsqlServerInfo, { ksqlServiceId: 'default_', serverStatus: 'RUNNING' });
  t.regex(res.body.KsqlServerInfo.version, /^\d+\.\d+\.\d+$/);
  t.is(typeof res.body.KsqlServerInfo.kafkaClusterId, 'string');
});

test('GET / redirects to /info', async (t) => {
  const res = await fetch(`${h.url}/`, { redirect: 'manual' });
  t.true(res.status >= 300 && res.status < 400);
  t.is(res.headers.get('location'), '/info');
  const followed = await request(`${h.url}/`, { redirect: 'follow' });
  t.truthy(followed.body.KsqlServerInfo);
});

test('GET /healthcheck answers healthy with its details', async (t) => {
  const res = await request(`${h.url}/healthcheck`);
  t.is(res.status, 200);
  t.deepEqual(res.body, { isHealthy: true, details: { metastore: { isHealthy: true }, kafka: { isHealthy: true }, commandRunner: { isHealthy: true } } });
});

test.serial('GET /clusterStatus names this host and the partitions its queries read', async (t) => {
  await runSql(h, "CREATE STREAM CS (ID INT KEY, V STRING) WITH (KAFKA_TOPIC='cs', PARTITIONS=2, VALUE_FORMAT='JSON');");
  const created = await runSql(h, 'CREATE STREAM CS2 AS SELECT * FROM CS;');
  const queryId = created.body[0].commandStatus.queryId;
  const res = await request(`${h.url}/clusterStatus`);
  t.is(res.status, 200);
  const hosts = Object.keys(res.body.clusterStatus);
  t.deepEqual(hosts, [`127.0.0.1:${h.server.port}`]);
  const host = res.body.clusterStatus[hosts[0]!];
  t.true(host.hostAlive);
  t.deepEqual(host.activeStandbyPerQuery[queryId].activePartitions, [{ topic: 'cs', partition: 0 }, { topic: 'cs', partition: 1 }]);
});

test.serial('GET /status lists the commands run, and /status/:id answers one of them', async (t) => {
  await runSql(h, "CREATE STREAM ST1 (ID INT KEY, V STRING) WITH (KAFKA_TOPIC='st1', PARTITIONS=1, VALUE_FORMAT='JSON');");
  const all = await request(`${h.url}/status`);
  t.is(all.status, 200);
  t.is(all.body.commandStatuses['stream/`ST1`/create'], 'SUCCESS');
  const one = await request(`${h.url}/status/stream/${encodeURIComponent('`ST1`')}/create`);
  t.is(one.status, 200);
  t.deepEqual(one.body, { status: 'SUCCESS', message: 'Stream created', queryId: null });
  const unquoted = await request(`${h.url}/status/stream/ST1/create`);
  t.deepEqual(unquoted.body, one.body);
});

test('GET /status of an unknown command is a 40400', async (t) => {
  const res = await request(`${h.url}/status/stream/NOPE/create`);
  t.is(res.status, 404);
  t.like(res.body, { '@type': 'generic_error', error_code: 40400 });
});

test('POST /is_valid_property answers true for a property a request may set', async (t) => {
  const res = await request(`${h.url}/is_valid_property/auto.offset.reset`, { method: 'POST' });
  t.is(res.status, 200);
  t.is(res.body, true);
});

test('POST /is_valid_property answers 40000 for a property only the server may set', async (t) => {
  const res = await request(`${h.url}/is_valid_property/ksql.service.id`, { method: 'POST' });
  t.is(res.status, 400);
  t.like(res.body, { '@type': 'generic_error', error_code: 40000 });
  t.regex(res.body.message, /prohibited by the KSQL server.*\[ksql.service.id\]/);
});

test('an unknown path answers a generic_error 40400', async (t) => {
  const res = await request(`${h.url}/no/such/thing`);
  t.is(res.status, 404);
  t.like(res.body, { '@type': 'generic_error', error_code: 40400 });
});
