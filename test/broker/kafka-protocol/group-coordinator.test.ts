/**
 * The Kafka listener's group coordinator over raw sockets: joins, syncs,
 * heartbeats, leaves, session and rebalance timeouts (short ones, which the
 * listener's group settings allow here) and commits checked against the
 * generation.
 */
import test from 'ava';
import { openEmbeddedBroker, type EmbeddedBroker } from '../../../src/broker/index.js';
import { KafkaListener } from '../../../src/broker/kafka-protocol/kafka-listener.js';
import type { ProtocolWriter } from '../../../src/broker/kafka-protocol/protocol-writer.js';
import { WireClient } from '../../helpers/kafka-wire.js';
import { makeTempDir, removeDir } from '../../helpers/temp-dir.js';
import { eventually } from '../../server/stream-helpers.js';

const OFFSET_COMMIT = 8;
const JOIN_GROUP = 11;
const HEARTBEAT = 12;
const LEAVE_GROUP = 13;
const SYNC_GROUP = 14;
const DESCRIBE_GROUPS = 15;
const LIST_GROUPS = 16;

const NONE = 0;
const ILLEGAL_GENERATION = 22;
const INCONSISTENT_GROUP_PROTOCOL = 23;
const UNKNOWN_MEMBER_ID = 25;
const INVALID_SESSION_TIMEOUT = 26;
const REBALANCE_IN_PROGRESS = 27;

let dir: string;
let broker: EmbeddedBroker;
let listener: KafkaListener;
const clients: WireClient[] = [];

