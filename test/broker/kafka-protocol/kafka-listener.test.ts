/**
 * The Kafka listener over raw sockets: version negotiation, what each API
 * answers, and bad input (which closes only the connection that sent it).
 */
import { gzipSync } from 'node:zlib';
import test from 'ava';
import { openEmbeddedBroker, type EmbeddedBroker } from '../../../src/broker/index.js';
import { KafkaListener } from '../../../src/broker/kafka-protocol/kafka-listener.js';
import type { ProtocolReader } from '../../../src/broker/kafka-protocol/protocol-reader.js';
import type { ProtocolWriter } from '../../../src/broker/kafka-protocol/protocol-writer.js';
import { computeCrc32c } from '../../../src/broker/crc32c.js';
import { RecordBatchBuilder } from '../../../src/broker/record-batch/record-batch-builder.js';
import { ATTRIBUTES, BASE_OFFSET, BATCH_LENGTH, CRC, LAST_OFFSET_DELTA, MAX_TIMESTAMP, RECORD_COUNT, RECORDS, readInt64 } from '../../../src/broker/record-batch/record-batch-layout.js';
import { WireClient } from '../../helpers/kafka-wire.js';
import { makeTempDir, removeDir } from '../../helpers/temp-dir.js';

const PRODUCE = 0;
const FETCH = 1;
const LIST_OFFSETS = 2;
const METADATA = 3;
const API_VERSIONS = 18;
const CREATE_TOPICS = 19;
const DELETE_TOPICS = 20;
const DELETE_RECORDS = 21;
const DESCRIBE_CONFIGS = 32;
const ALTER_CONFIGS = 33;
const CREATE_PARTITIONS = 37;
const INCREMENTAL_ALTER_CONFIGS = 44;
const TOPIC_RESOURCE = 2;
const BROKER_RESOURCE = 4;

let dir: string;
let broker: EmbeddedBroker;
let listener: KafkaListener;

test.before(async () => {
  dir = makeTempDir('ksqlite-kafka-');
  broker = openEmbeddedBroker({ dataDir: dir });
  listener = await KafkaListener.start({ broker, host: '127.0.0.1', port: 0, clusterId: broker.dataDirId, maxFrameBytes: 1024 * 1024 });
});

test.after.always(async () => {
  await listener?.close();
  broker?.close();
  removeDir(dir);
});

function open(): Promise<WireClient> {
  return WireClient.open(listener.port);
}

function batchOf(values: readonly string[], timestamp = 1000): Buffer {
  const builder = new RecordBatchBuilder(1024 * 1024);
  for (const v of values) builder.add({ key: Buffer.from(`k-${v}`), value: Buffer.from(v) }, timestamp, 'test');
  const [batch] = builder.finish(0);
  return batch!;
}

/** `batch` with its records section replaced by `records` (default: the section gzipped), marked gzip, CRC fixed. */
function gzipped(batch: Buffer, records: Buffer = gzipSync(batch.subarray(RECORDS))): Buffer {
  const out = Buffer.concat([batch.subarray(0, RECORDS), records]);
  out.writeInt32BE(out.length - 12, BATCH_LENGTH);
  out.writeInt16BE(out.readInt16BE(ATTRIBUTES) | 1, ATTRIBUTES);
  out.writeUInt32BE(computeCrc32c(out, ATTRIBUTES, out.length), CRC);
  return out;
}

function produceBody(topic: string, partition: number, records: Buffer | null, acks = -1): (w: ProtocolWriter) => void {
  return (w) => {
    w.nullableString(null).int16(acks).int32(5000);
    w.array([topic], (tw) => {
      tw.string(topic).array([partition], (pw) => pw.int32(partition).nullableBytes(records === null ? null : [records]));
    });
  };
}

/** Produce v7's response for one partition. */
function readProduce(r: ProtocolReader): { error: number; baseOffset: number; logAppendTime: number; logStartOffset: number } {
  r.int32();
  r.string();
  r.int32();
  r.int32();
  return { error: r.int16(), baseOffset: r.int64(), logAppendTime: r.int64(), logStartOffset: r.int64() };
}

function fetchBody(topic: string, partition: number, offset: number, opts: { maxWaitMs?: number; minBytes?: number; maxBytes?: number; partitionMaxBytes?: number } = {}) {
  return (w: ProtocolWriter): void => {
    w.int32(-1).int32(opts.maxWaitMs ?? 0).int32(opts.minBytes ?? 0).int32(opts.maxBytes ?? 1024 * 1024).int8(0).int32(0).int32(-1);
    w.array([topic], (tw) => tw.string(topic).array([partition], (pw) => pw.int32(partition).int64(offset).int64(-1).int32(opts.partitionMaxBytes ?? 1024 * 1024)));
    w.array([], () => {});
  };
}

