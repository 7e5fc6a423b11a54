import test from 'ava';
import Database from 'better-sqlite3';
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { CommitPositions, FetchResult, ReadLimits, TransactionRequest } from '../../src/broker/broker.js';
import { brokerTaskLog, openEmbeddedBroker, type EmbeddedBroker, type TaskLog } from '../../src/broker/index.js';
import { KsqlConfig } from '../../src/engine/config.js';
import { KsqlEngine } from '../../src/engine/engine.js';
import { createFunctionRegistry } from '../../src/functions/builtin-functions.js';
import { Scheduler } from '../../src/runtime/scheduler.js';
import { openStoreRegistry } from '../../src/state/index.js';
import { keyValueChecksum } from '../../src/state/row-checksum.js';
import { withTempDir } from '../helpers/temp-dir.js';

/**
 * The embedded log seen as a remote one: it reports `restoresState`, and as
 * Kafka's task log it runs the commit's state participants only after its
 * own commit, with the positions that commit reached. The stores live in a
 * file of their own, which a test can delete or roll back. It counts the
 * records read from changelog topics (only a restore reads them).
 */
class RestoringLog implements TaskLog {
  readonly restoresState = true;
  changelogRecordsRead = 0;
  /**
   * Fails the next commit that writes a changelog after the log committed it, before the local stores are
   * written: a crash in between.
   */
  crashAfterLogCommit = false;
  /** Changelog reads answer on a later turn of the event loop, as a remote log's do. */
  deferChangelogReads = false;
  private readonly inner: TaskLog;

  constructor(broker: EmbeddedBroker) {
    this.inner = brokerTaskLog(broker);
  }

  committedOffset(group: string, topic: string, partition: number): number | null {
    return this.inner.committedOffset(group, topic, partition) as number | null;
  }

  latestOffset(topic: string, partition: number): number {
    return this.inner.latestOffset(topic, partition);
  }

  fetch(topic: string, partition: number, fromOffset: number, limits?: ReadLimits): FetchResult | Promise<FetchResult> {
    const read = (): FetchResult => {
      const result = this.inner.fetch(topic, partition, fromOffset, limits) as FetchResult;
      if (topic.endsWith('-changelog')) this.changelogRecordsRead += result.records.length;
      return result;
    };
    if (!this.deferChangelogReads || !topic.endsWith('-changelog')) return read();
    return new Promise((resolve, reject) => setImmediate(() => {
      try {
        resolve(read());
      } catch (error) {
        reject(error);
      }
    }));
  }

  createAppendBuffer(topic: string) {
    return this.inner.createAppendBuffer(topic);
  }

  commit(request: TransactionRequest): void {
    let positions: CommitPositions | undefined;
    this.inner.commit({ ...request, participants: [{ commit: (p) => (positions = p) }] });
    if (this.crashAfterLogCommit && request.appends?.some((buffer) => buffer.topic.endsWith('-changelog'))) {
      this.crashAfterLogCommit = false;
      throw new Error('crashed after the log commit');
    }
    for (const participant of request.participants ?? []) participant.commit(positions!);
  }

  deleteRecords(topic: string, partition: number, beforeOffset: number): void {
    this.inner.deleteRecords(topic, partition, beforeOffset);
  }

  deleteGroup(group: string): void {
    this.inner.deleteGroup(group);
  }
}

interface Node {
  readonly broker: EmbeddedBroker;
  readonly engine: KsqlEngine;
  readonly scheduler: Scheduler;
  readonly log: RestoringLog | undefined;
  readonly state: Database.Database | undefined;
}

const PROPERTIES = { 'auto.offset.reset': 'earliest' };

/**
 * An engine over the log in `dir`; with `restoring`, over a RestoringLog with the stores in `dir/state.db`, its
 * changelog reads answering later when `deferChangelogReads`.
 */
