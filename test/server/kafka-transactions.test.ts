/**
 * Idempotent and transactional producers nobody here wrote, against the
 * server's Kafka listener: kafkajs retrying after a lost response writes no
 * duplicate; kafkajs transactions (one committed, one aborted, offsets sent
 * in both) are seen read_committed by kcat (librdkafka), a kafkajs consumer
 * and a ksqlite query; confluent-kafka-python produces idempotently and transactionally
 * and reads back only what committed; a transaction open when the server
 * stops is never visible after its restart.
 */
import test from 'ava';
import { Kafka, logLevel } from 'kafkajs';
import type { Broker } from '../../src/broker/index.js';
import { KafkaListener } from '../../src/broker/kafka-protocol/kafka-listener.js';
import { KCAT_MISSING, kcatConsume } from '../helpers/kcat.js';
import { findPythonModule, runPython } from '../helpers/python-kafka.js';
import { eventually } from './stream-helpers.js';
import { withTempDir } from '../helpers/temp-dir.js';
import { runSqlOrThrow, startServer, stopServer, useServer } from './helpers.js';

const h = useServer({ start: { kafkaPort: 0 } });
const EARLIEST = { streamsProperties: { 'ksql.streams.auto.offset.reset': 'earliest' } };

function client(port: number = h.server.kafka!.port): Kafka {
  return new Kafka({ clientId: 'kafkajs-txn-test', brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING, retry: { retries: 5, initialRetryTime: 50 } });
}

function values(topic: string): string[] {
  const { broker } = h.server;
  return broker.describeTopic(topic).partitions.flatMap((p) => broker.read(topic, p.partition, 0, { maxRecords: 10_000 }).map((r) => String(r.value)));
}

/** The values a kafkajs consumer in a new group reads from the start of `topic` until it has `count` of them (and a little longer, to catch extras). */
async function kafkajsConsume(topic: string, readUncommitted: boolean, count: number): Promise<string[]> {
  const consumer = client().consumer({ groupId: `txn-reader-${String(readUncommitted)}-${topic}`, readUncommitted, maxWaitTimeInMs: 100 });
  const seen: string[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void seen.push(String(message.value)) });
    await eventually(() => seen.length >= count, 15_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
  } finally {
    await consumer.disconnect();
  }
  return seen;
}

