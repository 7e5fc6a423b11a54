/**
 * The listener's flexible versions (KIP-482: compact strings, bytes and
 * arrays, tagged fields, request header v2 and response header v1) over raw
 * sockets: each API at the newest version it offers, written and read field
 * by field as Kafka's message definitions lay them out, every response read
 * to its last byte.
 */
import test from 'ava';
import { openEmbeddedBroker, type EmbeddedBroker } from '../../../src/broker/index.js';
import { KafkaListener } from '../../../src/broker/kafka-protocol/kafka-listener.js';
import type { ProtocolReader } from '../../../src/broker/kafka-protocol/protocol-reader.js';
import type { ProtocolWriter } from '../../../src/broker/kafka-protocol/protocol-writer.js';
import { RecordBatchBuilder } from '../../../src/broker/record-batch/record-batch-builder.js';
import { WireClient } from '../../helpers/kafka-wire.js';
import { makeTempDir, removeDir } from '../../helpers/temp-dir.js';

const PRODUCE = 0;
const FETCH = 1;
const LIST_OFFSETS = 2;
const METADATA = 3;
const OFFSET_COMMIT = 8;
const OFFSET_FETCH = 9;
const FIND_COORDINATOR = 10;
const JOIN_GROUP = 11;
const HEARTBEAT = 12;
const LEAVE_GROUP = 13;
const SYNC_GROUP = 14;
const DESCRIBE_GROUPS = 15;
const LIST_GROUPS = 16;
const API_VERSIONS = 18;
const CREATE_TOPICS = 19;
const DELETE_TOPICS = 20;
const DELETE_RECORDS = 21;
const INIT_PRODUCER_ID = 22;
const ADD_PARTITIONS_TO_TXN = 24;
const ADD_OFFSETS_TO_TXN = 25;
const END_TXN = 26;
const TXN_OFFSET_COMMIT = 28;
const DESCRIBE_CONFIGS = 32;
const ALTER_CONFIGS = 33;
const CREATE_PARTITIONS = 37;
const INCREMENTAL_ALTER_CONFIGS = 44;
const TOPIC_RESOURCE = 2;
const ZERO_UUID = '0'.repeat(32);

let dir: string;
let broker: EmbeddedBroker;
let listener: KafkaListener;
const clients: WireClient[] = [];

test.before(async () => {
  dir = makeTempDir('ksqlite-kafka-flexible-');
  broker = openEmbeddedBroker({ dataDir: dir });
  listener = await KafkaListener.start({ broker, host: '127.0.0.1', port: 0, clusterId: broker.dataDirId });
});

test.after.always(async () => {
  for (const client of clients) client.close();
  await listener?.close();
  broker?.close();
  removeDir(dir);
});

async function open(): Promise<WireClient> {
  const client = await WireClient.open(listener.port);
  clients.push(client);
  return client;
}

function batchOf(values: readonly string[]): Buffer {
  const builder = new RecordBatchBuilder(1024 * 1024);
  for (const v of values) builder.add({ key: Buffer.from(`k-${v}`), value: Buffer.from(v) }, 1000, 'test');
  return builder.finish(0)[0]!;
}

/** Reads the tagged fields that end a structure and returns `value`. */
function ended<T>(r: ProtocolReader, value: T): T {
  r.taggedFields();
  return value;
}

function done(t: { is: (a: unknown, b: unknown, m?: string) => void }, r: ProtocolReader): void {
  r.taggedFields();
  t.is(r.remaining, 0, 'the response is read to its last byte');
}

test('ApiVersions v4 lists every API with the flexible layout under response header v0', async (t) => {
  const client = await open();
  const r = await client.callFlexible(API_VERSIONS, 4, (w) => w.string('ksqlite-test').string('1').taggedFields());
  t.is(r.int16(), 0);
  const ranges = new Map(r.array((ar) => ended(ar, [ar.int16(), [ar.int16(), ar.int16()]] as const)));
  t.deepEqual(ranges.get(API_VERSIONS), [0, 4]);
  t.deepEqual(ranges.get(METADATA), [0, 12]);
  t.deepEqual(ranges.get(FETCH), [0, 17]);
  t.is(r.int32(), 0);
  done(t, r);
});