/** Fetch v7's response for one partition: its error, high watermark and record batches. */
function readFetch(r: ProtocolReader): { error: number; highWatermark: number; records: Buffer } {
  r.int32();
  t0(r.int16());
  r.int32();
  r.int32();
  r.string();
  r.int32();
  r.int32();
  const error = r.int16();
  const highWatermark = r.int64();
  r.int64();
  r.int64();
  r.array((ar) => [ar.int64(), ar.int64()]);
  return { error, highWatermark, records: r.nullableBytes() ?? Buffer.alloc(0) };
}

function t0(code: number): void {
  if (code !== 0) throw new Error(`top-level error ${code}`);
}

test.serial('ApiVersions v0 to v4 list the APIs and ranges; v3+ is flexible; an unknown version gets the v0 fallback with UNSUPPORTED_VERSION', async (t) => {
  const client = await open();
  const v0 = await client.call(API_VERSIONS, 0, () => {});
  t.is(v0.int16(), 0);
  const ranges = new Map(v0.array((r) => [r.int16(), [r.int16(), r.int16()]] as const));
  t.deepEqual(ranges.get(PRODUCE), [0, 11]);
  t.deepEqual(ranges.get(FETCH), [0, 17]);
  t.deepEqual(ranges.get(METADATA), [0, 12]);
  t.deepEqual(ranges.get(API_VERSIONS), [0, 4]);
  t.deepEqual(ranges.get(DELETE_RECORDS), [0, 2]);
  t.deepEqual(ranges.get(DESCRIBE_CONFIGS), [0, 4]);
  t.deepEqual(ranges.get(ALTER_CONFIGS), [0, 2]);
  t.deepEqual(ranges.get(CREATE_PARTITIONS), [0, 3]);
  t.deepEqual(ranges.get(INCREMENTAL_ALTER_CONFIGS), [0, 1]);

  const v3 = await client.call(API_VERSIONS, 3, (w) => w.unsignedVarint(5).int32(0x74657374).unsignedVarint(2).int8(0x31).emptyTaggedFields(), true);
  t.is(v3.int16(), 0);
  const count = v3.unsignedVarint() - 1;
  t.is(count, ranges.size);
  for (let i = 0; i < count; i++) {
    const [key, min, max] = [v3.int16(), v3.int16(), v3.int16()];
    v3.skipTaggedFields();
    t.deepEqual(ranges.get(key), [min, max]);
  }
  t.is(v3.int32(), 0);
  v3.skipTaggedFields();
  t.is(v3.remaining, 0);

  const v9 = await client.call(API_VERSIONS, 9, (w) => w.int32(12345));
  t.is(v9.int16(), 35, 'UNSUPPORTED_VERSION');
  t.is(v9.array((r) => [r.int16(), r.int16(), r.int16()]).length, ranges.size);
  t.is(v9.remaining, 0, 'in the v0 layout');
  client.close();
});

test.serial('Metadata names one broker and auto-creates a requested topic; v0 lists every topic for an empty list', async (t) => {
  const client = await open();
  const r = await client.call(METADATA, 4, (w) => w.array(['meta-auto'], (aw, s) => aw.string(s)).bool(true));
  r.int32();
  const brokers = r.array((br) => ({ node: br.int32(), host: br.string(), port: br.int32(), rack: br.nullableString() }));
  t.deepEqual(brokers, [{ node: 0, host: '127.0.0.1', port: listener.port, rack: null }]);
  t.is(r.nullableString(), broker.dataDirId);
  t.is(r.int32(), 0, 'controller');
  const [topic] = r.array((tr) => ({ error: tr.int16(), name: tr.string(), internal: tr.bool(), partitions: tr.array((pr) => [pr.int16(), pr.int32(), pr.int32(), pr.array((x) => x.int32()), pr.array((x) => x.int32())]) }));
  t.deepEqual(topic, { error: 0, name: 'meta-auto', internal: false, partitions: [[0, 0, 0, [0], [0]]] });
  t.true(broker.hasTopic('meta-auto'));

  const refused = await client.call(METADATA, 4, (w) => w.array(['meta-not-created'], (aw, s) => aw.string(s)).bool(false));
  refused.int32();
  refused.array((br) => [br.int32(), br.string(), br.int32(), br.nullableString()]);
  refused.nullableString();
  refused.int32();
  t.is(refused.array((tr) => tr.int16())[0], 3, 'UNKNOWN_TOPIC_OR_PARTITION when the client does not allow creation');
  t.false(broker.hasTopic('meta-not-created'));

  const all = await client.call(METADATA, 0, (w) => w.array([], () => {}));
  all.array((br) => [br.int32(), br.string(), br.int32()]);
  const names = all.array((tr) => {
    tr.int16();
    const name = tr.string();
    tr.array((pr) => [pr.int16(), pr.int32(), pr.int32(), pr.array((x) => x.int32()), pr.array((x) => x.int32())]);
    return name;
  });
  t.deepEqual(names, broker.listTopics());
  client.close();
});

