/**
 * Idempotent and transactional produce over raw sockets: sequence numbers
 * (a retry answers with its first offset, a gap and a fenced epoch are
 * refused), InitProducerId fencing, transaction markers, and what
 * read_committed and read_uncommitted fetches and ksqlite's own reads see.
 */
import test from 'ava';
import { openEmbeddedBroker, type EmbeddedBroker } from '../../../src/broker/index.js';
import { KafkaListener } from '../../../src/broker/kafka-protocol/kafka-listener.js';
import type { ProtocolReader } from '../../../src/broker/kafka-protocol/protocol-reader.js';
import type { ProtocolWriter } from '../../../src/broker/kafka-protocol/protocol-writer.js';
import { isControlBatch } from '../../../src/broker/record-batch/control-batch.js';
import { BASE_OFFSET, BATCH_LENGTH, PRODUCER_ID, readInt64 } from '../../../src/broker/record-batch/record-batch-layout.js';
import { WireClient } from '../../helpers/kafka-wire.js';
import { producerBatch, type ProducerFields } from '../../helpers/producer-batch.js';
import { makeTempDir, removeDir } from '../../helpers/temp-dir.js';

const PRODUCE = 0;
const FETCH = 1;
const LIST_OFFSETS = 2;
const INIT_PRODUCER_ID = 22;
const ADD_PARTITIONS_TO_TXN = 24;
const END_TXN = 26;

const NONE = 0;
const OUT_OF_ORDER_SEQUENCE_NUMBER = 45;
const INVALID_PRODUCER_EPOCH = 47;
const INVALID_TXN_STATE = 48;
const UNKNOWN_PRODUCER_ID = 59;
const PRODUCER_FENCED = 90;

let dir: string;
let broker: EmbeddedBroker;
let listener: KafkaListener;

test.before(async () => {
  dir = makeTempDir('ksqlite-kafka-txn-');
  broker = openEmbeddedBroker({ dataDir: dir });
  listener = await KafkaListener.start({ broker, host: '127.0.0.1', port: 0, clusterId: broker.dataDirId });
});

test.after.always(async () => {
  await listener?.close();
  broker?.close();
  removeDir(dir);
});

/** Produce v7 of one batch; the partition's error and base offset. */
async function produce(client: WireClient, topic: string, batch: Buffer, transactionalId: string | null = null): Promise<{ error: number; baseOffset: number }> {
  const r = await client.call(PRODUCE, 7, (w) => {
    w.nullableString(transactionalId).int16(-1).int32(5000);
    w.array([topic], (tw) => tw.string(topic).array([0], (pw) => pw.int32(0).nullableBytes([batch])));
  });
  r.int32();
  r.string();
  r.int32();
  r.int32();
  return { error: r.int16(), baseOffset: r.int64() };
}

/** InitProducerId: v0/v1 plain, v2+ flexible (compact transactional id, tagged fields). */
async function initProducerId(client: WireClient, version: number, transactionalId: string | null, current?: [number, number]): Promise<{ error: number; producerId: number; epoch: number }> {
  const flexible = version >= 2;
  const r = await client.call(
    INIT_PRODUCER_ID,
    version,
    (w) => {
      if (flexible) {
        if (transactionalId === null) w.unsignedVarint(0);
        else {
          const bytes = Buffer.from(transactionalId);
          w.unsignedVarint(bytes.length + 1);
          for (const byte of bytes) w.int8(byte << 24 >> 24);
        }
      } else {
        w.nullableString(transactionalId);
      }
      w.int32(60_000);
      if (version >= 3) w.int64(current?.[0] ?? -1).int16(current?.[1] ?? -1);
      if (flexible) w.emptyTaggedFields();
    },
    flexible,
  );
  if (flexible) r.skipTaggedFields(); // response header v1
  t0(r.int32());
  const result = { error: r.int16(), producerId: r.int64(), epoch: r.int16() };
  if (flexible) r.skipTaggedFields();
  if (r.remaining !== 0) throw new Error('InitProducerId response has trailing bytes');
  return result;
}