function readMetadata(r: ProtocolReader, version: number) {
  r.int32();
  const brokers = r.array((br) => ended(br, { node: br.int32(), host: br.string(), port: br.int32(), rack: br.nullableString() }));
  const clusterId = r.nullableString();
  const controller = r.int32();
  const topics = r.array((tr) => {
    const topic = { error: tr.int16(), name: tr.nullableString(), id: tr.uuid(), internal: tr.bool() };
    const partitions = tr.array((pr) => {
      const partition = [pr.int16(), pr.int32(), pr.int32(), pr.int32(), pr.array((x) => x.int32()), pr.array((x) => x.int32()), pr.array((x) => x.int32())];
      return ended(pr, partition);
    });
    tr.int32();
    return ended(tr, { ...topic, partitions });
  });
  if (version <= 10) r.int32();
  return { brokers, clusterId, controller, topics };
}

/** The ids Metadata v12 gives the named topics (creating them). */
async function topicIdsOf(client: WireClient, names: string[]): Promise<string[]> {
  const r = await client.callFlexible(METADATA, 12, (w) => w.array(names, (tw, name) => tw.uuid(ZERO_UUID).nullableString(name).taggedFields()).bool(true).bool(false).taggedFields());
  return readMetadata(r, 12).topics.map((topic) => topic.id);
}

test('Metadata v10-v12: topics by name or by id, each with its topic id; auto-creation as asked; an id no topic has is UNKNOWN_TOPIC_ID', async (t) => {
  const client = await open();
  const [metaId, otherId] = await topicIdsOf(client, ['flex-meta', 'flex-meta-other']);
  t.not(metaId, ZERO_UUID);
  t.not(metaId, otherId, 'each topic its own id');
  t.deepEqual(await topicIdsOf(await open(), ['flex-meta']), [metaId!], 'the same id on every connection');
  const v12 = await client.callFlexible(METADATA, 12, (w) => {
    w.array([[null, metaId!], [null, '11'.repeat(16)]] as const, (tw, [name, id]) => tw.uuid(id).nullableString(name).taggedFields());
    w.bool(true).bool(false).taggedFields();
  });
  const answer = readMetadata(v12, 12);
  done(t, v12);
  t.deepEqual(answer.brokers, [{ node: 0, host: '127.0.0.1', port: listener.port, rack: null }]);
  t.is(answer.clusterId, broker.dataDirId);
  t.deepEqual(answer.topics, [
    { error: 0, name: 'flex-meta', id: metaId, internal: false, partitions: [[0, 0, 0, 0, [0], [0], []]] },
    { error: 100, name: null, id: ZERO_UUID, internal: false, partitions: [] },
  ]);

  // v10 still has the cluster's authorized operations, in the request and the response.
  const v10 = await client.callFlexible(METADATA, 10, (w) => w.array(null, () => {}).bool(false).bool(false).bool(false).taggedFields());
  t.true(readMetadata(v10, 10).topics.some((topic) => topic.name === 'flex-meta' && topic.id === metaId));
  done(t, v10);
});

test('Metadata v9 is flexible without topic ids', async (t) => {
  const client = await open();
  const r = await client.callFlexible(METADATA, 9, (w) => w.array(['flex-meta-9'], (tw, name) => tw.string(name).taggedFields()).bool(true).bool(false).bool(false).taggedFields());
  r.int32();
  r.array((br) => ended(br, [br.int32(), br.string(), br.int32(), br.nullableString()]));
  r.nullableString();
  r.int32();
  const [topic] = r.array((tr) => {
    const value = { error: tr.int16(), name: tr.string(), internal: tr.bool(), partitions: tr.array((pr) => ended(pr, [pr.int16(), pr.int32(), pr.int32(), pr.int32(), pr.array((x) => x.int32()), pr.array((x) => x.int32()), pr.array((x) => x.int32())])) };
    tr.int32();
    return ended(tr, value);
  });
  t.deepEqual(topic, { error: 0, name: 'flex-meta-9', internal: false, partitions: [[0, 0, 0, 0, [0], [0], []]] });
  r.int32();
  done(t, r);
});

