import test from 'ava';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { brokerCommandTopic, brokerTopicStore, openEmbeddedBroker, type EmbeddedBroker } from '../../src/broker/index.js';
import { KsqlConfig } from '../../src/engine/config.js';
import { KsqlEngine } from '../../src/engine/engine.js';
import type { QueryGroupHandlers, QueryGroups, QueryTaskAssignment } from '../../src/engine/query-groups.js';
import { createFunctionRegistry } from '../../src/functions/builtin-functions.js';
import { Scheduler } from '../../src/runtime/scheduler.js';
import { openStoreRegistry } from '../../src/state/index.js';
import { withTempDir } from '../helpers/temp-dir.js';
import { RestoringLog } from './restoring-log.js';

/**
 * Two servers of one service id over one embedded log seen as a remote one
 * (RestoringLog), each with its own store file, and a query group the test
 * plays itself: it tells each server which tasks it runs actively and which
 * as a standby, as the group's leader would.
 */
interface Server {
  readonly engine: KsqlEngine;
  readonly scheduler: Scheduler;
  readonly log: RestoringLog;
  readonly state: Database.Database;
  /** Each query group's handlers on this server, by group id, and the tasks it joined with. */
  readonly groups: Map<string, { readonly handlers: QueryGroupHandlers; readonly tasks: readonly string[] }>;
}

const PROPERTIES = { 'auto.offset.reset': 'earliest' };

function openServer(broker: EmbeddedBroker, dir: string, name: string): Server {
  const groups = new Map<string, { readonly handlers: QueryGroupHandlers; readonly tasks: readonly string[] }>();
  const queryGroups: QueryGroups = {
    join: (group, tasks, handlers) => {
      groups.set(group, { handlers, tasks });
      return Promise.resolve({ leave: () => Promise.resolve() });
    },
  };
  const scheduler = new Scheduler();
  const log = new RestoringLog(broker);
  const state = new Database(join(dir, `${name}.db`));
  const engine = new KsqlEngine({
    broker, scheduler, config: new KsqlConfig(PROPERTIES), functions: createFunctionRegistry(), stores: openStoreRegistry(state),
    log: { topics: brokerTopicStore(broker), commandTopic: brokerCommandTopic(broker, '_confluent-ksql-default_command_topic'), taskLog: log, queryGroups },
  });
  return { engine, scheduler, log, state, groups };
}

/** Closes a server's engine and store file; a server closed already stays closed. */
function closeServer(server: Server): void {
  if (!server.state.open) return;
  server.engine.close();
  server.state.close();
}

/** Gives `server` these roles in every query group: all tasks active, all as standbys, or none. */
async function assign(server: Server, role: 'active' | 'standby' | 'none'): Promise<void> {
  for (const { handlers, tasks } of server.groups.values()) {
    const assignment: QueryTaskAssignment = { active: role === 'active' ? tasks : [], standby: role === 'standby' ? tasks : [], hosts: new Map() };
    await handlers.onAssignment(assignment);
  }
}

const SETUP = [
  "CREATE STREAM S (ID STRING KEY, G STRING, V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=2, VALUE_FORMAT='JSON');",
  "CREATE TABLE T (ID STRING PRIMARY KEY, NAME STRING) WITH (KAFKA_TOPIC='t', PARTITIONS=2, VALUE_FORMAT='JSON');",
  'CREATE TABLE COUNTS AS SELECT G, COUNT(*) AS N, SUM(V) AS TOTAL FROM S GROUP BY G;',
  'CREATE TABLE WINDOWED AS SELECT G, COUNT(*) AS N FROM S WINDOW TUMBLING (SIZE 10 SECONDS, GRACE PERIOD 0 SECONDS) GROUP BY G;',
  // T's latest-row store has T's topic as its changelog: a standby follows it only as far as the active task committed.
  'CREATE TABLE NAMES AS SELECT NAME, COUNT(*) AS N FROM T GROUP BY NAME;',
];