function t0(throttle: number): void {
  if (throttle !== 0) throw new Error(`throttle ${throttle}`);
}

async function addPartitions(client: WireClient, transactionalId: string, producer: ProducerFields, topic: string): Promise<number> {
  const r = await client.call(ADD_PARTITIONS_TO_TXN, 1, (w) => {
    w.string(transactionalId).int64(producer.producerId).int16(producer.epoch);
    w.array([topic], (tw) => tw.string(topic).array([0], (pw) => pw.int32(0)));
  });
  r.int32();
  const [[, [[, error]]]] = r.array((tr) => [tr.string(), tr.array((pr) => [pr.int32(), pr.int16()] as const)] as const);
  return error!;
}

async function endTxn(client: WireClient, transactionalId: string, producer: ProducerFields, commit: boolean, version = 1): Promise<number> {
  const r = await client.call(END_TXN, version, (w) => w.string(transactionalId).int64(producer.producerId).int16(producer.epoch).bool(commit));
  r.int32();
  return r.int16();
}

interface FetchedPartition {
  readonly highWatermark: number;
  readonly lastStableOffset: number;
  readonly aborted: [number, number][] | null;
  readonly batches: Buffer[];
}

function splitRecords(records: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < records.length; ) {
    const size = 12 + records.readInt32BE(at + BATCH_LENGTH);
    out.push(records.subarray(at, at + size));
    at += size;
  }
  return out;
}

/** Fetch v5 of partition 0 at isolation level 0 or 1. */
async function fetch(client: WireClient, topic: string, isolation: number): Promise<FetchedPartition> {
  const r: ProtocolReader = await client.call(FETCH, 5, (w: ProtocolWriter) => {
    w.int32(-1).int32(0).int32(0).int32(1 << 20).int8(isolation);
    w.array([topic], (tw) => tw.string(topic).array([0], (pw) => pw.int32(0).int64(0).int64(-1).int32(1 << 20)));
  });
  r.int32();
  r.int32();
  r.string();
  r.int32();
  r.int32();
  if (r.int16() !== NONE) throw new Error('fetch failed');
  const highWatermark = r.int64();
  const lastStableOffset = r.int64();
  r.int64();
  const aborted = r.nullableArray((ar) => [ar.int64(), ar.int64()] as [number, number]);
  return { highWatermark, lastStableOffset, aborted, batches: splitRecords(r.nullableBytes() ?? Buffer.alloc(0)) };
}

async function listLatest(client: WireClient, topic: string, isolation: number): Promise<number> {
  const r = await client.call(LIST_OFFSETS, 2, (w) => {
    w.int32(-1).int8(isolation);
    w.array([topic], (tw) => tw.string(topic).array([0], (pw) => pw.int32(0).int64(-1)));
  });
  r.int32();
  r.int32();
  r.string();
  r.int32();
  r.int32();
  r.int16();
  r.int64();
  return r.int64();
}

function values(topic: string): string[] {
  return broker.read(topic, 0, 0).map((r) => String(r.value));
}