test('Produce v9-v11, Fetch v12 and ListOffsets v6 move records with compact records fields', async (t) => {
  broker.createTopic('flex-records', { partitions: 1 });
  const client = await open();
  const produce = async (version: number, values: string[]) => {
    const r = await client.callFlexible(PRODUCE, version, (w) => {
      w.nullableString(null).int16(-1).int32(5000);
      w.array(['flex-records'], (tw, name) => tw.string(name).array([0], (pw, p) => pw.int32(p).nullableBytes([batchOf(values)]).taggedFields()).taggedFields());
      w.taggedFields();
    });
    const [partition] = r.array((tr) => {
      tr.string();
      return ended(tr, tr.array((pr) => ended(pr, { index: pr.int32(), error: pr.int16(), baseOffset: pr.int64(), appendTime: pr.int64(), logStart: pr.int64(), recordErrors: pr.array(() => 0).length, message: pr.nullableString() })))[0];
    });
    t.is(r.int32(), 0);
    done(t, r);
    return partition;
  };
  t.deepEqual(await produce(9, ['a', 'b']), { index: 0, error: 0, baseOffset: 0, appendTime: -1, logStart: 0, recordErrors: 0, message: null });
  t.like(await produce(11, ['c']), { error: 0, baseOffset: 2 });

  const fetch = await client.callFlexible(FETCH, 12, (w) => {
    w.int32(-1).int32(0).int32(0).int32(1024 * 1024).int8(0).int32(0).int32(-1);
    w.array(['flex-records'], (tw, name) => tw.string(name).array([0], (pw, p) => pw.int32(p).int32(-1).int64(1).int32(-1).int64(-1).int32(1024 * 1024).taggedFields()).taggedFields());
    w.array([], () => {}).string('').taggedFields();
  });
  t.deepEqual([fetch.int32(), fetch.int16(), fetch.int32()], [0, 0, 0]);
  const [fetched] = fetch.array((tr) => {
    t.is(tr.string(), 'flex-records');
    return ended(tr, tr.array((pr) => ended(pr, {
      index: pr.int32(), error: pr.int16(), highWatermark: pr.int64(), lastStable: pr.int64(), logStart: pr.int64(), aborted: pr.nullableArray(() => 0), preferredReplica: pr.int32(), records: pr.nullableBytes(),
    }))[0]);
  });
  done(t, fetch);
  t.like(fetched, { index: 0, error: 0, highWatermark: 3, lastStable: 3, logStart: 0, aborted: null, preferredReplica: -1 });
  const stored = broker.readBatches('flex-records', 0, 1, 1024 * 1024, 3);
  t.deepEqual(fetched?.records, Buffer.concat(stored), 'the stored batches holding offset 1 on');

  const offsets = await client.callFlexible(LIST_OFFSETS, 6, (w) => {
    w.int32(-1).int8(0).array(['flex-records'], (tw, name) => tw.string(name).array([-1, -2], (pw, ts) => pw.int32(0).int32(-1).int64(ts).taggedFields()).taggedFields()).taggedFields();
  });
  offsets.int32();
  const listed = offsets.array((tr) => {
    tr.string();
    return ended(tr, tr.array((pr) => ended(pr, [pr.int32(), pr.int16(), pr.int64(), pr.int64(), pr.int32()])));
  });
  done(t, offsets);
  t.deepEqual(listed, [[[0, 0, -1, 3, 0], [0, 0, -1, 0, 0]]]);
});

