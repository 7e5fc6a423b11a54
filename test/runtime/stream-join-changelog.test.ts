/**
 * A stream-stream join's window stores write every change to their
 * changelog topics in the task's commit: the store key laid out as Kafka
 * Streams lays out window store keys, the stored bytes, NULL for a deletion.
 */
import test from 'ava';
import Database from 'better-sqlite3';
import type { TaskLog } from '../../src/broker/index.js';
import { kafkaStreamsWindowChangelogKey, parseKafkaStreamsWindowChangelogKey } from '../../src/runtime/changelog.js';
import { restoreStores } from '../../src/runtime/state-restore.js';
import { openStoreRegistry } from '../../src/state/index.js';
import { decodeSideRow } from '../../src/runtime/join-operator.js';
import { decodeValue, encodeValue } from '../../src/runtime/value-codec.js';
import { withTempEngine } from '../helpers/temp-engine.js';

test('each window store of a stream-stream join writes its puts and deletions to its changelog', (t) => {
  withTempEngine(({ engine, broker, scheduler }) => {
    engine.execute(`CREATE STREAM S1 (ID INT KEY, A INT) WITH (KAFKA_TOPIC='s1', PARTITIONS=1, KEY_FORMAT='KAFKA', VALUE_FORMAT='JSON');
      CREATE STREAM S2 (ID INT KEY, C INT) WITH (KAFKA_TOPIC='s2', PARTITIONS=1, KEY_FORMAT='KAFKA', VALUE_FORMAT='JSON');
      CREATE STREAM OUT AS SELECT S1.ID AS ID, A, C FROM S1 LEFT JOIN S2 WITHIN 10 SECONDS GRACE PERIOD 1 SECOND ON S1.ID = S2.ID;`);
    const topics = [...engine.listQueries().find((q) => q.sinkName === 'OUT')!.internalTopics];
    const changelog = (store: string): string => topics.find((n) => n.endsWith(`-${store}-store-changelog`))!;
    const [left, right, outer] = ['KSTREAM-JOINTHIS-0000000008', 'KSTREAM-OUTEROTHER-0000000009', 'KSTREAM-OUTERSHARED-0000000008'].map(changelog);
    t.is(broker.describeTopic(left!).config['cleanup.policy'], 'compact,delete');

    engine.execute(`INSERT INTO S1 (ID, A, ROWTIME) VALUES (1, 10, 1000);
      INSERT INTO S1 (ID, A, ROWTIME) VALUES (1, 11, 1000);
      INSERT INTO S2 (ID, C, ROWTIME) VALUES (1, 20, 2000);`);
    scheduler.runUntilIdle();

    const read = (topic: string) => broker.read(topic, 0, 0, { maxRecords: 10 });
    const rows = (value: Buffer | null) => (value === null ? null : (decodeValue(value) as Buffer[]).map((b) => decodeSideRow(b).values));
    const key = encodeValue([1]);

    const leftLog = read(left!);
    t.deepEqual(leftLog.map((r) => r.key), [kafkaStreamsWindowChangelogKey(key, 1000), kafkaStreamsWindowChangelogKey(key, 1000)]);
    t.deepEqual(leftLog.map((r) => rows(r.value)!.length), [1, 2]);
    const rightLog = read(right!);
    t.deepEqual(rightLog.map((r) => r.key), [kafkaStreamsWindowChangelogKey(key, 2000)]);
    t.deepEqual(rows(rightLog[0]!.value)!.length, 1);
    // The left records waited for their window in the outer store until the right record matched them.
    const outerLog = read(outer!);
    const outerKey = kafkaStreamsWindowChangelogKey(encodeValue([true, 1]), 1000);
    t.deepEqual(outerLog.map((r) => r.key), [outerKey, outerKey, outerKey]);
    t.deepEqual(outerLog.map((r) => (r.value === null ? null : rows(r.value)!.length)), [1, 2, null]);

    t.deepEqual(read('OUT').map((r) => r.value!.toString()), ['{"A":10,"C":20}', '{"A":11,"C":20}']);
  }, { properties: { 'auto.offset.reset': 'earliest' } });
});

test('the changelog key of a window store entry is the key, the window start and a sequence number', (t) => {
  const key = kafkaStreamsWindowChangelogKey(Buffer.from([0xab]), 0x0102030405);
  t.deepEqual([...key], [0xab, 0, 0, 0, 0x01, 0x02, 0x03, 0x04, 0x05, 0, 0, 0, 0]);
});

test('a join window store is restored from the changelog its operator writes, in Kafka Streams\' layout, each entry a point in time', (t) => {
  const registry = openStoreRegistry(new Database(':memory:'));
  const store = registry.openWindowStore({ query: 'CSAS_J_0', name: 'L-Join-This', partition: 0 });
  const topic = 'changelog';
  const rows = [encodeValue([1]), encodeValue([2])];
  const records = [
    { key: kafkaStreamsWindowChangelogKey(encodeValue(['a']), 1000), value: rows[0]! },
    { key: kafkaStreamsWindowChangelogKey(encodeValue(['b']), 2000), value: rows[1]! },
    { key: kafkaStreamsWindowChangelogKey(encodeValue(['a']), 1000), value: null },
  ].map((r, offset) => ({ ...r, topic, partition: 0, offset, timestamp: 0, headers: [] }));
  const log = {
    latestOffset: () => records.length,
    fetch: (_topic: string, _partition: number, from: number) => ({ records: records.slice(from), nextOffset: records.length }),
  } as unknown as TaskLog;
  restoreStores(log, registry, [{ kind: 'window', store, topic, writer: 'operator' }], () => 0);
  t.deepEqual(store.fetch(encodeValue(['a']), 0, 5000).filter((e) => e.value !== null), [], 'the deletion was applied');
  t.deepEqual(store.fetch(encodeValue(['b']), 0, 5000).map((e) => [e.start, e.end, e.value]), [[2000, 2000, rows[1]]]);
  t.deepEqual(parseKafkaStreamsWindowChangelogKey(kafkaStreamsWindowChangelogKey(Buffer.from('k'), 42)), { key: Buffer.from('k'), start: 42 });
});