test.serial('an idempotent producer\'s retried batch is stored once and answers with its first offset; a gap, an unknown producer and a stale epoch are refused', async (t) => {
  broker.createTopic('idem', { partitions: 1 });
  const client = await WireClient.open(listener.port);
  const { error, producerId, epoch } = await initProducerId(client, 1, null);
  t.is(error, NONE);
  t.is(epoch, 0);
  const other = await initProducerId(client, 0, null);
  t.not(other.producerId, producerId, 'every idempotent producer gets its own id');

  const p = { producerId, epoch: 0 };
  t.deepEqual(await produce(client, 'idem', producerBatch(['a', 'b'], { ...p, sequence: 0 })), { error: NONE, baseOffset: 0 });
  t.deepEqual(await produce(client, 'idem', producerBatch(['c'], { ...p, sequence: 2 })), { error: NONE, baseOffset: 2 });
  t.deepEqual(await produce(client, 'idem', producerBatch(['a', 'b'], { ...p, sequence: 0 })), { error: NONE, baseOffset: 0 }, 'a retry of an earlier batch');
  t.deepEqual(await produce(client, 'idem', producerBatch(['c'], { ...p, sequence: 2 })), { error: NONE, baseOffset: 2 }, 'a retry of the last batch');
  t.is((await produce(client, 'idem', producerBatch(['e'], { ...p, sequence: 4 }))).error, OUT_OF_ORDER_SEQUENCE_NUMBER, 'sequence 3 is missing');
  t.is((await produce(client, 'idem', producerBatch(['x'], { producerId: other.producerId, epoch: 0, sequence: 7 }))).error, UNKNOWN_PRODUCER_ID);
  t.deepEqual(values('idem'), ['a', 'b', 'c'], 'nothing stored twice, nothing out of order');

  t.deepEqual(await produce(client, 'idem', producerBatch(['d'], { producerId, epoch: 1, sequence: 0 })), { error: NONE, baseOffset: 3 }, 'a bumped epoch starts at 0');
  t.is((await produce(client, 'idem', producerBatch(['z'], { ...p, sequence: 3 }))).error, INVALID_PRODUCER_EPOCH, 'the older epoch is fenced');
  t.deepEqual(values('idem'), ['a', 'b', 'c', 'd']);
  client.close();
});

test.serial('the sequence state survives a restart of the log: a retry after it is still recognised', async (t) => {
  const client = await WireClient.open(listener.port);
  const { producerId } = await initProducerId(client, 1, null);
  broker.createTopic('idem-restart', { partitions: 1 });
  const batch = producerBatch(['r'], { producerId, epoch: 0, sequence: 0 });
  t.deepEqual(await produce(client, 'idem-restart', batch), { error: NONE, baseOffset: 0 });
  client.close();
  await listener.close();
  broker.close();
  broker = openEmbeddedBroker({ dataDir: dir });
  listener = await KafkaListener.start({ broker, host: '127.0.0.1', port: 0, clusterId: broker.dataDirId });
  const again = await WireClient.open(listener.port);
  t.deepEqual(await produce(again, 'idem-restart', batch), { error: NONE, baseOffset: 0 });
  t.deepEqual(values('idem-restart'), ['r']);
  const next = await initProducerId(again, 1, null);
  t.true(next.producerId > producerId, 'producer ids are never given twice, across restarts');
  again.close();
});

test.serial('InitProducerId of a transactional id bumps its epoch and fences the producer before it (flexible v2+, PRODUCER_FENCED from v4)', async (t) => {
  const client = await WireClient.open(listener.port);
  const first = await initProducerId(client, 1, 'tx-fence');
  t.like(first, { error: NONE, epoch: 0 });
  const second = await initProducerId(client, 3, 'tx-fence', [first.producerId, first.epoch]);
  t.deepEqual(second, { error: NONE, producerId: first.producerId, epoch: 1 });
  t.is((await initProducerId(client, 4, 'tx-fence', [first.producerId, 0])).error, PRODUCER_FENCED);
  t.is((await initProducerId(client, 3, 'tx-fence', [first.producerId, 0])).error, INVALID_PRODUCER_EPOCH, 'before v4, the older code');
  broker.createTopic('fenced', { partitions: 1 });
  t.is(await addPartitions(client, 'tx-fence', { producerId: first.producerId, epoch: 0, sequence: 0 }, 'fenced'), INVALID_PRODUCER_EPOCH);
  t.is(await endTxn(client, 'tx-fence', { producerId: first.producerId, epoch: 0, sequence: 0 }, true, 2), PRODUCER_FENCED);
  client.close();
});