test.serial('Produce stores the batch as sent, only its base offset rewritten, and answers after the commit', async (t) => {
  broker.createTopic('produced', { partitions: 2 });
  const client = await open();
  const first = batchOf(['a', 'b']);
  t.like(readProduce(await client.call(PRODUCE, 7, produceBody('produced', 1, first))), { error: 0, baseOffset: 0, logAppendTime: -1, logStartOffset: 0 });
  const second = batchOf(['c']);
  t.like(readProduce(await client.call(PRODUCE, 7, produceBody('produced', 1, second))), { error: 0, baseOffset: 2 });
  const stored = broker.readBatches('produced', 1, 0, 1 << 20);
  t.is(stored.length, 2);
  t.is(readInt64(stored[1]!, BASE_OFFSET), 2);
  t.deepEqual(stored[0]!.subarray(8), first.subarray(8), 'everything after the base offset as sent');
  t.deepEqual(stored[1]!.subarray(8), second.subarray(8));
  t.deepEqual(broker.read('produced', 1, 0).map((r) => [r.offset, String(r.key), String(r.value), r.timestamp]), [
    [0, 'k-a', 'a', 1000],
    [1, 'k-b', 'b', 1000],
    [2, 'k-c', 'c', 1000],
  ]);
  client.close();
});

test.serial('Produce refuses a bad CRC, an unknown codec, compressed records that do not decompress, a torn records field and an unknown topic with Kafka\'s codes, storing nothing', async (t) => {
  broker.createTopic('refused', { partitions: 1 });
  const client = await open();
  const corrupt = batchOf(['x']);
  corrupt[corrupt.length - 1] ^= 0xff;
  t.is(readProduce(await client.call(PRODUCE, 7, produceBody('refused', 0, corrupt))).error, 2, 'CORRUPT_MESSAGE');
  const markedAs = (codec: number): Buffer => {
    const batch = batchOf(['x']);
    batch.writeInt16BE(batch.readInt16BE(ATTRIBUTES) | codec, ATTRIBUTES);
    batch.writeUInt32BE(computeCrc32c(batch, ATTRIBUTES, batch.length), CRC);
    return batch;
  };
  t.is(readProduce(await client.call(PRODUCE, 7, produceBody('refused', 0, markedAs(5)))).error, 76, 'UNSUPPORTED_COMPRESSION_TYPE: a codec Kafka does not define');
  for (const codec of [2, 3, 4]) {
    t.is(readProduce(await client.call(PRODUCE, 7, produceBody('refused', 0, markedAs(codec)))).error, 2, `CORRUPT_MESSAGE: records marked with codec ${codec} that do not decompress`);
  }
  t.is(readProduce(await client.call(PRODUCE, 7, produceBody('refused', 0, gzipped(batchOf(['x']), Buffer.from('not gzip'))))).error, 2, 'CORRUPT_MESSAGE: records that do not inflate');
  t.is(readProduce(await client.call(PRODUCE, 7, produceBody('refused', 0, batchOf(['x']).subarray(0, 40)))).error, 2);
  t.is(readProduce(await client.call(PRODUCE, 7, produceBody('no-such-topic', 0, batchOf(['x'])))).error, 3, 'UNKNOWN_TOPIC_OR_PARTITION');
  t.is(readProduce(await client.call(PRODUCE, 7, produceBody('refused', 5, batchOf(['x'])))).error, 3);
  t.is(readProduce(await client.call(PRODUCE, 7, produceBody('refused', 0, batchOf(['x']), 2))).error, 21, 'INVALID_REQUIRED_ACKS');
  t.is(broker.latestOffset('refused', 0), 0);
  client.close();
});

test.serial('a gzip batch is stored as sent, served as stored, and read by the log like any other', async (t) => {
  broker.createTopic('zipped', { partitions: 1 });
  const client = await open();
  const batch = gzipped(batchOf(['g1', 'g2', 'g3'], 4242));
  t.like(readProduce(await client.call(PRODUCE, 7, produceBody('zipped', 0, batch))), { error: 0, baseOffset: 0 });
  t.deepEqual(broker.readBatches('zipped', 0, 0, 1 << 20), [batch]);
  t.deepEqual(broker.read('zipped', 0, 1).map((r) => [r.offset, String(r.key), String(r.value), r.timestamp]), [
    [1, 'k-g2', 'g2', 4242],
    [2, 'k-g3', 'g3', 4242],
  ]);
  t.deepEqual(readFetch(await client.call(FETCH, 7, fetchBody('zipped', 0, 0))).records, batch);
  client.close();
});