test('Fetch v13-v17 name topics by id (v15+ without a replica id); an id no topic has is UNKNOWN_TOPIC_ID', async (t) => {
  broker.createTopic('flex-fetch-ids', { partitions: 1 });
  broker.append('flex-fetch-ids', ['p', 'q'].map((v) => ({ key: null, value: Buffer.from(v), timestamp: 1000, partition: 0 })));
  const client = await open();
  const [id] = await topicIdsOf(client, ['flex-fetch-ids']);
  const unknownId = '33'.repeat(16);
  for (const version of [13, 15, 17]) {
    const r = await client.callFlexible(FETCH, version, (w) => {
      if (version <= 14) w.int32(-1);
      w.int32(0).int32(0).int32(1024 * 1024).int8(0).int32(0).int32(-1);
      w.array([id!, unknownId], (tw, topicId) => tw.uuid(topicId).array([0], (pw, p) => pw.int32(p).int32(-1).int64(0).int32(-1).int64(-1).int32(1024 * 1024).taggedFields()).taggedFields());
      w.array([], () => {}).string('').taggedFields();
    });
    t.deepEqual([r.int32(), r.int16(), r.int32()], [0, 0, 0]);
    const topics = r.array((tr) => ended(tr, {
      id: tr.uuid(),
      partitions: tr.array((pr) => ended(pr, { index: pr.int32(), error: pr.int16(), highWatermark: pr.int64(), lastStable: pr.int64(), logStart: pr.int64(), aborted: pr.nullableArray(() => 0), preferred: pr.int32(), bytes: pr.nullableBytes()?.length ?? 0 })),
    }));
    done(t, r);
    t.like(topics, [{ id, partitions: [{ index: 0, error: 0, highWatermark: 2 }] }, { id: unknownId, partitions: [{ index: 0, error: 100, highWatermark: -1, bytes: 0 }] }], `v${version}`);
    t.true(topics[0]!.partitions[0]!.bytes > 0, `v${version} serves the records`);
  }
});

test('FindCoordinator v3 names the broker for one key, v4-v5 for each of several keys', async (t) => {
  const client = await open();
  const v3 = await client.callFlexible(FIND_COORDINATOR, 3, (w) => w.string('g').int8(0).taggedFields());
  t.deepEqual([v3.int32(), v3.int16(), v3.nullableString(), v3.int32(), v3.string(), v3.int32()], [0, 0, null, 0, '127.0.0.1', listener.port]);
  done(t, v3);
  const v5 = await client.callFlexible(FIND_COORDINATOR, 5, (w) => w.int8(1).array(['txn-a', 'txn-b'], (kw, key) => kw.string(key)).taggedFields());
  v5.int32();
  const coordinators = v5.array((r) => ended(r, [r.string(), r.int32(), r.string(), r.int32(), r.int16(), r.nullableString()]));
  done(t, v5);
  t.deepEqual(coordinators, [['txn-a', 0, '127.0.0.1', listener.port, 0, null], ['txn-b', 0, '127.0.0.1', listener.port, 0, null]]);
  const shareGroup = await client.callFlexible(FIND_COORDINATOR, 4, (w) => w.int8(2).array(['s'], (kw, key) => kw.string(key)).taggedFields());
  shareGroup.int32();
  t.like(shareGroup.array((r) => ended(r, { key: r.string(), node: r.int32(), host: r.string(), port: r.int32(), error: r.int16(), message: r.nullableString() })), [{ key: 's', node: -1, error: 15 }]);
});

