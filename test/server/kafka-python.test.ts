/**
 * The Python Kafka clients against the server's Kafka listener, unmodified:
 * kafka-python 2.0.2 (Debian python3-kafka: Metadata v0/v1, Produce v7, Fetch
 * v4, ListOffsets v1, CRCs checked) and confluent-kafka-python (Debian
 * python3-confluent-kafka, librdkafka inside). Each produces keyed records
 * with headers and timestamps, reads them back with a plain assigned
 * consumer (no group), and ksqlite's log holds the same records.
 */
import test from 'ava';
import { partitionForKey } from '../../src/broker/index.js';
import { findPythonModule, runPython } from '../helpers/python-kafka.js';
import { runSqlOrThrow, useServer } from './helpers.js';

const h = useServer({ start: { kafkaPort: 0 } });
const bootstrap = (): string => `127.0.0.1:${h.server.kafka!.port}`;

const kafkaPython = findPythonModule('kafka', 'python3-kafka');
const confluent = findPythonModule('confluent_kafka', 'python3-confluent-kafka');
if (kafkaPython.missing !== null) console.log(`skipping the kafka-python tests: ${kafkaPython.missing}`);
if (confluent.missing !== null) console.log(`skipping the confluent-kafka-python tests: ${confluent.missing}`);

interface ReadRecord {
  readonly partition: number;
  readonly offset: number;
  readonly key: string;
  readonly value: string;
  readonly headers: [string, string][];
  readonly timestamp: number;
}

/** Both scripts: argv bootstrap, topic, partitions, compression; print one JSON line per record read back. */
const KAFKA_PYTHON_ROUND_TRIP = `
import json, sys
from kafka import KafkaConsumer, KafkaProducer, TopicPartition
bootstrap, topic, partitions, compression = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
producer = KafkaProducer(bootstrap_servers=bootstrap, compression_type=None if compression == 'none' else compression)
sent = [producer.send(topic, key=b'key-%d' % i, value=b'value %d ' % i * 5, headers=[('n', str(i).encode())], timestamp_ms=1600000000000 + i) for i in range(12)]
producer.flush()
for future in sent:
    future.get(timeout=5)
producer.close()
consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False, consumer_timeout_ms=5000)
consumer.assign([TopicPartition(topic, p) for p in range(partitions)])
consumer.seek_to_beginning()
read = 0
for m in consumer:
    print(json.dumps({'partition': m.partition, 'offset': m.offset, 'key': m.key.decode(), 'value': m.value.decode(),
                      'headers': [[k, v.decode()] for k, v in m.headers], 'timestamp': m.timestamp}))
    read += 1
    if read == len(sent):
        break
consumer.close()
`;

const CONFLUENT_ROUND_TRIP = `
import json, sys, time
from confluent_kafka import Consumer, Producer, TopicPartition, OFFSET_BEGINNING
bootstrap, topic, partitions, compression = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
failures = []
producer = Producer({'bootstrap.servers': bootstrap, 'partitioner': 'murmur2_random', 'compression.type': compression})
for i in range(12):
    producer.produce(topic, key=b'key-%d' % i, value=b'value %d ' % i * 5, headers=[('n', str(i).encode())], timestamp=1600000000000 + i,
                     on_delivery=lambda error, message: error is not None and failures.append(str(error)))
if producer.flush(10) != 0 or failures:
    sys.exit('produce failed: %s' % failures)
consumer = Consumer({'bootstrap.servers': bootstrap, 'group.id': 'assigned-only', 'enable.auto.commit': False})
consumer.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in range(partitions)])
read, deadline = 0, time.time() + 10
while read < 12 and time.time() < deadline:
    m = consumer.poll(0.2)
    if m is None:
        continue
    if m.error():
        sys.exit('consume failed: %s' % m.error())
    print(json.dumps({'partition': m.partition(), 'offset': m.offset(), 'key': m.key().decode(), 'value': m.value().decode(),
                      'headers': [[k, v.decode()] for k, v in (m.headers() or [])], 'timestamp': m.timestamp()[1]}))
    read += 1
consumer.close()
`;