const FIRST = [
  "INSERT INTO T (ID, NAME) VALUES ('a', 'alice');",
  "INSERT INTO T (ID, NAME) VALUES ('b', 'bob');",
  "INSERT INTO S (ROWTIME, ID, G, V) VALUES (1000, 'a', 'x', 1);",
  "INSERT INTO S (ROWTIME, ID, G, V) VALUES (2000, 'b', 'y', 2);",
  "INSERT INTO S (ROWTIME, ID, G, V) VALUES (3000, 'b', 'x', 3);",
  "INSERT INTO S (ROWTIME, ID, G, V) VALUES (15000, 'a', 'y', 4);",
];

/** Processed by the active server while the standby is not polled: the tail its promotion restores. */
const TAIL = [
  "INSERT INTO S (ROWTIME, ID, G, V) VALUES (15500, 'b', 'y', 5);",
  "INSERT INTO T (ID, NAME) VALUES ('b', 'carol');",
  "INSERT INTO S (ROWTIME, ID, G, V) VALUES (4000, 'a', 'x', 6);",
];

/** Processed by the standby's server once it is active. */
const AFTER = [
  "INSERT INTO S (ROWTIME, ID, G, V) VALUES (16000, 'c', 'x', 8);",
  "INSERT INTO T (ID, NAME) VALUES ('c', 'carol');",
  "INSERT INTO S (ROWTIME, ID, G, V) VALUES (18000, 'b', 'x', 10);",
  "INSERT INTO T (ID, NAME) VALUES ('a', 'ann');",
];

async function run(server: Server, statements: readonly string[]): Promise<void> {
  for (const statement of statements) {
    await server.engine.executeAsync(statement);
    server.scheduler.runUntilIdle();
  }
}

/** Every record of the queries' topics, per partition, in order. */
function outputs(broker: EmbeddedBroker): string[] {
  const lines: string[] = [];
  for (const topic of ['COUNTS', 'WINDOWED', 'NAMES']) {
    for (let p = 0; p < broker.describeTopic(topic).partitions.length; p++) {
      for (const r of broker.read(topic, p, 0, { maxRecords: 10_000 })) lines.push(`${topic}/${p}: ${r.key?.toString('hex')} = ${r.value === null ? 'null' : r.value.toString()}`);
    }
  }
  return lines;
}

/** The rows of every store in a store file, by query, store and partition (not by the file's own store ids). */
function storeRows(db: Database.Database): string[] {
  const rows: string[] = [];
  for (const table of ['state_kv', 'state_windows', 'state_time_windows']) {
    if (db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) === undefined) continue;
    for (const row of db.prepare(`SELECT s.query AS q, s.name AS n, s.partition AS p, t.* FROM ${table} t JOIN state_stores s ON s.id = t.store`).all() as Record<string, unknown>[]) {
      const { store: _id, ...content } = row;
      rows.push(JSON.stringify(Object.entries(content).map(([k, v]) => [k, Buffer.isBuffer(v) ? v.toString('hex') : v])));
    }
  }
  return rows.sort();
}

/** The outputs of every statement on the embedded log without a break. */
const reference = withTempDir((dir) => {
  const broker = openEmbeddedBroker({ dataDir: dir });
  const scheduler = new Scheduler();
  const engine = new KsqlEngine({ broker, scheduler, config: new KsqlConfig(PROPERTIES), functions: createFunctionRegistry() });
  try {
    for (const statement of [...SETUP, ...FIRST, ...TAIL, ...AFTER]) {
      engine.execute(statement);
      scheduler.runUntilIdle();
    }
    return outputs(broker);
  } finally {
    engine.close();
    broker.close();
  }
});

/**
 * An active server that declared SETUP and processed FIRST, and a second server whose standbys are caught up with
 * it, handed to `body`; both closed afterwards (unless `body` closed one).
 */