test('a consumer group at the newest versions: JoinGroup v9, SyncGroup v5, Heartbeat v4, OffsetCommit v9, OffsetFetch v8-v9, DescribeGroups v5, ListGroups v4, LeaveGroup v5', async (t) => {
  broker.createTopic('flex-group-topic', { partitions: 2 });
  const client = await open();
  const join = await client.callFlexible(JOIN_GROUP, 9, (w) => {
    w.string('flex-group').int32(10_000).int32(10_000).string('').nullableString(null).string('consumer');
    w.array(['range'], (pw, name) => pw.string(name).nullableBytes([Buffer.from('subscription')]).taggedFields());
    w.nullableString('starting').taggedFields();
  });
  join.int32();
  const joined = { error: join.int16(), generation: join.int32(), protocolType: join.nullableString(), protocol: join.nullableString(), leader: join.string(), skipAssignment: join.bool(), memberId: join.string() };
  const members = join.array((mr) => ended(mr, [mr.string(), mr.nullableString(), String(mr.nullableBytes())]));
  done(t, join);
  t.like(joined, { error: 0, generation: 1, protocolType: 'consumer', protocol: 'range', skipAssignment: false });
  t.is(joined.leader, joined.memberId);
  t.deepEqual(members, [[joined.memberId, null, 'subscription']]);

  const sync = await client.callFlexible(SYNC_GROUP, 5, (w) => {
    w.string('flex-group').int32(joined.generation).string(joined.memberId).nullableString(null).nullableString('consumer').nullableString('range');
    w.array([joined.memberId], (aw, id) => aw.string(id).nullableBytes([Buffer.from('assignment')]).taggedFields()).taggedFields();
  });
  t.deepEqual([sync.int32(), sync.int16(), sync.nullableString(), sync.nullableString(), String(sync.nullableBytes())], [0, 0, 'consumer', 'range', 'assignment']);
  done(t, sync);

  const heartbeat = await client.callFlexible(HEARTBEAT, 4, (w) => w.string('flex-group').int32(joined.generation).string(joined.memberId).nullableString(null).taggedFields());
  t.deepEqual([heartbeat.int32(), heartbeat.int16()], [0, 0]);
  done(t, heartbeat);

  const commit = await client.callFlexible(OFFSET_COMMIT, 9, (w) => {
    w.string('flex-group').int32(joined.generation).string(joined.memberId).nullableString(null);
    w.array(['flex-group-topic'], (tw, name) => tw.string(name).array([[0, 5], [1, 7]], (pw, [p, o]) => pw.int32(p).int64(o).int32(-1).nullableString(null).taggedFields()).taggedFields());
    w.taggedFields();
  });
  commit.int32();
  t.deepEqual(commit.array((tr) => ended(tr, [tr.string(), tr.array((pr) => ended(pr, [pr.int32(), pr.int16()]))])), [['flex-group-topic', [[0, 0], [1, 0]]]]);
  done(t, commit);
  t.is(broker.committedOffset('flex-group', 'flex-group-topic', 1), 7);

  const readGroups = (r: ProtocolReader) => {
    r.int32();
    const groups = r.array((gr) => {
      const group = gr.string();
      const topics = gr.array((tr) => ended(tr, [tr.string(), tr.array((pr) => ended(pr, [pr.int32(), pr.int64(), pr.int32(), pr.nullableString(), pr.int16()]))]));
      return ended(gr, { group, topics, error: gr.int16() });
    });
    done(t, r);
    return groups;
  };
  const v9 = await client.callFlexible(OFFSET_FETCH, 9, (w) => {
    w.array(['flex-group'], (gw, group) => gw.string(group).nullableString(joined.memberId).int32(-1).array(['flex-group-topic'], (tw, name) => tw.string(name).array([0, 1], (pw, p) => pw.int32(p)).taggedFields()).taggedFields());
    w.bool(false).taggedFields();
  });
  t.deepEqual(readGroups(v9), [{ group: 'flex-group', topics: [['flex-group-topic', [[0, 5, -1, '', 0], [1, 7, -1, '', 0]]]], error: 0 }]);
  const v8 = await client.callFlexible(OFFSET_FETCH, 8, (w) => {
    w.array(['flex-group', 'flex-no-group'], (gw, group) => gw.string(group).array(null, () => {}).taggedFields()).bool(false).taggedFields();
  });
  t.deepEqual(readGroups(v8), [
    { group: 'flex-group', topics: [['flex-group-topic', [[0, 5, -1, '', 0], [1, 7, -1, '', 0]]]], error: 0 },
    { group: 'flex-no-group', topics: [], error: 0 },
  ]);

  const describe = await client.callFlexible(DESCRIBE_GROUPS, 5, (w) => w.array(['flex-group'], (gw, g) => gw.string(g)).bool(false).taggedFields());
  describe.int32();
  const [described] = describe.array((gr) => {
    const group = { error: gr.int16(), id: gr.string(), state: gr.string(), protocolType: gr.string(), protocol: gr.string() };
    const groupMembers = gr.array((mr) => ended(mr, [mr.string(), mr.nullableString(), mr.string(), mr.string(), String(mr.nullableBytes()), String(mr.nullableBytes())]));
    gr.int32();
    return ended(gr, { ...group, members: groupMembers });
  });
  done(t, describe);
  t.like(described, { error: 0, id: 'flex-group', state: 'Stable', protocolType: 'consumer', protocol: 'range' });
  t.deepEqual(described?.members.map((m) => [m[0], m[4], m[5]]), [[joined.memberId, 'subscription', 'assignment']]);

  const listGroups = async (states: string[]) => {
    const r = await client.callFlexible(LIST_GROUPS, 4, (w) => w.array(states, (sw, s) => sw.string(s)).taggedFields());
    r.int32();
    t.is(r.int16(), 0);
    const groups = r.array((gr) => ended(gr, [gr.string(), gr.string(), gr.string()]));
    done(t, r);
    return groups;
  };
  t.deepEqual((await listGroups([])).find(([id]) => id === 'flex-group'), ['flex-group', 'consumer', 'Stable']);
  t.deepEqual((await listGroups(['stable'])).map(([id]) => id), ['flex-group'], 'filtered by state, in any case');
  t.deepEqual(await listGroups(['Dead']), []);

  const leave = await client.callFlexible(LEAVE_GROUP, 5, (w) => {
    w.string('flex-group').array([joined.memberId, 'nobody'], (mw, id) => mw.string(id).nullableString(null).nullableString('done').taggedFields()).taggedFields();
  });
  t.deepEqual([leave.int32(), leave.int16()], [0, 0]);
  t.deepEqual(leave.array((mr) => ended(mr, [mr.string(), mr.nullableString(), mr.int16()])), [[joined.memberId, null, 0], ['nobody', null, 25]]);
  done(t, leave);
});

