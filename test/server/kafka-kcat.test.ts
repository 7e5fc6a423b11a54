/**
 * kcat (librdkafka) against the server's Kafka listener, unmodified: what it
 * produces is what ksqlite's streams read (same keys, partitions, timestamps)
 * and what ksqlite writes is what it consumes, also as a balanced (group) consumer.
 */
import test from 'ava';
import { partitionForKey } from '../../src/broker/index.js';
import { KCAT_MISSING, kcat, kcatConsume } from '../helpers/kcat.js';
import { eventually, postStreamHttp1 } from './stream-helpers.js';
import { runSqlOrThrow, useServer } from './helpers.js';

const h = useServer({ start: { kafkaPort: 0, properties: { 'num.partitions': '3' } } });
const kafkaPort = (): number => h.server.kafka!.port;
const EARLIEST = { streamsProperties: { 'ksql.streams.auto.offset.reset': 'earliest' } };

if (KCAT_MISSING !== null) console.log(`skipping the kcat tests: ${KCAT_MISSING}`);
const kcatTest = KCAT_MISSING === null ? test.serial : test.serial.skip;

kcatTest('kcat -L lists the topics ksqlite made, on one broker at the listener', async (t) => {
  await runSqlOrThrow(h, "CREATE STREAM LISTED (ID INT KEY, V STRING) WITH (KAFKA_TOPIC='listed', PARTITIONS=2, VALUE_FORMAT='JSON');");
  const result = await kcat(kafkaPort(), ['-L', '-t', 'listed']);
  t.is(result.code, 0, result.stderr);
  t.regex(result.stdout, new RegExp(`broker 0 at 127\\.0\\.0\\.1:${kafkaPort()}`));
  t.regex(result.stdout, /topic "listed" with 2 partitions/);
});

kcatTest('records kcat produces reach a ksqlite stream, and kcat reads what a CSAS wrote: same keys, partitions and timestamps', async (t) => {
  await runSqlOrThrow(h, "CREATE STREAM PRODUCED (K STRING KEY, V STRING) WITH (KAFKA_TOPIC='produced', PARTITIONS=4, KEY_FORMAT='KAFKA', VALUE_FORMAT='KAFKA');");
  const keys = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot'];
  const before = Date.now();
  // librdkafka's Java-compatible partitioner (its default, consistent_random, hashes with CRC32).
  const produced = await kcat(kafkaPort(), ['-P', '-t', 'produced', '-K', ':', '-X', 'partitioner=murmur2_random'], keys.map((k) => `${k}:value-${k}`).join('\n') + '\n');
  t.is(produced.code, 0, produced.stderr);
  const input = await kcatConsume(kafkaPort(), 'produced');
  t.deepEqual(input.map((r) => r.key).sort(), keys);
  for (const record of input) {
    t.is(record.partition, partitionForKey(Buffer.from(record.key!), 4), `librdkafka's murmur2 partitioner and ksqlite's agree for ${record.key}`);
    t.is(record.payload, `value-${record.key}`);
    t.true(record.ts >= before - 1000 && record.ts <= Date.now(), 'a CreateTime stamped by the producer');
  }

  await runSqlOrThrow(h, "CREATE STREAM SHOUTED WITH (KAFKA_TOPIC='shouted', PARTITIONS=4) AS SELECT K, UCASE(V) AS V FROM PRODUCED;", EARLIEST);
  t.true(await eventually(() => h.server.broker.describeTopic('shouted').partitions.reduce((n, p) => n + p.logEndOffset, 0) === keys.length, 10_000));
  const output = await kcatConsume(kafkaPort(), 'shouted');
  const inputByKey = new Map(input.map((r) => [r.key, r]));
  t.is(output.length, keys.length);
  for (const record of output) {
    const source = inputByKey.get(record.key)!;
    t.is(record.payload, `VALUE-${record.key!.toUpperCase()}`);
    t.is(record.partition, source.partition, 'the CSAS keeps the key and so the partition');
    t.is(record.ts, source.ts, 'the CSAS keeps the record timestamp kcat produced');
  }
});

kcatTest('kcat reads what INSERT INTO wrote, with its key on the default partitioner\'s partition', async (t) => {
  await runSqlOrThrow(h, "CREATE STREAM INSERTED (K STRING KEY, V STRING) WITH (KAFKA_TOPIC='inserted', PARTITIONS=3, KEY_FORMAT='KAFKA', VALUE_FORMAT='KAFKA');");
  await runSqlOrThrow(h, "INSERT INTO INSERTED (ROWTIME, K, V) VALUES (1234567, 'written-by-ksqlite', 'hello');");
  const records = await kcatConsume(kafkaPort(), 'inserted');
  t.is(records.length, 1);
  t.like(records[0], { key: 'written-by-ksqlite', payload: 'hello', ts: 1234567, partition: partitionForKey(Buffer.from('written-by-ksqlite'), 3), offset: 0 });
});

kcatTest('kcat -Q finds offsets by timestamp, and the end of the log (ListOffsets)', async (t) => {
  await runSqlOrThrow(h, "CREATE STREAM TIMED (K STRING KEY, V STRING) WITH (KAFKA_TOPIC='timed', PARTITIONS=1, KEY_FORMAT='KAFKA', VALUE_FORMAT='KAFKA');");
  for (const [ts, v] of [[1000, 'a'], [2000, 'b'], [3000, 'c']] as const) {
    await runSqlOrThrow(h, `INSERT INTO TIMED (ROWTIME, K, V) VALUES (${ts}, 'k', '${v}');`);
  }
  const byTime = await kcat(kafkaPort(), ['-Q', '-t', 'timed:0:1500']);
  t.is(byTime.code, 0, byTime.stderr);
  t.regex(byTime.stdout, /timed \[0\] offset 1\b/);
  const latest = await kcat(kafkaPort(), ['-Q', '-t', 'timed:0:-1']);
  t.regex(latest.stdout, /timed \[0\] offset 3\b/);
  const none = await kcat(kafkaPort(), ['-Q', '-t', 'timed:0:9000']);
  t.regex(none.stdout, /timed \[0\] offset -1\b/);
});