test.serial('Produce with acks 0 stores without answering; a LogAppendTime topic stamps the batch with the append time', async (t) => {
  broker.createTopic('quiet', { partitions: 1 });
  broker.createTopic('stamped', { partitions: 1, config: { 'message.timestamp.type': 'LogAppendTime' } });
  const client = await open();
  client.send(PRODUCE, 7, produceBody('quiet', 0, batchOf(['q']), 0));
  const before = Date.now();
  const stamped = readProduce(await client.call(PRODUCE, 7, produceBody('stamped', 0, batchOf(['s'], 5))));
  t.is(stamped.error, 0);
  t.true(stamped.logAppendTime >= before && stamped.logAppendTime <= Date.now());
  t.is(broker.latestOffset('quiet', 0), 1, 'the acks-0 request ran first; only the next one was answered');
  const [batch] = broker.readBatches('stamped', 0, 0, 1 << 20);
  t.is(readInt64(batch!, MAX_TIMESTAMP), stamped.logAppendTime);
  t.is(broker.read('stamped', 0, 0)[0]!.timestamp, stamped.logAppendTime);
  client.close();
});

test.serial('Fetch serves stored batches whole, at least one beyond partition_max_bytes, and OFFSET_OUT_OF_RANGE outside the log', async (t) => {
  broker.createTopic('fetched', { partitions: 1 });
  broker.append('fetched', [{ key: null, value: Buffer.from('one'), partition: 0 }]);
  broker.append('fetched', [{ key: null, value: Buffer.from('two'), partition: 0 }]);
  const stored = broker.readBatches('fetched', 0, 0, 1 << 20);
  const client = await open();
  const all = readFetch(await client.call(FETCH, 7, fetchBody('fetched', 0, 0)));
  t.deepEqual(all, { error: 0, highWatermark: 2, records: Buffer.concat(stored) });
  const fromInside = readFetch(await client.call(FETCH, 7, fetchBody('fetched', 0, 1, { partitionMaxBytes: 1 })));
  t.deepEqual(fromInside.records, stored[1], 'one whole batch although larger than the limit');
  t.is(readFetch(await client.call(FETCH, 7, fetchBody('fetched', 0, 3))).error, 1, 'OFFSET_OUT_OF_RANGE');
  const atEnd = readFetch(await client.call(FETCH, 7, fetchBody('fetched', 0, 2)));
  t.deepEqual(atEnd, { error: 0, highWatermark: 2, records: Buffer.alloc(0) });
  t.is(readFetch(await client.call(FETCH, 7, fetchBody('no-such-topic', 0, 0))).error, 3);
  client.close();
});

test.serial('a Fetch waiting at the log end for min_bytes is answered when an append lands, before max_wait_ms', async (t) => {
  broker.createTopic('polled', { partitions: 1 });
  const client = await open();
  const started = Date.now();
  const id = client.send(FETCH, 7, fetchBody('polled', 0, 0, { maxWaitMs: 20_000, minBytes: 1 }));
  setTimeout(() => broker.append('polled', [{ key: null, value: Buffer.from('late'), partition: 0 }]), 100);
  const response = await client.receive(15_000);
  t.is(response?.correlationId, id);
  t.true(Date.now() - started < 15_000);
  const data = readFetch(response!.body);
  t.is(data.highWatermark, 1);
  t.true(data.records.length > 0);
  client.close();
});

test.serial('ListOffsets finds the earliest, the latest and the first offset at a timestamp (v1), and answers v0 with its offsets list', async (t) => {
  broker.createTopic('listed', { partitions: 1 });
  for (const ts of [100, 200, 300]) broker.append('listed', [{ key: null, value: Buffer.from('v'), timestamp: ts, partition: 0 }]);
  const client = await open();
  const ask = async (timestamp: number): Promise<[number, number, number]> => {
    const r = await client.call(LIST_OFFSETS, 1, (w) => w.int32(-1).array(['listed'], (tw, s) => tw.string(s).array([0], (pw, p) => pw.int32(p).int64(timestamp))));
    r.int32();
    r.string();
    r.int32();
    r.int32();
    return [r.int16(), r.int64(), r.int64()];
  };
  t.deepEqual(await ask(-2), [0, -1, 0]);
  t.deepEqual(await ask(-1), [0, -1, 3]);
  t.deepEqual(await ask(150), [0, 200, 1]);
  t.deepEqual(await ask(1000), [0, -1, -1]);
  const v0 = await client.call(LIST_OFFSETS, 0, (w) => w.int32(-1).array(['listed'], (tw, s) => tw.string(s).array([0], (pw, p) => pw.int32(p).int64(-1).int32(1))));
  v0.int32();
  v0.string();
  v0.int32();
  t.is(v0.int32(), 0);
  t.is(v0.int16(), 0);
  t.deepEqual(v0.array((r) => r.int64()), [3]);
  client.close();
});