test('CreateTopics v7 answers the created topic (id, partitions, configs); DeleteTopics v6 deletes by name or by id', async (t) => {
  const client = await open();
  const create = async (name: string, partitions: number, validateOnly: boolean) => {
    const r = await client.callFlexible(CREATE_TOPICS, 7, (w) => {
      w.array([name], (tw) => tw.string(name).int32(partitions).int16(-1).array([], () => {}).array([['cleanup.policy', 'compact']], (cw, [k, v]) => cw.string(k).nullableString(v).taggedFields()).taggedFields());
      w.int32(1000).bool(validateOnly).taggedFields();
    });
    r.int32();
    const [result] = r.array((tr) => {
      const head = { name: tr.string(), id: tr.uuid(), error: tr.int16(), message: tr.nullableString(), partitions: tr.int32(), replication: tr.int16() };
      const configs = tr.nullableArray((cr) => ended(cr, [cr.string(), cr.nullableString(), cr.bool(), cr.int8(), cr.bool()]));
      return ended(tr, { ...head, configs });
    });
    done(t, r);
    return result!;
  };
  const created = await create('flex-made', 2, false);
  t.like(created, { name: 'flex-made', error: 0, message: null, partitions: 2, replication: 1 });
  t.deepEqual(await topicIdsOf(client, ['flex-made']), [created.id], 'the id Metadata gives it');
  t.deepEqual(created.configs?.find(([name]) => name === 'cleanup.policy'), ['cleanup.policy', 'compact', false, 1, false]);
  t.deepEqual(created.configs?.find(([name]) => name === 'retention.ms'), ['retention.ms', '604800000', false, 5, false]);
  t.is(broker.describeTopic('flex-made').partitions.length, 2);
  t.like(await create('flex-made', 2, false), { id: ZERO_UUID, error: 36, partitions: -1, replication: -1, configs: null });
  t.like(await create('flex-validated', 3, true), { error: 0, partitions: 3 });
  t.false(broker.hasTopic('flex-validated'));

  broker.createTopic('flex-by-id', { partitions: 1 });
  const [byId] = await topicIdsOf(client, ['flex-by-id']);
  const r = await client.callFlexible(DELETE_TOPICS, 6, (w) => {
    const topics = [['flex-made', ZERO_UUID], [null, byId!], [null, '22'.repeat(16)]] as const;
    w.array(topics, (tw, [name, id]) => tw.nullableString(name).uuid(id).taggedFields()).int32(1000).taggedFields();
  });
  r.int32();
  const results = r.array((tr) => ended(tr, { name: tr.nullableString(), id: tr.uuid(), error: tr.int16(), message: tr.nullableString() }));
  done(t, r);
  t.like(results, [
    { name: 'flex-made', id: created.id, error: 0, message: null },
    { name: 'flex-by-id', id: byId, error: 0, message: null },
    { name: null, id: ZERO_UUID, error: 100 },
  ]);
  t.false(broker.hasTopic('flex-by-id'));
  t.false(broker.hasTopic('flex-made'));
});