function withCaughtUpStandby(body: (broker: EmbeddedBroker, active: Server, standby: Server) => Promise<void>): Promise<void> {
  return withTempDir(async (dir) => {
    const broker = openEmbeddedBroker({ dataDir: join(dir, 'log') });
    const active = openServer(broker, dir, 'active');
    let standby: Server | undefined;
    try {
      await run(active, SETUP);
      standby = openServer(broker, dir, 'standby');
      await standby.engine.ready;
      await assign(active, 'active');
      await assign(standby, 'standby');
      await run(active, FIRST);
      standby.scheduler.runUntilIdle();
      await body(broker, active, standby);
    } finally {
      if (standby !== undefined) closeServer(standby);
      closeServer(active);
      broker.close();
    }
  });
}

test('a standby keeps the task stores caught up from the changelogs without output or commits; promoted, it restores only the tail; the outputs equal an unbroken run', (t) =>
  withCaughtUpStandby(async (broker, active, standby) => {
    t.is(standby.groups.size, 3, 'the second server joined every query group');
    const lags = standby.engine.standbyStoreLags();
    t.true(lags.length > 0);
    t.true(lags.every((lag) => lag.lag === 0), JSON.stringify(lags));
    t.true(lags.some((lag) => lag.position > 0));
    t.true(lags.some((lag) => lag.topic === 't' && lag.position > 0), 'the table source store followed its input topic');
    t.deepEqual(storeRows(standby.state), storeRows(active.state), 'the standby stores hold what the active stores hold');
    t.is(standby.log.commits, 0, 'a standby commits nothing');
    t.true(standby.log.changelogRecordsRead > 0);
    t.deepEqual(standby.engine.listQueries().flatMap((q) => q.tasks), [], 'it runs no active task');

    // The active server processes more; the standby is not polled meanwhile.
    await run(active, TAIL);
    const positions = standby.engine.standbyStoreLags();
    const tail = positions.reduce((sum, lag) => {
      const end = lag.topic === 't'
        ? (broker.committedOffset(active.engine.queryGroup(lag.queryId), 't', lag.partition) ?? 0)
        : broker.latestOffset(lag.topic, lag.partition);
      return sum + end - lag.position;
    }, 0);
    t.true(tail > 0);
    const totalRecords = positions.reduce((sum, lag) => sum + (lag.topic === 't' ? 0 : broker.latestOffset(lag.topic, lag.partition)), 0);
    t.true(tail < totalRecords);

    // The active server dies; its tasks become active on the standby's server.
    closeServer(active);
    await assign(standby, 'active');
    t.deepEqual(standby.engine.standbyStoreLags(), [], 'a standby that became active stopped');
    standby.scheduler.runUntilIdle();
    const restored = standby.engine.listQueries().reduce((sum, q) => sum + q.statistics.restores.records, 0);
    t.is(restored, tail, 'the promoted tasks restored only what their standbys had not read');
    await run(standby, AFTER);
    t.deepEqual(outputs(broker), reference);
  }));

test('a revoked standby stops; its stores and checkpoints stay, and a later standby goes on from them', (t) =>
  withCaughtUpStandby(async (_broker, active, standby) => {
    const read = standby.log.changelogRecordsRead;
    const before = standby.engine.standbyStoreLags();

    await assign(standby, 'none');
    t.deepEqual(standby.engine.standbyStoreLags(), []);
    await run(active, TAIL);
    standby.scheduler.runUntilIdle();
    t.is(standby.log.changelogRecordsRead, read, 'a stopped standby reads nothing');

    await assign(standby, 'standby');
    const again = standby.engine.standbyStoreLags();
    t.deepEqual(again.map((lag) => [lag.queryId, lag.store, lag.partition, lag.position]), before.map((lag) => [lag.queryId, lag.store, lag.partition, lag.position]),
      'it starts at its checkpoints');
    standby.scheduler.runUntilIdle();
    t.true(standby.engine.standbyStoreLags().every((lag) => lag.lag === 0));
    t.deepEqual(storeRows(standby.state), storeRows(active.state));
  }));