test.serial('CreateTopics creates with configs and refuses what Kafka refuses; DeleteTopics deletes', async (t) => {
  const client = await open();
  const create = async (name: string, partitions: number, rf: number, configs: [string, string][] = [], validateOnly = false) => {
    const r = await client.call(CREATE_TOPICS, 3, (w) => {
      w.array([name], (tw) => tw.string(name).int32(partitions).int16(rf).array([], () => {}).array(configs, (cw, [k, v]) => cw.string(k).nullableString(v)));
      w.int32(1000).bool(validateOnly);
    });
    r.int32();
    const [result] = r.array((tr) => ({ name: tr.string(), error: tr.int16(), message: tr.nullableString() }));
    return result!;
  };
  t.like(await create('made', 3, 1, [['cleanup.policy', 'compact']]), { name: 'made', error: 0, message: null });
  t.is(broker.describeTopic('made').partitions.length, 3);
  t.is(broker.describeTopic('made').config['cleanup.policy'], 'compact');
  t.like(await create('made', 3, 1), { error: 36 });
  t.like(await create('replicated', 1, 3), { error: 38 });
  t.like(await create('badconfig', 1, -1, [['no.such.config', 'x']]), { error: 40 });
  t.like(await create('bad name!', 1, -1), { error: 17 });
  t.like(await create('zero', 0, -1), { error: 37 });
  t.like(await create('checked', 1, -1, [], true), { error: 0 });
  t.false(broker.hasTopic('checked'), 'validate_only creates nothing');

  const deleted = await client.call(DELETE_TOPICS, 1, (w) => w.array(['made', 'never-was'], (aw, s) => aw.string(s)).int32(1000));
  deleted.int32();
  t.deepEqual(deleted.array((r) => [r.string(), r.int16()]), [['made', 0], ['never-was', 3]]);
  t.false(broker.hasTopic('made'));
  client.close();
});

test.serial('bad input closes only its connection: truncated frame, 1 GiB size, unknown API key, unsupported version, garbage after a request', async (t) => {
  const truncated = await open();
  truncated.write(Buffer.from([0, 0, 0, 100, 0, 18, 0, 0]));
  truncated.socket.end();
  t.true(await truncated.closedWithin());

  const huge = await open();
  huge.write(Buffer.from([0x40, 0, 0, 0]));
  t.true(await huge.closedWithin(), 'a 1 GiB size prefix closes the connection at once');

  const unknownKey = await open();
  unknownKey.send(999, 0, () => {});
  t.is(await unknownKey.receive(), null);

  const unsupported = await open();
  unsupported.send(METADATA, 42, () => {});
  t.is(await unsupported.receive(), null);

  const torn = await open();
  torn.send(METADATA, 1, (w) => w.int32(5).string('only-one'));
  t.is(await torn.receive(), null, 'an array longer than its request closes the connection');

  const garbage = await open();
  const id = garbage.send(API_VERSIONS, 0, () => {});
  garbage.write(Buffer.from('\x00\x00\x00\x09garbage!!'));
  const answered = await garbage.receive();
  t.is(answered?.correlationId, id, 'the valid request is answered');
  t.is(await garbage.receive(), null, 'then the garbage closes the connection');

  const next = await open();
  const ok = await next.call(API_VERSIONS, 1, () => {});
  t.is(ok.int16(), 0, 'the listener still serves new connections');
  next.close();
});

test.serial('wrong sizes inside a request close its connection and store nothing: bytes past the end, a negative string length, a size prefix shorter than its request', async (t) => {
  broker.createTopic('sized', { partitions: 1 });
  const batch = batchOf(['s']);

  const pastEnd = await open();
  pastEnd.send(PRODUCE, 7, (w) => {
    w.nullableString(null).int16(-1).int32(5000);
    w.array(['sized'], (tw) => tw.string('sized').array([0], (pw) => pw.int32(0).int32(batch.length + 100)));
    w.nullableBytes(null);
  });
  t.is(await pastEnd.receive(), null, 'a records length beyond the request');

  const negative = await open();
  negative.send(METADATA, 1, (w) => w.int32(1).int16(-2));
  t.is(await negative.receive(), null, 'a string length of -2');

  const short = await open();
  const full = short.request(PRODUCE, 7, produceBody('sized', 0, batch));
  const prefix = Buffer.alloc(4);
  prefix.writeInt32BE(full.length - 10);
  short.write(Buffer.concat([prefix, full]));
  t.is(await short.receive(), null, 'the request is read as truncated and its tail never becomes a request');

  t.is(broker.latestOffset('sized', 0), 0);
  const next = await open();
  t.is(readProduce(await next.call(PRODUCE, 7, produceBody('sized', 0, batch))).error, 0, 'the listener still serves other clients');
  t.deepEqual(broker.read('sized', 0, 0).map((r) => String(r.value)), ['s']);
  next.close();
});