test('DescribeConfigs v4 (with config types), AlterConfigs v2, IncrementalAlterConfigs v1, CreatePartitions v3 and DeleteRecords v2', async (t) => {
  broker.createTopic('flex-admin', { partitions: 1 });
  const client = await open();
  const alterResult = (r: ProtocolReader) => {
    r.int32();
    const results = r.array((rr) => ended(rr, [rr.int16(), rr.nullableString(), rr.int8(), rr.string()]));
    done(t, r);
    return results;
  };
  const altered = await client.callFlexible(ALTER_CONFIGS, 2, (w) => {
    w.array(['flex-admin'], (rw, name) => rw.int8(TOPIC_RESOURCE).string(name).array([['retention.ms', '1000']], (cw, [k, v]) => cw.string(k).nullableString(v).taggedFields()).taggedFields());
    w.bool(false).taggedFields();
  });
  t.deepEqual(alterResult(altered), [[0, null, TOPIC_RESOURCE, 'flex-admin']]);
  const incremental = await client.callFlexible(INCREMENTAL_ALTER_CONFIGS, 1, (w) => {
    w.array(['flex-admin'], (rw, name) => rw.int8(TOPIC_RESOURCE).string(name).array([['cleanup.policy', 0, 'compact']] as const, (cw, [k, op, v]) => cw.string(k).int8(op).nullableString(v).taggedFields()).taggedFields());
    w.bool(false).taggedFields();
  });
  t.deepEqual(alterResult(incremental), [[0, null, TOPIC_RESOURCE, 'flex-admin']]);

  const described = await client.callFlexible(DESCRIBE_CONFIGS, 4, (w) => {
    w.array(['flex-admin'], (rw, name) => rw.int8(TOPIC_RESOURCE).string(name).array(['retention.ms', 'cleanup.policy', 'max.message.bytes'], (kw, k) => kw.string(k)).taggedFields());
    w.bool(true).bool(false).taggedFields();
  });
  described.int32();
  const [resource] = described.array((rr) => {
    const head = { error: rr.int16(), message: rr.nullableString(), type: rr.int8(), name: rr.string() };
    const configs = rr.array((cr) => {
      const entry = { name: cr.string(), value: cr.nullableString(), readOnly: cr.bool(), source: cr.int8(), sensitive: cr.bool() };
      const synonyms = cr.array((sr) => ended(sr, [sr.string(), sr.nullableString(), sr.int8()]));
      return ended(cr, { ...entry, synonyms, type: cr.int8(), documentation: cr.nullableString() });
    });
    return ended(rr, { ...head, configs });
  });
  done(t, described);
  t.like(resource, { error: 0, message: null, type: TOPIC_RESOURCE, name: 'flex-admin' });
  t.deepEqual(resource?.configs.map((c) => [c.name, c.value, c.source, c.type, c.documentation, c.synonyms.length]), [
    ['cleanup.policy', 'compact', 1, 7, null, 1],
    ['retention.ms', '1000', 1, 5, null, 1],
    ['max.message.bytes', '1048588', 5, 3, null, 1],
  ]);

  const grown = await client.callFlexible(CREATE_PARTITIONS, 3, (w) => {
    w.array(['flex-admin'], (tw, name) => tw.string(name).int32(3).array([[0], [0]], (aw, brokers) => aw.array(brokers, (bw, b) => bw.int32(b)).taggedFields()).taggedFields());
    w.int32(1000).bool(false).taggedFields();
  });
  grown.int32();
  t.deepEqual(grown.array((rr) => ended(rr, [rr.string(), rr.int16(), rr.nullableString()])), [['flex-admin', 0, null]]);
  done(t, grown);
  t.is(broker.describeTopic('flex-admin').partitions.length, 3);

  broker.createTopic('flex-trim', { partitions: 1 });
  const client2 = await open();
  await client2.callFlexible(PRODUCE, 9, (w) => {
    w.nullableString(null).int16(1).int32(5000).array(['flex-trim'], (tw, name) => tw.string(name).array([0], (pw, p) => pw.int32(p).nullableBytes([batchOf(['x', 'y', 'z'])]).taggedFields()).taggedFields()).taggedFields();
  });
  const trimmed = await client2.callFlexible(DELETE_RECORDS, 2, (w) => {
    w.array(['flex-trim'], (tw, name) => tw.string(name).array([0], (pw, p) => pw.int32(p).int64(2).taggedFields()).taggedFields()).int32(1000).taggedFields();
  });
  trimmed.int32();
  t.deepEqual(trimmed.array((tr) => ended(tr, [tr.string(), tr.array((pr) => ended(pr, [pr.int32(), pr.int64(), pr.int16()]))])), [['flex-trim', [[0, 2, 0]]]]);
  done(t, trimmed);
});

