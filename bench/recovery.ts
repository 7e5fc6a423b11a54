/**
 * Recovery time: a server holding 1,000,000 keys of table state across 10
 * persistent queries (each `CREATE TABLE Tj AS SELECT ... FROM Sj` over a
 * source table of 100,000 keys) is stopped; 1% of the keys are updated while
 * it is down; the figure is the time from the restart's first step (opening
 * the data directory, replaying the command log) until every query is
 * RUNNING and has committed its input to the log's end. Beside it, the
 * limit: reading the same state once (every row of the 10 tables'
 * materializations, checked and decoded). The run checks its answer: every
 * table holds its keys, and pull queries on a sample of keys, updated while
 * the server was down or not, see their latest values.
 * BENCH_RECOVERY_KEYS scales the key count (the line printed before the
 * figure says what ran).
 */
import { Agent } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Broker, ProducerRecord } from '../src/broker/broker.js';
import { openEmbeddedBroker } from '../src/broker/index.js';
import type { KsqlEngine } from '../src/engine/engine.js';
import { inputTopicsOf } from '../src/engine/runtime-statistics.js';
import { openMaterializedTable } from '../src/runtime/materialized-table.js';
import { KsqlServer } from '../src/server/ksql-server.js';
import { post } from './pull-client.js';

const KEYS = Number(process.env['BENCH_RECOVERY_KEYS'] ?? 1_000_000);
const QUERIES = 10;
const APPEND_BATCH = 10_000;
/** Keys updated while the server is down: the restarted queries have these to catch up on. */
const UPDATED_EVERY = 100;
const SAMPLE = 200;
const TIMEOUT_MS = 600_000;

const now = (): number => Number(process.hrtime.bigint()) / 1e6;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const int32 = (n: number): Buffer => {
  const key = Buffer.alloc(4);
  key.writeInt32BE(n);
  return key;
};

/** Query j's keys are the IDs with ID % QUERIES = j; a key's value is `version * KEYS + ID`. */
const valueOf = (id: number, version: number): number => version * KEYS + id;
const isUpdated = (id: number): boolean => Math.floor(id / QUERIES) % UPDATED_EVERY === 0;

function append(broker: Pick<Broker, 'append'>, version: number, keep: (id: number) => boolean): void {
  for (let j = 0; j < QUERIES; j++) {
    let records: ProducerRecord[] = [];
    for (let id = j; id < KEYS; id += QUERIES) {
      if (!keep(id)) continue;
      records.push({ key: int32(id), value: Buffer.from(`{"V":${valueOf(id, version)}}`) });
      if (records.length === APPEND_BATCH) {
        broker.append(`s${j}`, records);
        records = [];
      }
    }
    if (records.length > 0) broker.append(`s${j}`, records);
  }
}

/** Whether every persistent query runs and has committed every input partition up to the log's end. */
function caughtUp(engine: KsqlEngine): boolean {
  const queries = engine.listQueries();
  if (queries.length !== QUERIES) return false;
  for (const query of queries) {
    if (query.state !== 'RUNNING') return false;
    const group = engine.queryGroup(query.id);
    for (const topic of inputTopicsOf(query)) {
      const { partitions } = engine.broker.describeTopic(topic);
      for (const { partition } of partitions) {
        if ((engine.broker.committedOffset(group, topic, partition) ?? 0) < engine.broker.latestOffset(topic, partition)) return false;
      }
    }
  }
  return true;
}

async function waitCaughtUp(engine: KsqlEngine): Promise<void> {
  const deadline = now() + TIMEOUT_MS;
  while (!caughtUp(engine)) {
    if (now() > deadline) throw new Error('the queries did not catch up in time');
    await sleep(5);
  }
}

async function ksql(server: KsqlServer, sql: string): Promise<void> {
  await post(new Agent({ keepAlive: false }), server.port, '/ksql', JSON.stringify({ ksql: sql, streamsProperties: { 'auto.offset.reset': 'earliest' } }));
}

/** Reads every row of the tables' materializations once; returns the rows read. */
function readState(server: KsqlServer): number {
  let rows = 0;
  for (let j = 0; j < QUERIES; j++) {
    const source = server.engine.metastore.getSource(`T${j}`);
    if (source?.writerQueryId === undefined) throw new Error(`T${j} has no query writing it`);
    for (const row of openMaterializedTable(server.engine.stores.database, source.writerQueryId, false).scan()) if (row.values.length > 0) rows++;
  }
  return rows;
}

/** Pull queries on a sample of keys: each must see its latest value. */
async function checkSample(server: KsqlServer): Promise<void> {
  const agent = new Agent({ keepAlive: true });
  try {
    for (let i = 0; i < SAMPLE; i++) {
      // Every UPDATED_EVERY-th sample is an updated key.
      const id = i % 2 === 0 ? Math.min(KEYS - 1, (i * 7919) % KEYS) : ((i * 104_729) % Math.floor(KEYS / (QUERIES * UPDATED_EVERY))) * QUERIES * UPDATED_EVERY;
      const body = await post(agent, server.port, '/query-stream', JSON.stringify({ sql: `SELECT ID, V FROM T${id % QUERIES} WHERE ID = ${id};` }));
      const lines = body.trim().split('\n');
      const want = JSON.stringify([id, valueOf(id, isUpdated(id) ? 1 : 0)]);
      if (lines.length !== 2 || lines[1] !== want) throw new Error(`key ${id}: ${JSON.stringify(lines.slice(1))}, expected ${want}`);
    }
  } finally {
    agent.destroy();
  }
}

export async function runRecoveryBenchmark(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ksqlite-bench-recovery-'));
  const start = (): Promise<KsqlServer> => KsqlServer.start({ host: '127.0.0.1', port: 0, dataDir, properties: {} });
  try {
    let server = await start();
    const built = now();
    for (let j = 0; j < QUERIES; j++) {
      await ksql(server, `CREATE TABLE S${j} (ID INT PRIMARY KEY, V BIGINT) WITH (KAFKA_TOPIC='s${j}', PARTITIONS=4, KEY_FORMAT='KAFKA', VALUE_FORMAT='JSON');`);
    }
    append(server.engine.broker, 0, () => true);
    for (let j = 0; j < QUERIES; j++) await ksql(server, `CREATE TABLE T${j} AS SELECT ID, V FROM S${j};`);
    await waitCaughtUp(server.engine);
    process.stdout.write(`recovery: ${KEYS} keys in ${QUERIES} queries built in ${((now() - built) / 1000).toFixed(1)} s; ${KEYS / QUERIES / UPDATED_EVERY} keys per query updated while the server is down\n`);
    await server.stop();
    // Appended straight to the log while no server runs, as a producer would.
    const broker = openEmbeddedBroker({ dataDir });
    try {
      append(broker, 1, isUpdated);
    } finally {
      broker.close();
    }
    const restarted = now();
    server = await start();
    await waitCaughtUp(server.engine);
    const seconds = (now() - restarted) / 1000;
    try {
      const read = now();
      const rows = readState(server);
      const limit = (now() - read) / 1000;
      if (rows !== KEYS) throw new Error(`the tables hold ${rows} rows after the restart, expected ${KEYS}`);
      await checkSample(server);
      // A time: lower is better, so the ratio is the limit over the figure.
      process.stdout.write(`RESULT recovery.1m-keys ${seconds.toFixed(2)} s limit=${limit.toFixed(2)} ratio=${(limit / seconds).toFixed(3)}\n`);
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