test.serial('record batches that lie about their sizes or counts get an error response, store nothing, and leave the connection serving', async (t) => {
  broker.createTopic('lying', { partitions: 1 });
  const client = await open();
  const withCrc = (b: Buffer): Buffer => {
    b.writeUInt32BE(computeCrc32c(b, ATTRIBUTES, b.length), CRC);
    return b;
  };
  const longer = batchOf(['a']);
  longer.writeInt32BE(longer.readInt32BE(BATCH_LENGTH) + 1000, BATCH_LENGTH);
  t.is(readProduce(await client.call(PRODUCE, 7, produceBody('lying', 0, longer))).error, 2, 'a batch length beyond the records field: CORRUPT_MESSAGE');
  const counted = batchOf(['a', 'b']);
  counted.writeInt32BE(0x7fffffff, RECORD_COUNT);
  counted.writeInt32BE(0x7ffffffe, LAST_OFFSET_DELTA);
  t.is(readProduce(await client.call(PRODUCE, 7, produceBody('lying', 0, withCrc(counted)))).error, 87, 'a record count of 2^31-1 over two records: INVALID_RECORD');
  const recordLength = batchOf(['abc']);
  recordLength[RECORDS] = 0x7e;
  t.is(readProduce(await client.call(PRODUCE, 7, produceBody('lying', 0, withCrc(recordLength)))).error, 87, 'a record length beyond its batch: INVALID_RECORD');
  const good = batchOf(['ok']);
  const bad = batchOf(['bad']);
  bad[bad.length - 1] ^= 0xff;
  t.is(readProduce(await client.call(PRODUCE, 7, produceBody('lying', 0, Buffer.concat([good, bad])))).error, 2, 'a good batch then a corrupt one');
  t.is(broker.latestOffset('lying', 0), 0, 'nothing of any of them was stored');
  t.like(readProduce(await client.call(PRODUCE, 7, produceBody('lying', 0, good))), { error: 0, baseOffset: 0 });
  t.deepEqual(broker.read('lying', 0, 0).map((r) => String(r.value)), ['ok']);
  client.close();
});

test.serial('arrays claiming 2^31 elements close their connection; CreateTopics asking for more than 10000 partitions is refused with POLICY_VIOLATION', async (t) => {
  for (const length of [0x7fffffff, -0x80000000]) {
    const client = await open();
    client.send(METADATA, 1, (w) => w.int32(length).string('a'));
    t.is(await client.receive(), null, `a topics array of ${length}`);
  }
  const nested = await open();
  nested.send(PRODUCE, 7, (w) => w.nullableString(null).int16(1).int32(5000).int32(1).string('t').int32(0x7fffffff).int32(0));
  t.is(await nested.receive(), null, 'a partitions array of 2^31-1 inside a one-topic array');

  const client = await open();
  const create = async (topics: [string, number][], validateOnly = false): Promise<[string, number, string | null][]> => {
    const r = await client.call(CREATE_TOPICS, 3, (w) => {
      w.array(topics, (tw, [name, partitions]) => tw.string(name).int32(partitions).int16(-1).array([], () => {}).array([], () => {}));
      w.int32(1000).bool(validateOnly);
    });
    r.int32();
    return r.array((tr) => [tr.string(), tr.int16(), tr.nullableString()]);
  };
  const refused = (name: string): [string, number, string][] => [[name, 44, 'Excessively large number of partitions per request.']];
  // On failure stop here: the requests below would build a topic of 2^31-1 partitions.
  if (!t.deepEqual(await create([['over', 10_001]], true), refused('over'))) return;
  t.deepEqual(await create([['huge', 0x7fffffff]]), refused('huge'));
  t.deepEqual(await create([['half-a', 6000], ['half-b', 6000]]), [...refused('half-a'), ...refused('half-b')], 'the cap is on the whole request');
  t.false(broker.hasTopic('huge') || broker.hasTopic('half-a') || broker.hasTopic('half-b'));
  t.deepEqual(await create([['at-cap', 10_000]], true), [['at-cap', 0, null]]);
  client.close();
});

test.serial('a flood of connections: those beyond maxConnections are closed as they arrive, those within keep being served, and a freed slot is taken again', async (t) => {
  const limited = await KafkaListener.start({ broker, host: '127.0.0.1', port: 0, clusterId: broker.dataDirId, maxConnections: 3 });
  try {
    const served = async (client: WireClient): Promise<boolean> => (await client.call(API_VERSIONS, 1, () => {})).int16() === 0;
    const kept = await Promise.all([0, 1, 2].map(() => WireClient.open(limited.port)));
    for (const client of kept) t.true(await served(client));
    const flood = await Promise.all(Array.from({ length: 50 }, () => WireClient.open(limited.port)));
    for (const client of flood) t.true(await client.closedWithin(), 'a connection beyond the limit is closed');
    for (const client of kept) t.true(await served(client), 'the connections within the limit are still served');
    kept[0]!.close();
    let again: WireClient | undefined;
    const deadline = Date.now() + 5000;
    while (again === undefined && Date.now() < deadline) {
      const client = await WireClient.open(limited.port);
      if (!(await client.closedWithin(100))) again = client;
    }
    t.true(again !== undefined && (await served(again)), 'once a connection closes, a new one is served');
    for (const client of [...kept, ...flood, again]) client?.close();
  } finally {
    await limited.close();
  }
});

