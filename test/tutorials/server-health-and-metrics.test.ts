/**
 * operate-and-deploy/installation/check-ksqldb-server-health.md, monitoring.md
 * and reference/metrics.md, as an operator checks a server: SHOW STREAMS
 * then DESCRIBE EXTENDED, SHOW QUERIES then EXPLAIN, `/info` (version, Kafka
 * cluster id, service id) and `/healthcheck` (passes as written). ksqlDB's
 * JMX metrics are Java's; ksqlite serves its own as Prometheus text at
 * `/metrics`, where ksqlDB's running-queries and error-queries are
 * `ksqlite_persistent_queries{state}` and a query's messages consumed and
 * produced are counters per topic (README, "Watching queries run").
 */
import test from 'ava';
import { request, useServer } from '../server/helpers.js';
import { Tutorial } from './tutorial.js';

const h = useServer();

test.serial('DESCRIBE EXTENDED and EXPLAIN of the server\'s streams and queries', async (t) => {
  const tutorial = new Tutorial(h);
  await tutorial.run(`
    CREATE STREAM pageviews (viewtime BIGINT, pageid VARCHAR) WITH (kafka_topic='pageviews', partitions=1, value_format='JSON');
    SET 'auto.offset.reset' = 'earliest';
    CREATE STREAM pageviews_home AS SELECT * FROM pageviews WHERE pageid = 'home';
    INSERT INTO pageviews (viewtime, pageid) VALUES (1, 'home');
  `);
  const [streams] = await tutorial.run('SHOW STREAMS;') as any[];
  t.deepEqual(streams.streams.map((s: any) => s.name), ['PAGEVIEWS', 'PAGEVIEWS_HOME']);
  const [queries] = await tutorial.run('SHOW QUERIES;') as any[];
  t.deepEqual(queries.queries.map((q: any) => [q.id, q.state]), [['CSAS_PAGEVIEWS_HOME_0', 'RUNNING']]);
  const [explained] = await tutorial.run('EXPLAIN CSAS_PAGEVIEWS_HOME_0;') as any[];
  t.like(explained.queryDescription, { id: 'CSAS_PAGEVIEWS_HOME_0', state: 'RUNNING', sinks: ['PAGEVIEWS_HOME'] });
  let described: any;
  for (const deadline = Date.now() + 10_000; Date.now() < deadline;) {
    [described] = await tutorial.run('DESCRIBE pageviews_home EXTENDED;') as any[];
    if (/total-messages: +1 /.test(described.sourceDescription.statistics)) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  t.regex(described.sourceDescription.statistics, /total-messages: +1 /);
});

test.serial('/info and /healthcheck', async (t) => {
  const info = await request(`${h.url}/info`);
  t.like(info.body.KsqlServerInfo, { ksqlServiceId: 'default_', serverStatus: 'RUNNING' });
  t.regex(info.body.KsqlServerInfo.version, /^\d+\.\d+\.\d+/);
  t.is(typeof info.body.KsqlServerInfo.kafkaClusterId, 'string');
  const health = await request(`${h.url}/healthcheck`);
  t.is(health.status, 200);
  t.like(health.body, { isHealthy: true, details: { metastore: { isHealthy: true }, kafka: { isHealthy: true } } });
});

test.serial('/metrics: persistent queries by state, and a query\'s messages consumed and produced', async (t) => {
  const res = await fetch(`${h.url}/metrics`);
  const text = await res.text();
  t.regex(text, /^ksqlite_persistent_queries\{state="RUNNING"\} 1$/m);
  t.regex(text, /^ksqlite_persistent_queries\{state="ERROR"\} 0$/m);
  t.regex(text, /^ksqlite_query_records_consumed_total\{query_id="CSAS_PAGEVIEWS_HOME_0",topic="pageviews"\} 1$/m);
  t.regex(text, /^ksqlite_query_records_produced_total\{query_id="CSAS_PAGEVIEWS_HOME_0",topic="PAGEVIEWS_HOME"\} 1$/m);
});