const KAFKA_PYTHON_ADMIN = `
import json, sys
from kafka.admin import ConfigResource, ConfigResourceType, KafkaAdminClient, NewPartitions
bootstrap, topic = sys.argv[1], sys.argv[2]
admin = KafkaAdminClient(bootstrap_servers=bootstrap)
grown = admin.create_partitions({topic: NewPartitions(total_count=4)})
admin.alter_configs([ConfigResource(ConfigResourceType.TOPIC, topic, configs={'retention.ms': '7200000'})])
described = admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, topic)])
entries = described[0].resources[0][4]
print(json.dumps({'grow_errors': [e[1] for e in grown.topic_errors], 'configs': {e[0]: [e[1], e[3]] for e in entries}}))
admin.close()
`;

async function roundTrip(t: import('ava').ExecutionContext, python: string, script: string, topic: string, compression: string): Promise<void> {
  await runSqlOrThrow(h, `CREATE STREAM ${topic} (K STRING KEY, V STRING) WITH (KAFKA_TOPIC='${topic}', PARTITIONS=3, KEY_FORMAT='KAFKA', VALUE_FORMAT='KAFKA');`);
  const result = await runPython(python, script, [bootstrap(), topic, '3', compression]);
  t.is(result.code, 0, result.stderr);
  const read = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as ReadRecord);
  t.is(read.length, 12);
  const expected = Array.from({ length: 12 }, (_, i) => ({ key: `key-${i}`, value: `value ${i} `.repeat(5), headers: [['n', String(i)]], timestamp: 1600000000000 + i }));
  t.deepEqual(
    [...read].sort((a, b) => a.timestamp - b.timestamp).map(({ key, value, headers, timestamp }) => ({ key, value, headers, timestamp })),
    expected,
  );
  const { broker } = h.server;
  for (const record of read) {
    t.is(record.partition, partitionForKey(Buffer.from(record.key), 3), `the client and ksqlite agree on the partition of ${record.key}`);
    const stored = broker.read(topic, record.partition, record.offset, { maxRecords: 1 })[0]!;
    t.deepEqual([String(stored.key), String(stored.value), stored.timestamp], [record.key, record.value, record.timestamp], 'ksqlite reads the same record');
  }
}

const kafkaPythonTest = kafkaPython.python === null ? test.serial.skip : test.serial;
const confluentTest = confluent.python === null ? test.serial.skip : test.serial;

for (const compression of ['none', 'gzip']) {
  kafkaPythonTest(`kafka-python produces keyed records (${compression}) with headers and timestamps and an assigned consumer reads them back`, async (t) => {
    await roundTrip(t, kafkaPython.python!, KAFKA_PYTHON_ROUND_TRIP, `kp_${compression}`, compression);
  });
}

kafkaPythonTest('kafka-python\'s admin client grows a topic and alters and describes its configs', async (t) => {
  await runSqlOrThrow(h, "CREATE STREAM KP_ADMIN (K STRING KEY, V STRING) WITH (KAFKA_TOPIC='kp_admin', PARTITIONS=2, KEY_FORMAT='KAFKA', VALUE_FORMAT='KAFKA');");
  const result = await runPython(kafkaPython.python!, KAFKA_PYTHON_ADMIN, [bootstrap(), 'kp_admin']);
  t.is(result.code, 0, result.stderr);
  const answer = JSON.parse(result.stdout) as { grow_errors: number[]; configs: Record<string, [string, number]> };
  t.deepEqual(answer.grow_errors, [0]);
  t.is(h.server.broker.describeTopic('kp_admin').partitions.length, 4);
  t.deepEqual(answer.configs['retention.ms'], ['7200000', 1], 'set for the topic (DYNAMIC_TOPIC_CONFIG)');
  t.deepEqual(answer.configs['cleanup.policy'], ['delete', 5], 'the default (DEFAULT_CONFIG)');
});

for (const compression of ['none', 'snappy', 'lz4', 'zstd']) {
  confluentTest(`confluent-kafka-python produces keyed records (${compression}) with headers and timestamps and an assigned consumer reads them back`, async (t) => {
    await roundTrip(t, confluent.python!, CONFLUENT_ROUND_TRIP, `ck_${compression}`, compression);
  });
}