test.serial('FindCoordinator names this broker for groups and transactional ids; OffsetCommit outside a generation stores offsets that OffsetFetch and the log read back', async (t) => {
  broker.createTopic('committed', { partitions: 2 });
  const client = await open();
  const coordinator = await client.call(10, 1, (w) => w.string('g1').int8(0));
  t.deepEqual([coordinator.int32(), coordinator.int16(), coordinator.nullableString(), coordinator.int32(), coordinator.string(), coordinator.int32()], [0, 0, null, 0, '127.0.0.1', listener.port]);
  const txn = await client.call(10, 1, (w) => w.string('tx').int8(1));
  t.deepEqual([txn.int32(), txn.int16(), txn.nullableString(), txn.int32()], [0, 0, null, 0], 'this broker coordinates transactions');
  const other = await client.call(10, 1, (w) => w.string('x').int8(2));
  other.int32();
  t.is(other.int16(), 15, 'COORDINATOR_NOT_AVAILABLE for a key type Kafka does not know');

  const commit = async (generation: number, offsets: [string, number, number][]): Promise<number[]> => {
    const r = await client.call(8, 2, (w) => {
      w.string('g1').int32(generation).string('').int64(-1);
      w.array(offsets, (tw, [topic, partition, offset]) => tw.string(topic).array([0], () => w.int32(partition).int64(offset).nullableString('meta')));
    });
    return r.array((tr) => {
      tr.string();
      return tr.array((pr) => [pr.int32(), pr.int16()][1]!);
    }).flat();
  };
  t.deepEqual(await commit(-1, [['committed', 0, 5], ['committed', 1, 7], ['no-such-topic', 0, 1], ['committed', 9, 1]]), [0, 0, 3, 3]);
  t.is(broker.committedOffset('g1', 'committed', 0), 5);
  t.is(broker.committedOffset('g1', 'committed', 1), 7);
  t.deepEqual(await commit(3, [['committed', 0, 6]]), [22], 'ILLEGAL_GENERATION: a generation of a group without members');
  t.is(broker.committedOffset('g1', 'committed', 0), 5);

  const fetchOffsets = async (topics: [string, number[]][] | null): Promise<[string, number, number][]> => {
    const r = await client.call(9, 2, (w) => w.string('g1').array(topics, (tw, [name, partitions]) => tw.string(name).array(partitions, (pw, p) => pw.int32(p))));
    const rows = r.array((tr) => {
      const name = tr.string();
      return tr.array((pr) => {
        const row: [string, number, number] = [name, pr.int32(), pr.int64()];
        pr.nullableString();
        pr.int16();
        return row;
      });
    });
    t.is(r.int16(), 0);
    return rows.flat();
  };
  t.deepEqual(await fetchOffsets([['committed', [0, 1]], ['never', [0]]]), [['committed', 0, 5], ['committed', 1, 7], ['never', 0, -1]]);
  t.deepEqual(await fetchOffsets(null), [['committed', 0, 5], ['committed', 1, 7]], 'v2+: a null list is every committed offset');
  client.close();
});