kcatTest('kcat -P auto-creates a topic with num.partitions partitions, and a consumer waiting at the end is woken by a new record', async (t) => {
  const first = await kcat(kafkaPort(), ['-P', '-t', 'fresh', '-p', '0'], 'one\n');
  t.is(first.code, 0, first.stderr);
  t.is(h.server.broker.describeTopic('fresh').partitions.length, 3);
  const waiting = kcat(kafkaPort(), ['-C', '-t', 'fresh', '-p', '0', '-o', 'beginning', '-c', '2', '-J', '-q', '-X', 'fetch.wait.max.ms=10000']);
  // Give the consumer time to read the first record and wait at the end of the log.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const started = Date.now();
  const second = await kcat(kafkaPort(), ['-P', '-t', 'fresh', '-p', '0'], 'two\n');
  t.is(second.code, 0, second.stderr);
  const consumed = await waiting;
  t.is(consumed.code, 0, consumed.stderr);
  t.true(Date.now() - started < 9000, 'the append woke the waiting fetch before its 10 s wait ran out');
  t.deepEqual(consumed.stdout.trim().split('\n').map((line) => (JSON.parse(line) as { payload: string }).payload), ['one', 'two']);
});

// Kafka's codec ids in a batch's attributes.
const CODECS = { gzip: 1, snappy: 2, lz4: 3, zstd: 4 } as const;

for (const [codec, id] of Object.entries(CODECS)) {
  kcatTest(`${codec} batches from kcat -z ${codec} are stored as sent and read by a ksqlite query, PRINT and kcat`, async (t) => {
    const source = `zipped_${codec}`;
    const sink = `unzipped_${codec}`;
    await runSqlOrThrow(h, `CREATE STREAM ${source} (K STRING KEY, V STRING) WITH (KAFKA_TOPIC='${source}', PARTITIONS=1, KEY_FORMAT='KAFKA', VALUE_FORMAT='KAFKA');`);
    const lines = Array.from({ length: 50 }, (_, i) => `key${i}:${'compressible '.repeat(10)}${i}`);
    const produced = await kcat(kafkaPort(), ['-P', '-t', source, '-K', ':', '-z', codec], lines.join('\n') + '\n');
    t.is(produced.code, 0, produced.stderr);
    const stored = h.server.broker.readBatches(source, 0, 0, 1 << 20);
    t.true(stored.length > 0 && stored.every((b) => (b.readInt16BE(21) & 7) === id), `stored ${codec}, as sent`);
    await runSqlOrThrow(h, `CREATE STREAM ${sink} WITH (KAFKA_TOPIC='${sink}') AS SELECT K, UCASE(V) AS V FROM ${source};`, EARLIEST);
    t.true(await eventually(() => h.server.broker.hasTopic(sink) && h.server.broker.latestOffset(sink, 0) === 50, 10_000));
    const read = await kcatConsume(kafkaPort(), source);
    t.deepEqual(read.map((r) => `${r.key}:${r.payload}`), lines);
    const printed = postStreamHttp1(h.url, '/query', JSON.stringify({ ksql: `PRINT '${source}' FROM BEGINNING LIMIT 2;` }));
    await printed.ended;
    t.regex(printed.text(), new RegExp(`key: key1, value: ${lines[1]!.split(':')[1]}, partition: 0\\n$`), 'PRINT reads the records too');
    const shouted = await kcatConsume(kafkaPort(), sink);
    t.deepEqual(shouted.map((r) => `${r.key}:${r.payload}`), lines.map((l) => `${l.split(':')[0]}:${l.slice(l.indexOf(':') + 1).toUpperCase()}`));
  });
}

kcatTest('kcat -G, a balanced consumer, reads what kcat produced and commits, and its group resumes from the commit', async (t) => {
  const { broker } = h.server;
  broker.createTopic('balanced', { partitions: 3 });
  const lines = (from: number, count: number): string[] => Array.from({ length: count }, (_, i) => `k${from + i}:v${from + i}`);
  const consumeGroup = async (): Promise<string[]> => {
    const result = await kcat(kafkaPort(), ['-G', 'kcat-group', '-X', 'auto.offset.reset=earliest', '-e', '-q', '-f', '%k:%s\\n', 'balanced']);
    t.is(result.code, 0, result.stderr);
    return result.stdout.split('\n').filter((line) => line !== '').sort();
  };
  t.is((await kcat(kafkaPort(), ['-P', '-t', 'balanced', '-K', ':'], lines(0, 12).join('\n') + '\n')).code, 0);
  t.deepEqual(await consumeGroup(), lines(0, 12).sort());
  t.deepEqual(broker.committedOffsets('kcat-group').map((o) => [o.partition, o.offset]).sort(), broker.describeTopic('balanced').partitions.map((p) => [p.partition, p.logEndOffset]));
  t.is((await kcat(kafkaPort(), ['-P', '-t', 'balanced', '-K', ':'], lines(12, 4).join('\n') + '\n')).code, 0);
  t.deepEqual(await consumeGroup(), lines(12, 4).sort(), 'only what came after the commit');
});
