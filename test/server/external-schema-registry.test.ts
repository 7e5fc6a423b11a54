/**
 * A server with `ksql.schema.registry.url` uses that registry over HTTP: an
 * embedded registry in a worker thread stands in for an external one (it
 * answers while the server's thread waits on it).
 */
import test from 'ava';
import avro from 'avsc';
import { subjectOf } from '../../src/formats/index.js';
import { readTopic } from '../helpers/read-topic.js';
import { startRegistryThread, type RegistryThread } from '../helpers/registry-thread.js';
import { makeTempDir, removeDir } from '../helpers/temp-dir.js';
import { eventually } from './stream-helpers.js';
import { makeDataDir, runSql, runSqlOrThrow, startServer, stopServer, type Harness } from './helpers.js';

const EARLIEST = { streamsProperties: { 'ksql.streams.auto.offset.reset': 'earliest' } };

async function latest(registry: RegistryThread, subject: string): Promise<{ id: number; schema: string }> {
  const reply = await fetch(`${registry.url}/subjects/${subject}/versions/latest`);
  return (await reply.json()) as { id: number; schema: string };
}

function withRegistry(registry: RegistryThread, dataDir = makeDataDir()): Promise<Harness> {
  return startServer(dataDir, { properties: { 'ksql.schema.registry.url': `http://127.0.0.1:1,${registry.url}` } });
}

function names(h: Harness, topic: string): string[] {
  return readTopic(h.server.broker, topic).map((r) => {
    const { schemaId, name } = { schemaId: r.value!.readInt32BE(1), name: avro.Type.forSchema({ type: 'record', name: 'R', fields: [{ name: 'NAME', type: ['null', 'string'] }] }).fromBuffer(r.value!.subarray(5)).NAME };
    return `${schemaId}:${name}`;
  });
}

test.serial('generated schemas are registered in the external registry on CREATE and CSAS, records are framed with its ids, and a restarted server reads them on', async (t) => {
  const registryDir = makeTempDir('ksqlite-external-registry-');
  const registry = await startRegistryThread(registryDir);
  let h = await withRegistry(registry);
  try {
    await runSqlOrThrow(h, "CREATE STREAM S (ID INT KEY, NAME STRING) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='AVRO');");
    const source = await latest(registry, subjectOf('s', 'value'));
    t.is(JSON.parse(source.schema).name, 'KsqlDataSourceSchema');
    await runSqlOrThrow(h, "INSERT INTO S (ID, NAME) VALUES (1, 'one');");
    await runSqlOrThrow(h, "CREATE STREAM T WITH (KAFKA_TOPIC='t', VALUE_FORMAT='AVRO') AS SELECT ID, UCASE(NAME) AS NAME FROM S;", EARLIEST);
    const sink = await latest(registry, subjectOf('t', 'value'));
    t.true(await eventually(() => h.server.broker.hasTopic('t') && readTopic(h.server.broker, 't').length === 1, 10_000));
    t.deepEqual(names(h, 's'), [`${source.id}:one`]);
    t.deepEqual(names(h, 't'), [`${sink.id}:ONE`]);

    // Records another producer framed with an id of the external registry: a stream without columns takes them from there.
    const schema = { type: 'record', name: 'Visit', fields: [{ name: 'PAGE', type: 'string' }, { name: 'MS', type: 'long' }] };
    const registered = await fetch(`${registry.url}/subjects/visits-value/versions`, {
      method: 'POST', headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' }, body: JSON.stringify({ schema: JSON.stringify(schema) }),
    });
    const visitId = ((await registered.json()) as { id: number }).id;
    const frame = (value: object): Buffer => {
      const header = Buffer.alloc(5);
      header.writeInt32BE(visitId, 1);
      return Buffer.concat([header, avro.Type.forSchema(schema as avro.Schema).toBuffer(value)]);
    };
    h.server.broker.createTopic('visits', { partitions: 1 });
    h.server.broker.append('visits', [{ key: null, value: frame({ PAGE: '/home', MS: 5 }), timestamp: 1 }]);
    await runSqlOrThrow(h, "CREATE STREAM VISITS WITH (KAFKA_TOPIC='visits', VALUE_FORMAT='AVRO');");
    await runSqlOrThrow(h, "CREATE STREAM PAGES WITH (KAFKA_TOPIC='pages', VALUE_FORMAT='JSON') AS SELECT PAGE, MS * 2 AS MS2 FROM VISITS;", EARLIEST);
    t.true(await eventually(() => h.server.broker.hasTopic('pages') && readTopic(h.server.broker, 'pages').length === 1, 10_000));

    await stopServer(h, false);
    h = await withRegistry(registry, h.dataDir);
    // The restarted server has nothing cached: the old query reads and writes with ids fetched again.
    await runSqlOrThrow(h, "INSERT INTO S (ID, NAME) VALUES (2, 'two');");
    h.server.broker.append('visits', [{ key: null, value: frame({ PAGE: '/about', MS: 7 }), timestamp: 2 }]);
    t.true(await eventually(() => readTopic(h.server.broker, 't').length === 2 && readTopic(h.server.broker, 'pages').length === 2, 10_000));
    t.deepEqual(names(h, 't'), [`${sink.id}:ONE`, `${sink.id}:TWO`]);
    t.deepEqual(readTopic(h.server.broker, 'pages').map((r) => String(r.value)), ['{"PAGE":"/home","MS2":10}', '{"PAGE":"/about","MS2":14}']);
  } finally {
    await stopServer(h);
    await registry.stop();
    removeDir(registryDir);
  }
});