test('a transaction at the newest versions: InitProducerId v5, AddPartitionsToTxn v3, AddOffsetsToTxn v4, TxnOffsetCommit v4, EndTxn v4', async (t) => {
  broker.createTopic('flex-txn', { partitions: 1 });
  const client = await open();
  const init = await client.callFlexible(INIT_PRODUCER_ID, 5, (w) => w.nullableString('flex-txn-id').int32(60_000).int64(-1).int16(-1).taggedFields());
  init.int32();
  t.is(init.int16(), 0);
  const producer = { id: init.int64(), epoch: init.int16() };
  done(t, init);
  const header = (w: ProtocolWriter): ProtocolWriter => w.string('flex-txn-id').int64(producer.id).int16(producer.epoch);

  const added = await client.callFlexible(ADD_PARTITIONS_TO_TXN, 3, (w) => {
    header(w).array(['flex-txn'], (tw, name) => tw.string(name).array([0], (pw, p) => pw.int32(p)).taggedFields()).taggedFields();
  });
  added.int32();
  t.deepEqual(added.array((tr) => ended(tr, [tr.string(), tr.array((pr) => ended(pr, [pr.int32(), pr.int16()]))])), [['flex-txn', [[0, 0]]]]);
  done(t, added);

  const offsets = await client.callFlexible(ADD_OFFSETS_TO_TXN, 4, (w) => header(w).string('flex-txn-group').taggedFields());
  t.deepEqual([offsets.int32(), offsets.int16()], [0, 0]);
  done(t, offsets);

  const committed = await client.callFlexible(TXN_OFFSET_COMMIT, 4, (w) => {
    w.string('flex-txn-id').string('flex-txn-group').int64(producer.id).int16(producer.epoch).int32(-1).string('').nullableString(null);
    w.array(['flex-txn'], (tw, name) => tw.string(name).array([0], (pw, p) => pw.int32(p).int64(9).int32(-1).nullableString(null).taggedFields()).taggedFields()).taggedFields();
  });
  committed.int32();
  t.deepEqual(committed.array((tr) => ended(tr, [tr.string(), tr.array((pr) => ended(pr, [pr.int32(), pr.int16()]))])), [['flex-txn', [[0, 0]]]]);
  done(t, committed);
  t.is(broker.committedOffset('flex-txn-group', 'flex-txn', 0), null, 'pending until the transaction commits');

  const endTxn = await client.callFlexible(END_TXN, 4, (w) => header(w).bool(true).taggedFields());
  t.deepEqual([endTxn.int32(), endTxn.int16()], [0, 0]);
  done(t, endTxn);
  t.is(broker.committedOffset('flex-txn-group', 'flex-txn', 0), 9);
});
