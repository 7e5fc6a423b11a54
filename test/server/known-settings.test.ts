import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { KsqlServer } from '../../src/server/ksql-server.js';
import { resolveServerOptions } from '../../src/server/server-options.js';
import { makeTempDir, removeDir } from '../helpers/temp-dir.js';
import { startServer, stopServer } from './helpers.js';

const dir = makeTempDir('ksqlite-settings-');
test.after.always(() => removeDir(dir));

function start(properties: Record<string, string>): Promise<KsqlServer> {
  return KsqlServer.start({ host: '127.0.0.1', port: 0, dataDir: join(dir, 'data'), properties });
}

test('a setting neither ksqlDB nor ksqlite has refuses the start, naming every such setting', async (t) => {
  await t.throwsAsync(start({ 'ksql.service.id': 'x_', 'authentication.methd': 'BASIC', listners: 'http://0.0.0.0:1' }), {
    message: "unknown setting 'authentication.methd': neither ksqlDB nor ksqlite has it; unknown setting 'listners': neither ksqlDB nor ksqlite has it",
  });
  await t.throwsAsync(start({ 'consumer.no.such.thing': '1' }), { message: /unknown setting 'consumer\.no\.such\.thing'/ });
});

test('a garbage line in the config file is refused, naming the line', async (t) => {
  const file = join(dir, 'garbage.properties');
  writeFileSync(file, 'ksql.service.id=ok_\nthis is not a setting\n');
  t.throws(() => resolveServerOptions(['--config', file], {}), { message: /garbage\.properties line 2: 'this is not a setting' is not a setting: expected name=value/ });
});

test('ksqlDB settings ksqlite does not implement, where ignoring them would weaken security, are refused by name', async (t) => {
  await t.throwsAsync(start({ 'ksql.authentication.plugin.class': 'com.example.Auth' }), { message: /'ksql\.authentication\.plugin\.class' is not supported by ksqlite/ });
  await t.throwsAsync(start({ 'ksql.security.extension.class': 'com.example.Ext' }), { message: /'ksql\.security\.extension\.class' is not supported by ksqlite/ });
});

test('ksql.* names, ksql.streams.* pass-through, Kafka client settings bare (librdkafka\'s names that ksqlite\'s Kafka client reads too) or behind client prefixes, ksqlDB REST settings and the Kafka listener broker settings start', async (t) => {
  const s = await startServer(undefined, {
    properties: {
      'ksql.service.id': 'svc_',
      'ksql.streams.producer.compression.type': 'lz4',
      'ksql.streams.num.stream.threads': '4',
      'ksql.functions.my_udf.setting': 'x',
      'ksql.logging.processing.topic.auto.create': 'true',
      'bootstrap.servers': 'localhost:9092',
      'security.protocol': 'PLAINTEXT',
      'sasl.mechanism': 'PLAIN',
      'sasl.username': 'alice',
      'ssl.ca.location': 'ca.pem',
      'consumer.max.poll.records': '100',
      'producer.linger.ms': '5',
      'main.consumer.fetch.min.bytes': '1',
      'compression.type': 'snappy',
      'access.control.allow.origin': 'https://app.example',
      'response.http.headers.config': 'add X-Frame-Options: DENY',
      'auto.offset.reset': 'earliest',
      'repartition.purge.interval.ms': '1000',
      'auto.create.topics.enable': 'false',
      'num.partitions': '3',
      'group.min.session.timeout.ms': '1000',
      'group.max.session.timeout.ms': '60000',
    },
  });
  t.pass();
  await stopServer(s);
});