/** The server's log, except that its first append of `topic` fails after it is stored, which closes the producer's connection unanswered. */
function losingFirstResponse(broker: Broker, topic: string): { broker: Broker; lost: () => boolean } {
  let lost = false;
  const wrapped = new Proxy(broker, {
    get(target, property) {
      if (property === 'appendBatches') {
        return (name: string, partition: number, batches: readonly Buffer[]) => {
          const appended = target.appendBatches(name, partition, batches);
          if (name === topic && !lost) {
            lost = true;
            throw new Error('the response to this produce is lost');
          }
          return appended;
        };
      }
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { broker: wrapped, lost: () => lost };
}

test.serial('an idempotent kafkajs producer whose connection drops after an append retries, and the topic holds no duplicate', async (t) => {
  h.server.broker.createTopic('idem-js', { partitions: 1 });
  const flaky = losingFirstResponse(h.server.broker, 'idem-js');
  const listener = await KafkaListener.start({ broker: flaky.broker, host: '127.0.0.1', port: 0, clusterId: 'flaky' });
  const producer = client(listener.port).producer({ idempotent: true, maxInFlightRequests: 1 });
  try {
    await producer.connect();
    const first = await producer.send({ topic: 'idem-js', messages: [{ key: 'a', value: 'one' }, { key: 'b', value: 'two' }] });
    t.true(flaky.lost(), 'the first response was lost');
    t.is(first[0]!.baseOffset, '0', 'the retry answers with where the batch went');
    await producer.send({ topic: 'idem-js', messages: [{ key: 'c', value: 'three' }] });
  } finally {
    await producer.disconnect();
    await listener.close();
  }
  t.deepEqual(values('idem-js'), ['one', 'two', 'three']);
});

test.serial('kafkajs transactions: read_committed readers (kcat, a kafkajs consumer, a ksqlite query) see only committed records, and sent offsets count only on commit', async (t) => {
  await runSqlOrThrow(h, "CREATE STREAM TXJS (K STRING KEY, V STRING) WITH (KAFKA_TOPIC='txjs', PARTITIONS=1, KEY_FORMAT='KAFKA', VALUE_FORMAT='KAFKA');");
  await runSqlOrThrow(h, "CREATE STREAM TXJS_OUT WITH (KAFKA_TOPIC='txjs_out') AS SELECT K, UCASE(V) AS V FROM TXJS;", EARLIEST);
  const { broker } = h.server;
  const producer = client().producer({ transactionalId: 'kafkajs-tx', idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    const committed = await producer.transaction();
    await committed.send({ topic: 'txjs', messages: [{ key: 'a', value: 'kept-1' }, { key: 'b', value: 'kept-2' }] });
    await committed.sendOffsets({ consumerGroupId: 'txjs-group', topics: [{ topic: 'txjs', partitions: [{ partition: 0, offset: '2' }] }] });
    t.is(broker.committedOffset('txjs-group', 'txjs', 0), null, 'not before the commit');
    await committed.commit();
    t.is(broker.committedOffset('txjs-group', 'txjs', 0), 2);

    const aborted = await producer.transaction();
    await aborted.send({ topic: 'txjs', messages: [{ key: 'c', value: 'dropped' }] });
    await aborted.sendOffsets({ consumerGroupId: 'txjs-group', topics: [{ topic: 'txjs', partitions: [{ partition: 0, offset: '4' }] }] });
    await aborted.abort();
    t.is(broker.committedOffset('txjs-group', 'txjs', 0), 2, 'an abort leaves the group offsets');

    const last = await producer.transaction();
    await last.send({ topic: 'txjs', messages: [{ key: 'd', value: 'kept-3' }] });
    await last.commit();
  } finally {
    await producer.disconnect();
  }
  t.deepEqual(values('txjs'), ['kept-1', 'kept-2', 'kept-3']);
  t.true(await eventually(() => values('txjs_out').length === 3, 10_000), 'the query reaches the last committed record');
  t.deepEqual(values('txjs_out'), ['KEPT-1', 'KEPT-2', 'KEPT-3'], 'the query saw neither the aborted record nor a marker');
  t.deepEqual(await kafkajsConsume('txjs', false, 3), ['kept-1', 'kept-2', 'kept-3'], 'a read_committed kafkajs consumer skips the aborted record');
  t.deepEqual(await kafkajsConsume('txjs', true, 4), ['kept-1', 'kept-2', 'dropped', 'kept-3'], 'a read_uncommitted one sees it');

  if (KCAT_MISSING !== null) {
    t.log(`not reading with kcat: ${KCAT_MISSING}`);
    return;
  }
  const port = h.server.kafka!.port;
  const readCommitted = await kcatConsume(port, 'txjs', ['-X', 'isolation.level=read_committed']);
  t.deepEqual(readCommitted.map((r) => r.payload), ['kept-1', 'kept-2', 'kept-3']);
  const readUncommitted = await kcatConsume(port, 'txjs', ['-X', 'isolation.level=read_uncommitted']);
  t.deepEqual(readUncommitted.map((r) => r.payload), ['kept-1', 'kept-2', 'dropped', 'kept-3']);
});

const PYTHON_CLIENT = `
import json, sys
from confluent_kafka import Consumer, KafkaError, Producer, TopicPartition
bootstrap, topic = '127.0.0.1:' + sys.argv[1], sys.argv[2]
idem = Producer({'bootstrap.servers': bootstrap, 'enable.idempotence': True})
for i in range(20):
    idem.produce(topic, key=b'k%d' % i, value=b'idem-%d' % i)
assert idem.flush(15) == 0, 'idempotent records left unsent'
tx = Producer({'bootstrap.servers': bootstrap, 'transactional.id': 'python-tx'})
tx.init_transactions(15)
tx.begin_transaction()
tx.produce(topic, value=b'py-committed')
tx.commit_transaction(15)
tx.begin_transaction()
tx.produce(topic, value=b'py-aborted')
tx.flush(15)
tx.abort_transaction(15)
consumer = Consumer({'bootstrap.servers': bootstrap, 'group.id': 'python-reader', 'enable.auto.commit': False,
                     'isolation.level': 'read_committed', 'enable.partition.eof': True})
consumer.assign([TopicPartition(topic, 0, 0)])
seen = []
while True:
    message = consumer.poll(10)
    if message is None:
        raise SystemExit('no message or end of partition within 10 s')
    if message.error():
        if message.error().code() == KafkaError._PARTITION_EOF:
            break
        raise SystemExit(str(message.error()))
    seen.append(message.value().decode())
consumer.close()
print(json.dumps(seen))
`;

const confluentKafka = findPythonModule('confluent_kafka', 'python3-confluent-kafka');

test.serial('confluent-kafka-python: an idempotent producer, a transactional one (commit, abort) and a read_committed consumer', async (t) => {
  if (confluentKafka.python === null) {
    console.log(`skipping the confluent-kafka-python test: ${confluentKafka.missing}`);
    t.pass();
    return;
  }
  h.server.broker.createTopic('python-tx', { partitions: 1 });
  const result = await runPython(confluentKafka.python, PYTHON_CLIENT, [String(h.server.kafka!.port), 'python-tx'], 60_000);
  t.is(result.code, 0, result.stderr);
  const expected = [...Array.from({ length: 20 }, (_, i) => `idem-${i}`), 'py-committed'];
  t.deepEqual(JSON.parse(result.stdout) as string[], expected);
  t.deepEqual(values('python-tx'), expected, 'ksqlite reads the same');
});

test.serial('a transaction open when the server stops leaves nothing visible to read_committed readers after the restart', async (t) => {
  await withTempDir(async (dataDir) => {
    let server = await startServer(dataDir, { kafkaPort: 0 });
    const producer = client(server.server.kafka!.port).producer({ transactionalId: 'left-open', idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      const committed = await producer.transaction();
      await committed.send({ topic: 'restarted', messages: [{ value: 'kept' }] });
      await committed.commit();
      const open = await producer.transaction();
      await open.send({ topic: 'restarted', messages: [{ value: 'never-committed' }] });
    } finally {
      await producer.disconnect();
    }
    t.is(server.server.broker.latestOffset('restarted', 0), 2, 'held back by the open transaction');
    await stopServer(server, false);

    server = await startServer(dataDir, { kafkaPort: 0 });
    try {
      const { broker } = server.server;
      t.deepEqual(broker.read('restarted', 0, 0).map((r) => String(r.value)), ['kept']);
      t.is(broker.latestOffset('restarted', 0), broker.logEndOffset('restarted', 0), 'nothing open any more');
      if (KCAT_MISSING === null) {
        const read = await kcatConsume(server.server.kafka!.port, 'restarted', ['-X', 'isolation.level=read_committed']);
        t.deepEqual(read.map((r) => r.payload), ['kept']);
      }
    } finally {
      await stopServer(server, false);
    }
  });
});
