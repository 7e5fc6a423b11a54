import test from 'ava';
import { DEFAULT_MAX_CONNECTIONS } from '../../src/broker/kafka-protocol/kafka-listener.js';
import { resolveKafkaSettings } from '../../src/server/kafka-settings.js';

test('the Kafka listener settings: defaults, Kafka names, and whole numbers of at least 1', (t) => {
  t.deepEqual(resolveKafkaSettings({}), { autoCreateTopics: true, defaultPartitions: 1, maxConnections: DEFAULT_MAX_CONNECTIONS });
  t.deepEqual(resolveKafkaSettings({ 'auto.create.topics.enable': 'FALSE', 'num.partitions': '3', 'max.connections': '50' }), {
    autoCreateTopics: false, defaultPartitions: 3, maxConnections: 50,
  });
  t.throws(() => resolveKafkaSettings({ 'max.connections': '0' }), { message: "Invalid max.connections '0': expected a whole number of at least 1" });
  t.throws(() => resolveKafkaSettings({ 'max.connections': '' }), { message: /Invalid max.connections/ });
  t.throws(() => resolveKafkaSettings({ 'num.partitions': '1.5' }), { message: "Invalid num.partitions '1.5': expected a whole number of at least 1" });
  t.throws(() => resolveKafkaSettings({ 'auto.create.topics.enable': 'yes' }), { message: /Invalid auto.create.topics.enable 'yes'/ });
});