function open(dir: string, restoring: boolean, deferChangelogReads = false): Node {
  const broker = openEmbeddedBroker({ dataDir: dir });
  const scheduler = new Scheduler();
  const log = restoring ? new RestoringLog(broker) : undefined;
  if (log !== undefined) log.deferChangelogReads = deferChangelogReads;
  const state = restoring ? new Database(join(dir, 'state.db')) : undefined;
  const engine = new KsqlEngine({
    broker, scheduler, config: new KsqlConfig(PROPERTIES), functions: createFunctionRegistry(),
    ...(log === undefined ? {} : { taskLog: log }),
    ...(state === undefined ? {} : { stores: openStoreRegistry(state) }),
  });
  return { broker, engine, scheduler, log, state };
}

function close(node: Node): void {
  node.engine.close();
  node.state?.close();
  node.broker.close();
}

const SETUP = [
  "CREATE STREAM S (ID STRING KEY, G STRING, V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=2, VALUE_FORMAT='JSON');",
  "CREATE TABLE T (ID STRING PRIMARY KEY, NAME STRING) WITH (KAFKA_TOPIC='t', PARTITIONS=2, VALUE_FORMAT='JSON');",
  'CREATE TABLE COUNTS AS SELECT G, COUNT(*) AS N, SUM(V) AS TOTAL FROM S GROUP BY G;',
  'CREATE TABLE WINDOWED AS SELECT G, COUNT(*) AS N FROM S WINDOW TUMBLING (SIZE 10 SECONDS, GRACE PERIOD 0 SECONDS) GROUP BY G;',
  'CREATE STREAM JOINED AS SELECT S.ID AS ID, S.V AS V, T.NAME AS NAME FROM S JOIN T ON S.ID = T.ID;',
  // A change of T takes the row it replaces (from T's latest-row store, restored from topic t) out of its old group.
  'CREATE TABLE NAMES AS SELECT NAME, COUNT(*) AS N FROM T GROUP BY NAME;',
];

/** Inserts before the disturbance. */
const FIRST = [
  "INSERT INTO T (ID, NAME) VALUES ('a', 'alice');",
  "INSERT INTO T (ID, NAME) VALUES ('b', 'bob');",
  "INSERT INTO S (ROWTIME, ID, G, V) VALUES (1000, 'a', 'x', 1);",
  "INSERT INTO S (ROWTIME, ID, G, V) VALUES (2000, 'b', 'y', 2);",
  "INSERT INTO S (ROWTIME, ID, G, V) VALUES (3000, 'b', 'x', 3);",
  "INSERT INTO S (ROWTIME, ID, G, V) VALUES (15000, 'a', 'y', 4);",
  "INSERT INTO S (ROWTIME, ID, G, V) VALUES (15500, 'b', 'y', 5);",
];

/** Inserts after it: each result depends on the state before (counts, closed windows, table rows). */
const SECOND = [
  "INSERT INTO S (ROWTIME, ID, G, V) VALUES (4000, 'a', 'x', 6);",
  "INSERT INTO S (ROWTIME, ID, G, V) VALUES (4000, 'b', 'y', 7);",
  "INSERT INTO T (ID, NAME) VALUES ('c', 'carol');",
  "INSERT INTO T (ID, NAME) VALUES ('b', 'carol');",
  "INSERT INTO S (ROWTIME, ID, G, V) VALUES (16000, 'c', 'x', 8);",
  "INSERT INTO S (ROWTIME, ID, G, V) VALUES (17000, 'a', 'y', 9);",
  "INSERT INTO S (ROWTIME, ID, G, V) VALUES (18000, 'b', 'x', 10);",
  "INSERT INTO S (ROWTIME, ID, G, V) VALUES (18500, 'c', 'z', 13);",
];

function run(node: Node, statements: readonly string[]): void {
  for (const statement of statements) {
    node.engine.execute(statement);
    node.scheduler.runUntilIdle();
  }
}

/** Every record of the queries' topics, per partition, in order. */
function outputs(broker: EmbeddedBroker): string[] {
  const lines: string[] = [];
  for (const topic of ['COUNTS', 'WINDOWED', 'JOINED', 'NAMES']) {
    for (let p = 0; p < broker.describeTopic(topic).partitions.length; p++) {
      for (const r of broker.read(topic, p, 0, { maxRecords: 10_000 })) {
        lines.push(`${topic}/${p}: ${r.key?.toString('hex')} = ${r.value === null ? 'null' : r.value.toString()}`);
      }
    }
  }
  return lines;
}

