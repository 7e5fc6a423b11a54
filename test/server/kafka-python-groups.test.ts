/**
 * The Python Kafka clients Debian packages, unmodified, as group consumers of
 * the server's Kafka listener: kafka-python and confluent-kafka-python
 * (librdkafka) read what was produced, commit, and a second run of the same
 * group reads only what came after the commit.
 */
import test from 'ava';
import { consumeInGroup, pythonClientMissing, type PythonClient } from '../helpers/python-kafka.js';
import { useServer } from './helpers.js';

const h = useServer({ start: { kafkaPort: 0 } });

function produce(topic: string, from: number, count: number): void {
  h.server.broker.append(topic, Array.from({ length: count }, (_, i) => ({ key: Buffer.from(`key-${from + i}`), value: Buffer.from(`value-${from + i}`) })));
}

const values = (from: number, count: number): string[] => Array.from({ length: count }, (_, i) => `value-${from + i}`);

for (const client of ['kafka-python', 'confluent-kafka'] as const satisfies readonly PythonClient[]) {
  const missing = pythonClientMissing(client);
  if (missing !== null) console.log(`skipping the ${client} group test: ${missing}`);
  (missing === null ? test.serial : test.serial.skip)(`a ${client} consumer in a group reads what was produced, commits, and its group resumes after the commit`, async (t) => {
    const topic = `${client}-topic`;
    const group = `${client}-group`;
    const { broker } = h.server;
    broker.createTopic(topic, { partitions: 3 });
    produce(topic, 0, 30);
    const first = await consumeInGroup(client, h.server.kafka!.port, topic, group, 30);
    t.deepEqual([...first].sort(), values(0, 30).sort());
    t.deepEqual(broker.committedOffsets(group).map((o) => [o.partition, o.offset]).sort(), broker.describeTopic(topic).partitions.map((p) => [p.partition, p.logEndOffset]));

    produce(topic, 30, 6);
    const second = await consumeInGroup(client, h.server.kafka!.port, topic, group, 6);
    t.deepEqual([...second].sort(), values(30, 6).sort(), 'only the records after the committed offsets');
  });
}