test.serial('a client that stops reading stops being read: requests behind unread responses wait, then run once it reads again', async (t) => {
  broker.createTopic('big', { partitions: 1 });
  broker.createTopic('behind', { partitions: 1 });
  broker.append('big', [{ key: null, value: Buffer.alloc(900_000, 1), partition: 0 }]);
  const client = await open();
  client.socket.pause();
  for (let i = 0; i < 60; i++) client.send(FETCH, 7, fetchBody('big', 0, 0));
  client.send(PRODUCE, 7, produceBody('behind', 0, batchOf(['late']), 0));
  await new Promise((resolve) => setTimeout(resolve, 500));
  t.is(broker.latestOffset('behind', 0), 0, 'about 54 MB of responses are unread: the produce behind them has not run');
  client.socket.resume();
  for (let i = 0; i < 60; i++) t.truthy(await client.receive(15_000));
  const deadline = Date.now() + 5000;
  while (broker.latestOffset('behind', 0) === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  t.is(broker.latestOffset('behind', 0), 1);
  client.close();
});

/** DescribeConfigs v0 for one resource: its error and its configs as name -> [value, is_default]. */
async function describeConfigsV0(client: WireClient, type: number, name: string, keys: string[] | null = null): Promise<{ error: number; configs: Map<string, [string | null, boolean]> }> {
  const r = await client.call(DESCRIBE_CONFIGS, 0, (w) => w.array([name], (rw) => rw.int8(type).string(name).array(keys, (kw, k) => kw.string(k))));
  r.int32();
  const [result] = r.array((rr) => {
    const error = rr.int16();
    rr.nullableString();
    rr.int8();
    rr.string();
    const configs = new Map(rr.array((cr): [string, [string | null, boolean]] => {
      const configName = cr.string();
      const value = cr.nullableString();
      cr.bool(); // read_only
      const isDefault = cr.bool();
      cr.bool(); // is_sensitive
      return [configName, [value, isDefault]];
    }));
    return { error, configs };
  });
  return result!;
}

/** IncrementalAlterConfigs v0 on one topic: the error code. */
async function alterIncrementally(client: WireClient, topic: string, ops: [string, number, string | null][], type = TOPIC_RESOURCE): Promise<number> {
  const r = await client.call(INCREMENTAL_ALTER_CONFIGS, 0, (w) => {
    w.array([topic], (rw) => rw.int8(type).string(topic).array(ops, (ow, [name, op, value]) => ow.string(name).int8(op).nullableString(value)));
    w.bool(false);
  });
  r.int32();
  return r.array((rr) => rr.int16())[0]!;
}

test.serial('DescribeConfigs v0 flags defaults and filters names; IncrementalAlterConfigs sets, deletes, appends and subtracts; other resources are refused', async (t) => {
  broker.createTopic('configs', { partitions: 1, config: { 'retention.ms': 5000 } });
  const client = await open();
  const all = await describeConfigsV0(client, TOPIC_RESOURCE, 'configs');
  t.is(all.error, 0);
  t.deepEqual(all.configs.get('retention.ms'), ['5000', false]);
  t.deepEqual(all.configs.get('cleanup.policy'), ['delete', true]);
  t.deepEqual([...(await describeConfigsV0(client, TOPIC_RESOURCE, 'configs', ['max.message.bytes', 'no.such.name'])).configs.keys()], ['max.message.bytes']);
  t.is((await describeConfigsV0(client, BROKER_RESOURCE, '0')).error, 42, 'INVALID_REQUEST: only topic configs are kept');
  t.is((await describeConfigsV0(client, TOPIC_RESOURCE, 'no-such-topic')).error, 3);

  t.is(await alterIncrementally(client, 'configs', [['retention.bytes', 0, '1000'], ['cleanup.policy', 2, 'compact'], ['retention.ms', 1, null]]), 0);
  t.like(broker.describeTopic('configs').config, { 'retention.bytes': 1000, 'cleanup.policy': 'compact,delete', 'retention.ms': 604_800_000 });
  t.is(await alterIncrementally(client, 'configs', [['cleanup.policy', 3, 'delete']]), 0);
  t.is(broker.describeTopic('configs').config['cleanup.policy'], 'compact');
  t.is(await alterIncrementally(client, 'configs', [['retention.bytes', 0, '5'], ['retention.ms', 2, '1']]), 40, 'INVALID_CONFIG: retention.ms is not a list');
  t.is(await alterIncrementally(client, 'configs', [['no.such.config', 0, '1']]), 40);
  t.is(await alterIncrementally(client, 'configs', [['cleanup.policy', 3, 'compact']]), 40, 'an empty cleanup.policy is invalid');
  t.is(broker.describeTopic('configs').config['retention.bytes'], 1000, 'refused requests changed nothing');
  t.is(await alterIncrementally(client, '0', [['retention.ms', 0, '1']], BROKER_RESOURCE), 42);
  client.close();
});

test.serial('DeleteRecords moves the log start (-1: to the high watermark) and refuses offsets past the end; CreatePartitions validates only when asked and refuses other brokers', async (t) => {
  broker.createTopic('trim', { partitions: 2 });
  for (const v of ['a', 'b', 'c']) broker.append('trim', [{ key: null, value: Buffer.from(v), partition: 0 }, { key: null, value: Buffer.from(v), partition: 1 }]);
  const client = await open();
  const r = await client.call(DELETE_RECORDS, 1, (w) => {
    w.array(['trim'], (tw) => tw.string('trim').array([[0, 2], [1, -1], [0, 9]], (pw, [p, offset]) => pw.int32(p!).int64(offset!)));
    w.int32(1000);
  });
  r.int32();
  const [results] = r.array((tr) => (tr.string(), tr.array((pr) => [pr.int32(), pr.int64(), pr.int16()])));
  t.deepEqual(results, [[0, 2, 0], [1, 3, 0], [0, -1, 1]]);
  t.deepEqual([broker.earliestOffset('trim', 0), broker.earliestOffset('trim', 1)], [2, 3]);

  const grow = async (count: number, assignments: number[][] | null, validateOnly: boolean): Promise<number> => {
    const answer = await client.call(CREATE_PARTITIONS, 0, (w) => {
      w.array(['trim'], (tw) => tw.string('trim').int32(count).array(assignments, (aw, brokers) => aw.array(brokers, (bw, b) => bw.int32(b))));
      w.int32(1000).bool(validateOnly);
    });
    answer.int32();
    return answer.array((tr) => (tr.string(), tr.int16()))[0]!;
  };
  t.is(await grow(4, null, true), 0);
  t.is(broker.describeTopic('trim').partitions.length, 2, 'validate_only grows nothing');
  t.is(await grow(4, [[1], [1]], false), 39, 'INVALID_REPLICA_ASSIGNMENT');
  t.is(await grow(2, null, false), 37, 'INVALID_PARTITIONS');
  t.is(await grow(4, [[0], [0]], false), 0);
  t.is(broker.describeTopic('trim').partitions.length, 4);
  client.close();
});