/** The outputs of the statements on the embedded log, its state in its own transaction, without a break. */
const reference = withTempDir((dir) => {
  const node = open(dir, false);
  try {
    run(node, [...SETUP, ...FIRST, ...SECOND]);
    return outputs(node.broker);
  } finally {
    close(node);
  }
});

/**
 * Runs the setup and the first inserts over a RestoringLog, closes the
 * engine, lets `disturb` change the local state file, then opens the engine
 * again and runs the second inserts; returns the outputs and the changelog
 * records the second engine read.
 */
function runDisturbed(dir: string, disturb: (stateFile: string) => void, beforeClose?: (node: Node) => void): { outputs: string[]; changelogRead: number } {
  const first = open(dir, true);
  try {
    run(first, [...SETUP, ...FIRST]);
    beforeClose?.(first);
  } finally {
    close(first);
  }
  disturb(join(dir, 'state.db'));
  const second = open(dir, true);
  try {
    second.scheduler.runUntilIdle();
    const changelogRead = second.log!.changelogRecordsRead;
    run(second, SECOND);
    return { outputs: outputs(second.broker), changelogRead };
  } finally {
    close(second);
  }
}

/** How many records the changelog topics of the log in `dir` hold. */
function changelogRecords(dir: string): number {
  const broker = openEmbeddedBroker({ dataDir: dir });
  try {
    let count = 0;
    for (const topic of broker.listTopics().filter((t) => t.endsWith('-changelog'))) {
      for (const p of broker.describeTopic(topic).partitions) count += p.logEndOffset - p.logStartOffset;
    }
    return count;
  } finally {
    broker.close();
  }
}

test('the reference run gives what the queries compute', (t) => {
  t.true(reference.some((line) => line.startsWith('WINDOWED/')));
  t.true(reference.some((line) => line.includes('"NAME":"carol"')));
});

test('with the local store file deleted, every store is restored from its changelog and the outputs stay the same', (t) =>
  withTempDir((dir) => {
    const result = runDisturbed(dir, (file) => rmSync(file));
    t.deepEqual(result.outputs, reference);
    t.true(result.changelogRead > 0);
  }));

test('a local copy behind the changelogs reads only the tail from its checkpoints, and the outputs stay the same', (t) =>
  withTempDir((dir) => {
    const snapshot = join(dir, 'state-snapshot.db');
    let behind = 0;
    let total = 0;
    const result = runDisturbed(
      dir,
      (file) => {
        total = changelogRecords(dir);
        // Roll the local copy back to the snapshot taken a few inserts earlier.
        copyFileSync(snapshot, file);
        const db = new Database(file, { readonly: true });
        const broker = openEmbeddedBroker({ dataDir: dir });
        try {
          const checkpoints = db.prepare('SELECT topic, partition, next_offset FROM state_checkpoints').all() as { topic: string; partition: number; next_offset: number }[];
          t.true(checkpoints.length > 0);
          for (const topic of broker.listTopics().filter((name) => name.endsWith('-changelog'))) {
            for (const p of broker.describeTopic(topic).partitions) {
              const at = checkpoints.find((c) => c.topic === topic && c.partition === p.partition)?.next_offset ?? 0;
              behind += p.logEndOffset - at;
            }
          }
        } finally {
          broker.close();
          db.close();
        }
      },
      (node) => {
        // The snapshot: the local copy as it stood before the last two inserts.
        node.engine.execute("INSERT INTO S (ROWTIME, ID, G, V) VALUES (15600, 'a', 'z', 11);");
        node.scheduler.runUntilIdle();
        node.state!.exec(`VACUUM INTO '${snapshot}'`);
        run(node, ["INSERT INTO S (ROWTIME, ID, G, V) VALUES (15700, 'b', 'z', 12);", "INSERT INTO T (ID, NAME) VALUES ('a', 'ann');"]);
      },
    );
    t.true(behind > 0);
    t.true(behind < total);
    t.is(result.changelogRead, behind);
    const expected = withTempDir((refDir) => {
      const node = open(refDir, false);
      try {
        run(node, [...SETUP, ...FIRST, "INSERT INTO S (ROWTIME, ID, G, V) VALUES (15600, 'a', 'z', 11);",
          "INSERT INTO S (ROWTIME, ID, G, V) VALUES (15700, 'b', 'z', 12);", "INSERT INTO T (ID, NAME) VALUES ('a', 'ann');", ...SECOND]);
        return outputs(node.broker);
      } finally {
        close(node);
      }
    });
    t.deepEqual(result.outputs, expected);
  }));

