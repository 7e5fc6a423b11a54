/** The Kafka broker properties the Kafka listener reads from the server's properties, with Kafka's defaults. */
import test from 'ava';
import { DEFAULT_MAX_CONNECTIONS } from '../../src/broker/kafka-protocol/kafka-listener.js';
import { resolveKafkaSettings } from '../../src/server/kafka-settings.js';
import { WireClient } from '../helpers/kafka-wire.js';
import { startServer, stopServer } from './helpers.js';

test('without properties, Kafka\'s defaults: topics auto-created with one partition, sessions of 6 s to 30 min; 1000 connections', (t) => {
  t.deepEqual(resolveKafkaSettings({}), {
    autoCreateTopics: true, defaultPartitions: 1, maxConnections: DEFAULT_MAX_CONNECTIONS, groups: { minSessionTimeoutMs: 6000, maxSessionTimeoutMs: 1_800_000 },
  });
  t.like(resolveKafkaSettings({ 'auto.create.topics.enable': 'FALSE', 'num.partitions': '3', 'max.connections': '50' }), {
    autoCreateTopics: false, defaultPartitions: 3, maxConnections: 50,
  });
  t.throws(() => resolveKafkaSettings({ 'max.connections': '0' }), { message: "Invalid max.connections '0': expected a whole number of at least 1" });
  t.throws(() => resolveKafkaSettings({ 'max.connections': '' }), { message: /Invalid max.connections/ });
  t.throws(() => resolveKafkaSettings({ 'num.partitions': '1.5' }), { message: "Invalid num.partitions '1.5': expected a whole number of at least 1" });
  t.throws(() => resolveKafkaSettings({ 'auto.create.topics.enable': 'yes' }), { message: /Invalid auto.create.topics.enable 'yes'/ });
});

test('group.min.session.timeout.ms and group.max.session.timeout.ms bound a group member\'s session timeout', (t) => {
  const settings = resolveKafkaSettings({ 'group.min.session.timeout.ms': '100', 'group.max.session.timeout.ms': '5000' });
  t.deepEqual(settings.groups, { minSessionTimeoutMs: 100, maxSessionTimeoutMs: 5000 });
});

test('a bound that is not a whole number, or a maximum below the minimum, refuses the start by name', (t) => {
  t.throws(() => resolveKafkaSettings({ 'group.min.session.timeout.ms': 'soon' }), { message: "Invalid group.min.session.timeout.ms 'soon': expected a whole number of at least 1" });
  t.throws(() => resolveKafkaSettings({ 'group.min.session.timeout.ms': '' }), { message: /Invalid group\.min\.session\.timeout\.ms ''/ });
  t.throws(() => resolveKafkaSettings({ 'group.min.session.timeout.ms': '10000', 'group.max.session.timeout.ms': '9000' }), {
    message: "Invalid group.max.session.timeout.ms '9000': expected a whole number of at least 10000",
  });
  t.throws(() => resolveKafkaSettings({ 'num.partitions': '0' }), { message: "Invalid num.partitions '0': expected a whole number of at least 1" });
});

test.serial('the server hands the session bounds to its Kafka listener\'s groups', async (t) => {
  const h = await startServer(undefined, { kafkaPort: 0, properties: { 'group.min.session.timeout.ms': '100' } });
  const client = await WireClient.open(h.server.kafka!.port);
  try {
    const joinError = async (sessionMs: number): Promise<number> => {
      const r = await client.call(11, 1, (w) => {
        w.string('bounded').int32(sessionMs).int32(1000).string('').string('consumer');
        w.array(['range'], (pw, name) => pw.string(name).nullableBytes([Buffer.alloc(0)]));
      });
      return r.int16();
    };
    t.is(await joinError(50), 26, 'INVALID_SESSION_TIMEOUT below the configured minimum');
    t.is(await joinError(500), 0, 'a session below Kafka\'s default minimum of 6 s, allowed by the setting');
  } finally {
    client.close();
    await stopServer(h);
  }
});