test.before(async () => {
  dir = makeTempDir('ksqlite-groups-');
  broker = openEmbeddedBroker({ dataDir: dir });
  listener = await KafkaListener.start({ broker, host: '127.0.0.1', port: 0, clusterId: broker.dataDirId, groups: { minSessionTimeoutMs: 50, maxSessionTimeoutMs: 120_000 } });
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

interface Joined {
  error: number;
  generation: number;
  protocol: string;
  leader: string;
  memberId: string;
  members: [string, string][];
}

interface JoinOptions {
  memberId?: string;
  protocols?: [string, string][];
  protocolType?: string;
  sessionMs?: number;
  rebalanceMs?: number;
}

/** Sends a JoinGroup v5; the answer may wait for the rebalance, so it is read with `joined`. */
function sendJoin(client: WireClient, group: string, options: JoinOptions = {}): number {
  const protocols = options.protocols ?? [['range', 'sub-range'], ['roundrobin', 'sub-rr']];
  return client.send(JOIN_GROUP, 5, (w) => {
    w.string(group).int32(options.sessionMs ?? 10_000).int32(options.rebalanceMs ?? 10_000).string(options.memberId ?? '').nullableString(null);
    w.string(options.protocolType ?? 'consumer').array(protocols, (pw, [name, metadata]) => pw.string(name).nullableBytes([Buffer.from(metadata)]));
  });
}

async function joined(client: WireClient): Promise<Joined> {
  const response = await client.receive();
  if (response === null) throw new Error('the connection closed instead of answering the join');
  const r = response.body;
  r.int32();
  return {
    error: r.int16(),
    generation: r.int32(),
    protocol: r.string(),
    leader: r.string(),
    memberId: r.string(),
    members: r.array((mr) => {
      const id = mr.string();
      mr.nullableString();
      return [id, String(mr.nullableBytes())] as [string, string];
    }),
  };
}

async function join(client: WireClient, group: string, options: JoinOptions = {}): Promise<Joined> {
  sendJoin(client, group, options);
  return joined(client);
}

function sendSync(client: WireClient, group: string, generation: number, memberId: string, assignments: [string, string][] = []): number {
  return client.send(SYNC_GROUP, 3, (w) => {
    w.string(group).int32(generation).string(memberId).nullableString(null);
    w.array(assignments, (aw, [member, bytes]) => aw.string(member).nullableBytes([Buffer.from(bytes)]));
  });
}

async function synced(client: WireClient): Promise<[number, string]> {
  const response = await client.receive();
  if (response === null) throw new Error('the connection closed instead of answering the sync');
  response.body.int32();
  return [response.body.int16(), String(response.body.nullableBytes())];
}

async function heartbeat(client: WireClient, group: string, generation: number, memberId: string): Promise<number> {
  const r = await client.call(HEARTBEAT, 3, (w) => w.string(group).int32(generation).string(memberId).nullableString(null));
  r.int32();
  return r.int16();
}

async function leave(client: WireClient, group: string, memberId: string): Promise<number> {
  const r = await client.call(LEAVE_GROUP, 1, (w) => w.string(group).string(memberId));
  r.int32();
  return r.int16();
}

async function commit(client: WireClient, group: string, generation: number, memberId: string, topic: string, offset: number): Promise<number> {
  const r = await client.call(OFFSET_COMMIT, 7, (w) => {
    w.string(group).int32(generation).string(memberId).nullableString(null);
    w.array([topic], (tw) => tw.string(topic).array([0], (pw) => pw.int32(0).int64(offset).int32(-1).nullableString('')));
  });
  r.int32();
  const [[error]] = r.array((tr) => {
    tr.string();
    return tr.array((pr) => [pr.int32(), pr.int16()][1]!);
  });
  return error!;
}

async function describe(client: WireClient, group: string): Promise<{ state: string; protocolType: string; protocol: string; members: { id: string; clientId: string; host: string; assignment: string }[] }> {
  const r = await client.call(DESCRIBE_GROUPS, 4, (w) => w.array([group], (gw, g) => gw.string(g)).bool(false));
  r.int32();
  const [described] = r.array((gr) => {
    gr.int16();
    gr.string();
    const result = {
      state: gr.string(),
      protocolType: gr.string(),
      protocol: gr.string(),
      members: gr.array((mr) => {
        const id = mr.string();
        mr.nullableString();
        const clientId = mr.string();
        const host = mr.string();
        mr.nullableBytes();
        return { id, clientId, host, assignment: String(mr.nullableBytes()) };
      }),
    };
    gr.int32();
    return result;
  });
  return described!;
}

/** Waits until a join sent on another connection has reached the coordinator: the member's heartbeat says to rejoin. */
function rebalancing(client: WireClient, group: string, generation: number, memberId: string): Promise<boolean> {
  return eventually(async () => (await heartbeat(client, group, generation, memberId)) === REBALANCE_IN_PROGRESS);
}

test.serial('two members: a join starts a rebalance, the leader gets every subscription, each member gets the assignment the leader gave it', async (t) => {
  const a = await open();
  const b = await open();
  const first = await join(a, 'g-two', { protocols: [['range', 'a-range'], ['roundrobin', 'a-rr']] });
  t.like(first, { error: NONE, generation: 1, protocol: 'range', leader: first.memberId });
  t.regex(first.memberId, /^wire-test-[0-9a-f-]{36}$/, 'the client id and a UUID, as Kafka makes member ids');
  t.deepEqual(first.members, [[first.memberId, 'a-range']]);
  sendSync(a, 'g-two', 1, first.memberId, [[first.memberId, 'all-of-it']]);
  t.deepEqual(await synced(a), [NONE, 'all-of-it']);
  t.is(await heartbeat(a, 'g-two', 1, first.memberId), NONE);
  t.is((await describe(a, 'g-two')).state, 'Stable');

  sendJoin(b, 'g-two', { protocols: [['roundrobin', 'b-rr']] });
  t.true(await rebalancing(a, 'g-two', 1, first.memberId), 'the new member started a rebalance');
  t.is((await describe(a, 'g-two')).state, 'PreparingRebalance');
  sendJoin(a, 'g-two', { memberId: first.memberId, protocols: [['range', 'a-range'], ['roundrobin', 'a-rr']] });
  const [leader, follower] = [await joined(a), await joined(b)];
  t.like(leader, { error: NONE, generation: 2, protocol: 'roundrobin', leader: first.memberId, memberId: first.memberId }, 'roundrobin is the protocol both list');
  t.deepEqual(leader.members, [[first.memberId, 'a-rr'], [follower.memberId, 'b-rr']]);
  t.like(follower, { error: NONE, generation: 2, protocol: 'roundrobin', leader: first.memberId });
  t.deepEqual(follower.members, [], 'only the leader sees the members');

  t.is(await heartbeat(b, 'g-two', 2, follower.memberId), NONE, 'waiting for the leader\'s assignments is not a rebalance');
  t.is(await commit(b, 'g-two', 2, follower.memberId, 'whatever', 0), REBALANCE_IN_PROGRESS, 'no commits while the assignments are handed out');
  t.is(await commit(b, 'g-two', 1, follower.memberId, 'whatever', 0), ILLEGAL_GENERATION, 'a stale generation is told so first');
  sendSync(b, 'g-two', 2, follower.memberId);
  sendSync(a, 'g-two', 2, leader.memberId, [[leader.memberId, 'for-a'], [follower.memberId, 'for-b']]);
  t.deepEqual(await synced(a), [NONE, 'for-a']);
  t.deepEqual(await synced(b), [NONE, 'for-b'], 'the follower\'s sync waited for the leader\'s');
  const described = await describe(a, 'g-two');
  t.like(described, { state: 'Stable', protocolType: 'consumer', protocol: 'roundrobin' });
  t.deepEqual(described.members.map((m) => [m.id, m.clientId, m.host, m.assignment]), [
    [leader.memberId, 'wire-test', '/127.0.0.1', 'for-a'],
    [follower.memberId, 'wire-test', '/127.0.0.1', 'for-b'],
  ]);

  sendSync(b, 'g-two', 2, follower.memberId);
  t.deepEqual(await synced(b), [NONE, 'for-b'], 'a sync in a Stable group gets the member\'s assignment again');
  const followerAgain = await join(b, 'g-two', { memberId: follower.memberId, protocols: [['roundrobin', 'b-rr']] });
  t.like(followerAgain, { error: NONE, generation: 2 }, 'a follower rejoining unchanged gets the current generation, no rebalance');
  t.is(await heartbeat(a, 'g-two', 2, leader.memberId), NONE);
});

test.serial('joins the group cannot take, and members or generations it does not know, get Kafka\'s errors', async (t) => {
  const a = await open();
  const first = await join(a, 'g-errors', { protocols: [['range', '']] });
  sendSync(a, 'g-errors', first.generation, first.memberId, []);
  t.is((await synced(a))[0], NONE);
  t.is((await join(a, 'g-errors', { protocols: [['cooperative-sticky', '']] })).error, INCONSISTENT_GROUP_PROTOCOL, 'no protocol in common');
  t.is((await join(a, 'g-errors', { protocolType: 'connect', protocols: [['range', '']] })).error, INCONSISTENT_GROUP_PROTOCOL, 'another protocol type');
  t.is((await join(a, 'g-errors', { protocols: [] })).error, INCONSISTENT_GROUP_PROTOCOL);
  t.is((await join(a, 'g-new', { protocols: [] })).error, INCONSISTENT_GROUP_PROTOCOL, 'a first member must list a protocol');
  t.is((await join(a, 'g-errors', { sessionMs: 10 })).error, INVALID_SESSION_TIMEOUT, 'below group.min.session.timeout.ms');
  t.is((await join(a, 'g-errors', { sessionMs: 200_000 })).error, INVALID_SESSION_TIMEOUT, 'above group.max.session.timeout.ms');
  const stranger = await join(a, 'g-errors', { memberId: 'made-up' });
  t.like(stranger, { error: UNKNOWN_MEMBER_ID, memberId: 'made-up', generation: -1 });
  t.is((await join(a, 'g-nobody', { memberId: 'made-up' })).error, UNKNOWN_MEMBER_ID);
  t.is(await heartbeat(a, 'g-errors', first.generation, 'made-up'), UNKNOWN_MEMBER_ID);
  t.is(await heartbeat(a, 'g-nobody', 1, 'made-up'), UNKNOWN_MEMBER_ID);
  t.is(await heartbeat(a, 'g-errors', first.generation + 1, first.memberId), ILLEGAL_GENERATION);
  sendSync(a, 'g-errors', first.generation - 1, first.memberId);
  t.is((await synced(a))[0], ILLEGAL_GENERATION);
  t.is(await leave(a, 'g-errors', 'made-up'), UNKNOWN_MEMBER_ID);
  t.is(await heartbeat(a, 'g-errors', first.generation, first.memberId), NONE, 'the refused joins changed nothing');
});

test.serial('commits count only from the current generation\'s members; committed offsets land in the log\'s group offsets', async (t) => {
  broker.createTopic('g-commits-topic', { partitions: 1 });
  const a = await open();
  const member = await join(a, 'g-commits');
  sendSync(a, 'g-commits', member.generation, member.memberId, []);
  await synced(a);
  t.is(await commit(a, 'g-commits', member.generation, member.memberId, 'g-commits-topic', 4), NONE);
  t.is(broker.committedOffset('g-commits', 'g-commits-topic', 0), 4);
  t.is(await commit(a, 'g-commits', member.generation - 1, member.memberId, 'g-commits-topic', 9), ILLEGAL_GENERATION, 'a stale generation');
  t.is(await commit(a, 'g-commits', member.generation, 'made-up', 'g-commits-topic', 9), UNKNOWN_MEMBER_ID);
  t.is(await commit(a, 'g-commits', -1, '', 'g-commits-topic', 9), UNKNOWN_MEMBER_ID, 'outside a generation only while the group has no members');
  t.is(await commit(a, 'g-not-joined', 3, 'made-up', 'g-commits-topic', 9), ILLEGAL_GENERATION, 'a generation of a group the coordinator does not know');
  t.is(broker.committedOffset('g-commits', 'g-commits-topic', 0), 4);

  const b = await open();
  sendJoin(b, 'g-commits');
  t.true(await rebalancing(a, 'g-commits', member.generation, member.memberId));
  t.is(await commit(a, 'g-commits', member.generation, member.memberId, 'g-commits-topic', 6), NONE, 'a member may commit what it consumed before it rejoins');
  t.is(broker.committedOffset('g-commits', 'g-commits-topic', 0), 6);
  t.is(await leave(a, 'g-commits', member.memberId), NONE);
  const alone = await joined(b);
  t.like(alone, { error: NONE, generation: member.generation + 1, leader: alone.memberId }, 'the rebalance completed once the old member left');
  t.is(await leave(b, 'g-commits', alone.memberId), NONE);
  t.is((await describe(b, 'g-commits')).state, 'Empty');
  t.is(await commit(b, 'g-commits', -1, '', 'g-commits-topic', 8), NONE, 'an empty group takes commits outside a generation');
  t.is(broker.committedOffset('g-commits', 'g-commits-topic', 0), 8);
});

test.serial('a member that leaves or stops heartbeating is dropped and the others rebalance without it', async (t) => {
  const a = await open();
  const b = await open();
  const first = await join(a, 'g-leave', { sessionMs: 300 });
  sendSync(a, 'g-leave', first.generation, first.memberId, []);
  await synced(a);
  sendJoin(b, 'g-leave', { sessionMs: 300 });
  t.true(await rebalancing(a, 'g-leave', first.generation, first.memberId));
  sendJoin(a, 'g-leave', { memberId: first.memberId, sessionMs: 300 });
  const [leader, follower] = [await joined(a), await joined(b)];
  sendSync(a, 'g-leave', leader.generation, leader.memberId, []);
  await synced(a);
  sendSync(b, 'g-leave', follower.generation, follower.memberId);
  await synced(b);

  t.is(await leave(b, 'g-leave', follower.memberId), NONE);
  t.is(await heartbeat(a, 'g-leave', leader.generation, leader.memberId), REBALANCE_IN_PROGRESS, 'a leave starts a rebalance');
  const afterLeave = await join(a, 'g-leave', { memberId: leader.memberId, sessionMs: 300 });
  t.like(afterLeave, { error: NONE, generation: leader.generation + 1 });
  t.deepEqual(afterLeave.members.map(([id]) => id), [leader.memberId]);
  sendSync(a, 'g-leave', afterLeave.generation, afterLeave.memberId, []);
  await synced(a);

  // b joins again and then goes silent: its session times out while a keeps heartbeating.
  sendJoin(b, 'g-leave', { sessionMs: 300 });
  t.true(await rebalancing(a, 'g-leave', afterLeave.generation, afterLeave.memberId));
  sendJoin(a, 'g-leave', { memberId: afterLeave.memberId, sessionMs: 300 });
  const [withB, silent] = [await joined(a), await joined(b)];
  t.is(withB.members.length, 2);
  sendSync(a, 'g-leave', withB.generation, withB.memberId, []);
  await synced(a);
  t.true(await eventually(async () => (await heartbeat(a, 'g-leave', withB.generation, withB.memberId)) === REBALANCE_IN_PROGRESS), 'the silent member\'s session expired');
  const withoutB = await join(a, 'g-leave', { memberId: withB.memberId, sessionMs: 300 });
  t.like(withoutB, { error: NONE, generation: withB.generation + 1 });
  t.deepEqual(withoutB.members.map(([id]) => id), [withB.memberId]);
  t.is(await heartbeat(b, 'g-leave', silent.generation, silent.memberId), UNKNOWN_MEMBER_ID, 'the expired member is gone');
  t.is(await leave(a, 'g-leave', withoutB.memberId), NONE);
});

test.serial('a rebalance waits for a member to rejoin only as long as the rebalance timeout, then goes on without it', async (t) => {
  const a = await open();
  const b = await open();
  const c = await open();
  const first = await join(a, 'g-slow', { sessionMs: 60_000, rebalanceMs: 400 });
  sendSync(a, 'g-slow', first.generation, first.memberId, []);
  await synced(a);
  sendJoin(b, 'g-slow', { sessionMs: 60_000, rebalanceMs: 400 });
  t.true(await eventually(async () => (await describe(a, 'g-slow')).state === 'PreparingRebalance'));
  sendJoin(c, 'g-slow', { sessionMs: 60_000, rebalanceMs: 400 });
  const started = Date.now();
  const [forB, forC] = [await joined(b), await joined(c)];
  t.true(Date.now() - started < 3000);
  t.like(forB, { error: NONE, generation: first.generation + 1 });
  t.like(forC, { error: NONE, generation: first.generation + 1 });
  t.is(forB.leader, forB.memberId, 'the old leader did not rejoin: a member that did leads');
  t.deepEqual(forB.members.map(([id]) => id).sort(), [forB.memberId, forC.memberId].sort());
  t.is(await heartbeat(a, 'g-slow', first.generation, first.memberId), UNKNOWN_MEMBER_ID, 'the member that did not rejoin was dropped');
});

test.serial('ListGroups names the coordinator\'s groups and those that only have committed offsets', async (t) => {
  broker.createTopic('g-list-topic', { partitions: 1 });
  broker.commitOffsets('offsets-only', [{ topic: 'g-list-topic', partition: 0, offset: 1 }]);
  const a = await open();
  const member = await join(a, 'g-listed');
  const r = await a.call(LIST_GROUPS, 1, () => {});
  r.int32();
  t.is(r.int16(), NONE);
  const groups = new Map(r.array((gr) => [gr.string(), gr.string()] as const));
  t.is(groups.get('g-listed'), 'consumer');
  t.is(groups.get('offsets-only'), '');
  t.is((await describe(a, 'offsets-only')).state, 'Empty');
  t.is((await describe(a, 'never-heard-of')).state, 'Dead');
  t.is(await leave(a, 'g-listed', member.memberId), NONE);
});

const DELETE_GROUPS = 42;
const INVALID_GROUP_ID = 24;
const NON_EMPTY_GROUP = 68;
const GROUP_ID_NOT_FOUND = 69;

/** DeleteGroups v0/v1, or v2 (flexible: compact strings and arrays, tagged fields); each group's error. */
async function deleteGroups(client: WireClient, version: number, groups: string[]): Promise<[string, number][]> {
  const flexible = version >= 2;
  const compact = (w: ProtocolWriter, value: string): void => {
    const bytes = Buffer.from(value);
    w.unsignedVarint(bytes.length + 1);
    for (const byte of bytes) w.int8((byte << 24) >> 24);
  };
  const r = await client.call(
    DELETE_GROUPS,
    version,
    (w) => {
      if (!flexible) w.array(groups, (gw, group) => gw.string(group));
      else {
        w.unsignedVarint(groups.length + 1);
        for (const group of groups) compact(w, group);
        w.emptyTaggedFields();
      }
    },
    flexible,
  );
  if (flexible) r.skipTaggedFields();
  r.int32();
  if (!flexible) return r.array((gr) => [gr.string(), gr.int16()]);
  const results: [string, number][] = [];
  for (let n = r.unsignedVarint() - 1; n > 0; n--) {
    const group = r.compactNullableString()!;
    results.push([group, r.int16()]);
    r.skipTaggedFields();
  }
  return results;
}

test.serial('DeleteGroups deletes a group without members and its offsets; a group with members or a running query\'s group is NON_EMPTY_GROUP, an unknown one GROUP_ID_NOT_FOUND', async (t) => {
  broker.createTopic('g-delete-topic', { partitions: 1 });
  const busy = await KafkaListener.start({ broker, host: '127.0.0.1', port: 0, clusterId: broker.dataDirId, groups: { busyGroups: { isBusy: (group) => group.startsWith('query-group') } } });
  try {
    const a = await WireClient.open(busy.port);
    clients.push(a);
    for (const group of ['offsets-only-group', 'query-group']) broker.commitOffsets(group, [{ topic: 'g-delete-topic', partition: 0, offset: 3 }]);
    const member = await join(a, 'member-group');
    t.is(member.error, NONE);
    t.deepEqual(await deleteGroups(a, 1, ['offsets-only-group', 'never-heard-of', '', 'member-group', 'query-group', 'query-group-without-commits']), [
      ['offsets-only-group', NONE],
      ['never-heard-of', GROUP_ID_NOT_FOUND],
      ['', INVALID_GROUP_ID],
      ['member-group', NON_EMPTY_GROUP],
      ['query-group', NON_EMPTY_GROUP],
      ['query-group-without-commits', NON_EMPTY_GROUP],
    ]);
    t.deepEqual(broker.committedOffsets('offsets-only-group'), [], 'its offsets went with it');
    t.false(broker.listGroups().includes('offsets-only-group'));
    t.is(broker.committedOffset('query-group', 'g-delete-topic', 0), 3, 'the running query keeps its offsets');

    t.is(await leave(a, 'member-group', member.memberId), NONE);
    t.deepEqual(await deleteGroups(a, 2, ['member-group', 'offsets-only-group']), [['member-group', NONE], ['offsets-only-group', GROUP_ID_NOT_FOUND]], 'flexible v2; an emptied group goes');
    t.deepEqual(await deleteGroups(a, 0, ['member-group']), [['member-group', GROUP_ID_NOT_FOUND]]);
  } finally {
    await busy.close();
  }
});