test.serial('a transaction\'s records are hidden from read_committed readers until its COMMIT marker; an aborted one\'s never show', async (t) => {
  broker.createTopic('txn', { partitions: 1 });
  const client = await WireClient.open(listener.port);
  const { producerId, epoch } = await initProducerId(client, 1, 'tx-1');
  const p = { producerId, epoch, sequence: 0 };

  t.is((await produce(client, 'txn', producerBatch(['early'], { ...p, transactional: true }), 'tx-1')).error, INVALID_TXN_STATE, 'a partition must be added to the transaction first');
  broker.append('txn', [{ key: null, value: Buffer.from('plain-0'), partition: 0 }]);
  t.is(await addPartitions(client, 'tx-1', p, 'txn'), NONE);
  t.deepEqual(await produce(client, 'txn', producerBatch(['c1', 'c2'], { ...p, transactional: true }), 'tx-1'), { error: NONE, baseOffset: 1 });
  broker.append('txn', [{ key: null, value: Buffer.from('plain-1'), partition: 0 }]);

  let committed = await fetch(client, 'txn', 1);
  t.like(committed, { highWatermark: 4, lastStableOffset: 1 });
  t.is(committed.batches.length, 1, 'read_committed stops at the open transaction');
  t.is((await fetch(client, 'txn', 0)).batches.length, 3, 'read_uncommitted sees it');
  t.is(await listLatest(client, 'txn', 1), 1);
  t.is(await listLatest(client, 'txn', 0), 4);
  t.deepEqual(values('txn'), ['plain-0'], 'ksqlite reads committed');
  t.is(broker.latestOffset('txn', 0), 1);

  t.is(await endTxn(client, 'tx-1', p, true), NONE);
  t.is(await endTxn(client, 'tx-1', p, true), NONE, 'a retried EndTxn answers as the first');
  committed = await fetch(client, 'txn', 1);
  t.like(committed, { highWatermark: 5, lastStableOffset: 5, aborted: [] });
  t.is(committed.batches.length, 4);
  const marker = committed.batches[3]!;
  t.true(isControlBatch(marker));
  t.is(readInt64(marker, BASE_OFFSET), 4);
  t.is(readInt64(marker, PRODUCER_ID), producerId);
  t.deepEqual(values('txn'), ['plain-0', 'c1', 'c2', 'plain-1'], 'no marker among the records');

  t.is(await addPartitions(client, 'tx-1', p, 'txn'), NONE);
  t.deepEqual(await produce(client, 'txn', producerBatch(['a1'], { ...p, sequence: 2, transactional: true }), 'tx-1'), { error: NONE, baseOffset: 5 });
  t.is(await endTxn(client, 'tx-1', p, false), NONE);
  t.is(await endTxn(client, 'tx-1', p, true), INVALID_TXN_STATE, 'an aborted transaction cannot commit');
  broker.append('txn', [{ key: null, value: Buffer.from('plain-2'), partition: 0 }]);
  committed = await fetch(client, 'txn', 1);
  t.like(committed, { highWatermark: 8, lastStableOffset: 8 });
  t.deepEqual(committed.aborted, [[producerId, 5]], 'read_committed clients learn what to drop');
  t.is((await fetch(client, 'txn', 0)).aborted, null);
  t.deepEqual(values('txn'), ['plain-0', 'c1', 'c2', 'plain-1', 'plain-2'], 'aborted records and markers are skipped');
  t.deepEqual(broker.read('txn', 0, 5).map((r) => r.offset), [7]);
  t.deepEqual(broker.fetch('txn', 0, 5).nextOffset, 8);
  client.close();
});

const ADD_OFFSETS_TO_TXN = 25;
const TXN_OFFSET_COMMIT = 28;
const ILLEGAL_GENERATION = 22;
const UNKNOWN_MEMBER_ID = 25;

async function addOffsets(client: WireClient, transactionalId: string, producer: ProducerFields, group: string): Promise<number> {
  const r = await client.call(ADD_OFFSETS_TO_TXN, 1, (w) => w.string(transactionalId).int64(producer.producerId).int16(producer.epoch).string(group));
  r.int32();
  return r.int16();
}