test('a local copy at the changelogs end reads no changelog record on start', (t) =>
  withTempDir((dir) => {
    const result = runDisturbed(dir, () => {});
    t.is(result.changelogRead, 0);
    t.deepEqual(result.outputs, reference);
  }));

test('a crash between the log commit and the local checkpoint loses nothing', (t) =>
  withTempDir((dir) => {
    const result = runDisturbed(dir, () => {}, (node) => {
      node.log!.crashAfterLogCommit = true;
      // Its commit reaches the log (input offsets, outputs, changelogs), not the local stores.
      node.engine.execute("INSERT INTO S (ROWTIME, ID, G, V) VALUES (15600, 'a', 'x', 11);");
      node.scheduler.runUntilIdle();
    });
    t.true(result.changelogRead > 0);
    const expected = withTempDir((refDir) => {
      const node = open(refDir, false);
      try {
        run(node, [...SETUP, ...FIRST, "INSERT INTO S (ROWTIME, ID, G, V) VALUES (15600, 'a', 'x', 11);", ...SECOND]);
        return outputs(node.broker);
      } finally {
        close(node);
      }
    });
    t.deepEqual(result.outputs, expected);
  }));

test('a checkpoint past the changelog end (the topic made again) wipes the local copy and restores it from the start', (t) =>
  withTempDir((dir) => {
    let total = 0;
    const result = runDisturbed(dir, (file) => {
      total = changelogRecords(dir);
      const db = new Database(file);
      try {
        db.prepare('UPDATE state_checkpoints SET next_offset = next_offset + 1000').run();
        // A row no changelog holds, checksum and all (group z, which comes next in the same partition, with group y's aggregate): only a wipe removes it.
        const y = db.prepare(
          "SELECT k.store AS store, k.key AS key, k.value AS value FROM state_kv k JOIN state_stores s ON s.id = k.store WHERE s.query LIKE 'CTAS_COUNTS%' AND s.name = 'Aggregate-Materialize' ORDER BY k.key DESC",
        ).get() as { store: number; key: Buffer; value: Buffer };
        const z = Buffer.from(y.key);
        z[z.length - 1] = 'z'.charCodeAt(0);
        db.prepare('INSERT INTO state_kv (store, key, value, crc) VALUES (?, ?, ?, ?)').run(y.store, z, y.value, keyValueChecksum(z, y.value));
      } finally {
        db.close();
      }
    });
    t.is(result.changelogRead, total);
    t.deepEqual(result.outputs, reference);
  }));

test('over a log whose changelog reads answer later, a task restores before its first record and the outputs stay the same', async (t) =>
  withTempDir(async (dir) => {
    const first = open(dir, true);
    try {
      run(first, [...SETUP, ...FIRST]);
    } finally {
      close(first);
    }
    rmSync(join(dir, 'state.db'));
    const second = open(dir, true, true);
    try {
      // The tasks restore asynchronously; a record inserted meanwhile waits for the restore.
      second.engine.execute(SECOND[0]!);
      t.is(second.log!.changelogRecordsRead, 0);
      await second.scheduler.drain();
      t.true(second.log!.changelogRecordsRead > 0);
      second.log!.deferChangelogReads = false;
      run(second, SECOND.slice(1));
      t.deepEqual(outputs(second.broker), reference);
    } finally {
      close(second);
    }
  }));