test.serial('with the registry down a statement fails at once with a clear error, and a record whose schema cannot be fetched goes to the processing log', async (t) => {
  const registryDir = makeTempDir('ksqlite-external-registry-');
  const registry = await startRegistryThread(registryDir);
  let h = await withRegistry(registry);
  try {
    await runSqlOrThrow(h, "CREATE STREAM S (ID INT KEY, NAME STRING) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='AVRO');");
    await runSqlOrThrow(h, "INSERT INTO S (ID, NAME) VALUES (1, 'one');");
    await runSqlOrThrow(h, "CREATE STREAM J WITH (KAFKA_TOPIC='j', VALUE_FORMAT='JSON') AS SELECT * FROM S;", EARLIEST);
    t.true(await eventually(() => h.server.broker.hasTopic('j') && readTopic(h.server.broker, 'j').length === 1, 10_000));
    await stopServer(h, false);
    await registry.stop();
    h = await withRegistry(registry, h.dataDir);

    const started = Date.now();
    const refused = await runSql(h, "CREATE STREAM U (ID INT KEY, NAME STRING) WITH (KAFKA_TOPIC='u', PARTITIONS=1, VALUE_FORMAT='AVRO');");
    t.is(refused.status, 400);
    t.regex(refused.body.message, /Could not register schema for topic: The Schema Registry cannot be reached: .*ECONNREFUSED/);
    t.true(Date.now() - started < 5000, 'a refused connection fails at once');

    // S's records carry an id the new server has never fetched: each goes to the processing log, the query runs on.
    h.server.broker.append('s', [{ key: null, value: readTopic(h.server.broker, 's')[0]!.value, timestamp: 9 }]);
    const logTopic = h.server.engine.config.processingLogTopic;
    t.true(await eventually(() => h.server.broker.hasTopic(logTopic) && readTopic(h.server.broker, logTopic).length >= 1, 10_000));
    const entry = JSON.parse(String(readTopic(h.server.broker, logTopic)[0]!.value)).message.deserializationError;
    t.is(entry.errorMessage, 'Error deserializing message from topic: s');
    t.regex(entry.cause.join('\n'), /The Schema Registry cannot be reached/);
    t.is(readTopic(h.server.broker, 'j').length, 1);
    t.true(h.server.engine.listQueries().every((q) => q.state === 'RUNNING'));
  } finally {
    await stopServer(h);
    removeDir(registryDir);
  }
});