/** TxnOffsetCommit of offset `offset` on partition 0: v2 names no member, v3 (flexible) names `member`. */
async function txnOffsetCommit(client: WireClient, version: number, transactionalId: string, producer: ProducerFields, group: string, topic: string, offset: number, member?: { generation: number; memberId: string }): Promise<number> {
  const flexible = version >= 3;
  const compact = (w: ProtocolWriter, value: string): void => {
    const bytes = Buffer.from(value);
    w.unsignedVarint(bytes.length + 1);
    for (const byte of bytes) w.int8((byte << 24) >> 24);
  };
  const r = await client.call(
    TXN_OFFSET_COMMIT,
    version,
    (w) => {
      if (!flexible) {
        w.string(transactionalId).string(group).int64(producer.producerId).int16(producer.epoch);
        w.array([topic], (tw) => tw.string(topic).array([0], (pw) => pw.int32(0).int64(offset).int32(-1).nullableString(null)));
        return;
      }
      compact(w, transactionalId);
      compact(w, group);
      w.int64(producer.producerId).int16(producer.epoch).int32(member?.generation ?? -1);
      compact(w, member?.memberId ?? '');
      w.unsignedVarint(0);
      w.unsignedVarint(2);
      compact(w, topic);
      w.unsignedVarint(2).int32(0).int64(offset).int32(-1).unsignedVarint(0).emptyTaggedFields();
      w.emptyTaggedFields().emptyTaggedFields();
    },
    flexible,
  );
  if (flexible) r.skipTaggedFields();
  t0(r.int32());
  if (!flexible) return r.array((tr) => [tr.string(), tr.array((pr) => [pr.int32(), pr.int16()] as const)] as const)[0]![1][0]![1];
  r.unsignedVarint();
  r.compactNullableString();
  r.unsignedVarint();
  r.int32();
  return r.int16();
}

const OFFSET_FETCH = 9;
const UNSTABLE_OFFSET_COMMIT = 88;

/** OffsetFetch of partition 0 (null `topic`: every committed offset, of one partition here): v5 plain, v7 flexible with require_stable; [offset, error]. */
async function offsetFetch(client: WireClient, version: number, group: string, topic: string | null, requireStable = false): Promise<[number, number]> {
  const flexible = version >= 6;
  const compact = (w: ProtocolWriter, value: string): void => {
    const bytes = Buffer.from(value);
    w.unsignedVarint(bytes.length + 1);
    for (const byte of bytes) w.int8((byte << 24) >> 24);
  };
  const r = await client.call(
    OFFSET_FETCH,
    version,
    (w) => {
      if (!flexible) {
        w.string(group).array(topic === null ? null : [topic], (tw, name) => tw.string(name).array([0], (pw) => pw.int32(0)));
        return;
      }
      compact(w, group);
      if (topic === null) w.unsignedVarint(0);
      else {
        w.unsignedVarint(2);
        compact(w, topic);
        w.unsignedVarint(2).int32(0).emptyTaggedFields();
      }
      if (version >= 7) w.bool(requireStable);
      w.emptyTaggedFields();
    },
    flexible,
  );
  if (flexible) r.skipTaggedFields();
  t0(r.int32());
  if (!flexible) {
    const [[, [[offset, error]]]] = r.array((tr) => [tr.string(), tr.array((pr) => {
      pr.int32();
      const offset = pr.int64();
      pr.int32();
      pr.nullableString();
      return [offset, pr.int16()] as const;
    })] as const);
    return [offset!, error!];
  }
  r.unsignedVarint();
  r.compactNullableString();
  r.unsignedVarint();
  r.int32();
  const offset = r.int64();
  r.int32();
  r.compactNullableString();
  const error = r.int16();
  r.skipTaggedFields();
  r.skipTaggedFields();
  if (r.int16() !== NONE) throw new Error('OffsetFetch failed');
  r.skipTaggedFields();
  if (r.remaining !== 0) throw new Error('OffsetFetch response has trailing bytes');
  return [offset, error];
}

test.serial('TxnOffsetCommit checks the consumer\'s generation and member (v3) as OffsetCommit does, but not the rebalance state; before v3 it names none and any group takes it; OffsetFetch v7 require_stable answers UNSTABLE_OFFSET_COMMIT while the offset is pending', async (t) => {
  broker.createTopic('txn-group', { partitions: 1 });
  const client = await WireClient.open(listener.port);
  const { producerId, epoch } = await initProducerId(client, 1, 'tx-group');
  const p = { producerId, epoch, sequence: 0 };
  const joined = await listener.groups.join({
    groupId: 'txn-consumers',
    memberId: '',
    groupInstanceId: null,
    clientId: 'c',
    clientHost: '/127.0.0.1',
    sessionTimeoutMs: 30_000,
    rebalanceTimeoutMs: 30_000,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: Buffer.alloc(0) }],
  });
  t.is(joined.error, NONE);
  const member = { generation: joined.generation, memberId: joined.memberId };

  t.is(await addOffsets(client, 'tx-group', p, 'txn-consumers'), NONE);
  t.is(await txnOffsetCommit(client, 3, 'tx-group', p, 'txn-consumers', 'txn-group', 1, { ...member, generation: member.generation + 1 }), ILLEGAL_GENERATION);
  t.is(await txnOffsetCommit(client, 3, 'tx-group', p, 'txn-consumers', 'txn-group', 1, { ...member, memberId: 'nobody' }), UNKNOWN_MEMBER_ID);
  t.is(await txnOffsetCommit(client, 3, 'tx-group', p, 'txn-consumers', 'txn-group', 1, member), NONE, 'the current generation commits while its assignments are handed out');
  t.is(await txnOffsetCommit(client, 3, 'tx-group', p, 'other-consumers', 'txn-group', 1, member), ILLEGAL_GENERATION, 'a generation of a group that does not exist');
  t.is(await txnOffsetCommit(client, 2, 'tx-group', p, 'txn-consumers', 'txn-group', 2), NONE, 'v2 names no member');
  t.deepEqual(await offsetFetch(client, 7, 'txn-consumers', 'txn-group', true), [-1, UNSTABLE_OFFSET_COMMIT], 'require_stable: an offset pending in a transaction');
  t.deepEqual(await offsetFetch(client, 7, 'txn-consumers', 'txn-group', false), [-1, NONE], 'without require_stable: the committed offset (none yet)');
  t.deepEqual(await offsetFetch(client, 5, 'txn-consumers', 'txn-group'), [-1, NONE]);
  t.is(await endTxn(client, 'tx-group', p, true), NONE);
  t.is(broker.committedOffset('txn-consumers', 'txn-group', 0), 2);
  t.deepEqual(await offsetFetch(client, 7, 'txn-consumers', 'txn-group', true), [2, NONE], 'stable once the transaction committed');
  t.deepEqual(await offsetFetch(client, 6, 'txn-consumers', 'txn-group'), [2, NONE]);
  t.is(await addOffsets(client, 'tx-group', p, 'txn-consumers'), NONE);
  t.is(await txnOffsetCommit(client, 2, 'tx-group', p, 'txn-consumers', 'txn-group', 5), NONE);
  t.deepEqual(await offsetFetch(client, 7, 'txn-consumers', null, true), [-1, UNSTABLE_OFFSET_COMMIT], 'every committed offset, require_stable');
  t.deepEqual(await offsetFetch(client, 7, 'txn-consumers', null, false), [2, NONE]);
  t.is(await endTxn(client, 'tx-group', p, false), NONE);
  t.deepEqual(await offsetFetch(client, 7, 'txn-consumers', null, true), [2, NONE], 'the aborted offset never counted');
  client.close();
});
