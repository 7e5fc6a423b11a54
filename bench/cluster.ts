/**
 * Scale-out on a Kafka cluster: the aggregate benchmark's query (a 10-second
 * TUMBLING COUNT and SUM by key, JSON in and out, over 1,000 keys) run by one
 * ksqlite server, then by two servers of one service id sharing its tasks
 * through the query's group, against the same cluster: ksqlite's own Kafka
 * listener in a process of its own, each server another process. The query
 * starts on an empty topic and its group spreads the tasks over the servers;
 * then the events are produced, and the figure is events/s from the first
 * produce until the query's group has committed every input offset. The
 * machine's core count is printed beside each figure: the processes
 * share those cores. Beside it, the limit of the aggregate benchmark: a bare
 * loop of JSON.parse and JSON.stringify over the same event bytes. Each run
 * checks its output with a read_committed consumer: the last update of every
 * key and window holds the count and sum of what was produced, and no update
 * was written twice (under at_least_once a crash could write one twice; the
 * bench crashes nothing). BENCH_CLUSTER_EVENTS sets the event count,
 * BENCH_CLUSTER_GUARANTEE the servers' ksql.streams.processing.guarantee.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Admin } from 'kafkajs';
import { activePartitions, kafkaClient, ksqlOrThrow, readCommitted, startKafkaModeServer } from '../test/helpers/kafka-mode.js';
import { freePort, startServerProcess, type ServerProcess } from '../test/helpers/server-process.js';
import { amountOf, keyOf, makeEvents, START_TIME, WINDOW_MS } from './aggregate.js';
import { measureJsonLimit } from './json-limit.js';
import { printResult } from './report.js';

const EVENTS = Number(process.env['BENCH_CLUSTER_EVENTS'] ?? 100_000);
const GUARANTEE = process.env['BENCH_CLUSTER_GUARANTEE'] ?? 'exactly_once_v2';
const KEYS = 1_000;
/** Enough partitions for each of two servers to hold several tasks. */
const PARTITIONS = 4;
const PRODUCE_BATCH = 5_000;
const DRAIN_TIMEOUT_MS = 600_000;
const SETTLE_TIMEOUT_MS = 120_000;
/** The sink is complete once the input is committed: reading it back takes seconds. */
const CHECK_TIMEOUT_MS = 120_000;

const now = (): number => Number(process.hrtime.bigint()) / 1e6;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

type Sums = { N: number; TOTAL: number };

const resultName = (servers: number): string => (servers === 1 ? 'cluster.1-server' : `cluster.${servers}-servers`);

/**
 * Event i's timestamp: the aggregate benchmark's, moved to now, as a topic's
 * time retention (seven days by default) would delete records years old.
 */
const TIME_SHIFT = Date.now() - START_TIME;

/** The count and sum of every `<key>@<window start>` over the produced events. */
function expectedWindows(): Map<string, Sums> {
  const windows = new Map<string, Sums>();
  for (let i = 0; i < EVENTS; i++) {
    const id = `${keyOf(i, KEYS)}@${Math.floor((START_TIME + TIME_SHIFT + i) / WINDOW_MS) * WINDOW_MS}`;
    const sums = windows.get(id) ?? { N: 0, TOTAL: 0 };
    windows.set(id, { N: sums.N + 1, TOTAL: sums.TOTAL + amountOf(i) });
  }
  return windows;
}

/** A windowed sink's key: the key's text, then the window start as an 8-byte big-endian long. */
function windowedKey(key: Buffer | null): string {
  if (key === null || key.length < 8) return `unreadable:${String(key)}`;
  return `${key.subarray(0, key.length - 8).toString('utf8')}@${key.readBigInt64BE(key.length - 8)}`;
}

async function produceEvents(bootstrap: string, topic: string): Promise<void> {
  const producer = kafkaClient(bootstrap).producer({ idempotent: true });
  await producer.connect();
  try {
    for (let i = 0; i < EVENTS; i += PRODUCE_BATCH) {
      const events = makeEvents(i, Math.min(EVENTS, i + PRODUCE_BATCH), KEYS);
      await producer.send({ topic, acks: -1, messages: events.map((e) => ({ key: e.key, value: e.value, timestamp: String(e.timestamp! + TIME_SHIFT) })) });
    }
  } finally {
    await producer.disconnect();
  }
}

/** Whether `groupId` has committed every partition of `topic` up to `ends`. */
async function committedAll(admin: Admin, groupId: string, topic: string, ends: ReadonlyMap<number, number>): Promise<boolean> {
  const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return (committed?.partitions ?? []).filter((p) => Number(p.offset) >= (ends.get(p.partition) ?? 0)).length === ends.size;
}

/** Waits until the query's tasks are spread over every server (each holds some, all partitions held). */
async function waitSpread(servers: readonly ServerProcess[], queryId: string, topic: string): Promise<void> {
  const deadline = now() + SETTLE_TIMEOUT_MS;
  for (;;) {
    const held = await Promise.all(servers.map((server) => activePartitions(server, queryId, topic)));
    if (held.every((partitions) => partitions.length > 0) && held.flat().length === PARTITIONS) return;
    if (now() > deadline) throw new Error(`${servers.length} servers: the query's tasks are not spread over every server after ${SETTLE_TIMEOUT_MS} ms: ${JSON.stringify(held)}`);
    await sleep(200);
  }
}

/**
 * Events/s of `servers` servers of a new service id aggregating a new topic:
 * the query starts on the empty topic and its group settles, then the events
 * are produced; timed from the first produce until the group has committed
 * every input offset. Checks the output before answering.
 */
async function measure(admin: Admin, bootstrap: string, dir: string, servers: number, expected: ReadonlyMap<string, Sums>): Promise<number> {
  const name = resultName(servers);
  const serviceId = `bench_cluster_${servers}_${Date.now().toString(36)}_`;
  const [topic, sink] = [`readings-${serviceId}`, `totals-${serviceId}`];
  const running: ServerProcess[] = await Promise.all(
    Array.from({ length: servers }, (_, i) => startKafkaModeServer(bootstrap, dir, `${serviceId}${i}`, { 'ksql.service.id': serviceId, 'ksql.streams.processing.guarantee': GUARANTEE })),
  );
  try {
    const [first] = running as [ServerProcess];
    await ksqlOrThrow(first, `CREATE STREAM READINGS (ID STRING KEY, AMOUNT INT, REGION STRING, NOTE STRING) WITH (KAFKA_TOPIC='${topic}', PARTITIONS=${PARTITIONS}, VALUE_FORMAT='JSON');`);
    await ksqlOrThrow(first, `CREATE TABLE TOTALS WITH (KAFKA_TOPIC='${sink}') AS SELECT ID, COUNT(*) AS N, SUM(AMOUNT) AS TOTAL FROM READINGS WINDOW TUMBLING (SIZE ${WINDOW_MS / 1000} SECONDS) GROUP BY ID;`);
    const [query] = (await ksqlOrThrow(first, 'SHOW QUERIES;'))[0].queries as { id: string }[];
    await waitSpread(running, query!.id, topic);
    const start = now();
    await produceEvents(bootstrap, topic);
    const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]));
    const groupId = `_confluent-ksql-${serviceId}query_${query!.id}`;
    while (!(await committedAll(admin, groupId, topic, ends))) {
      if (now() - start > DRAIN_TIMEOUT_MS) throw new Error(`${name}: the query did not drain ${EVENTS} events within ${DRAIN_TIMEOUT_MS} ms`);
      await sleep(100);
    }
    const seconds = (now() - start) / 1000;
    await waitSpread(running, query!.id, topic);
    await checkOutput(bootstrap, sink, name, expected);
    return EVENTS / seconds;
  } finally {
    await Promise.all(running.map((server) => server.stop('SIGTERM')));
  }
}

/** The sink's last update of every key and window equals `expected`, and each key and window's counts only grow. */
async function checkOutput(bootstrap: string, sink: string, name: string, expected: ReadonlyMap<string, Sums>): Promise<void> {
  const latest = new Map<string, Sums>();
  let read = 0;
  const updates = await readCommitted(bootstrap, sink, (records) => {
    for (; read < records.length; read++) latest.set(records[read]![0], JSON.parse(records[read]![1]!) as Sums);
    return [...expected].every(([key, sums]) => latest.get(key)?.N === sums.N);
  }, { decodeKey: windowedKey, timeoutMs: CHECK_TIMEOUT_MS });
  const last = new Map<string, Sums>();
  for (const [key, value] of updates) {
    const sums = JSON.parse(value!) as Sums;
    const before = last.get(key);
    if (before !== undefined && sums.N <= before.N) throw new Error(`${name}: ${key} was updated to ${sums.N} after ${before.N} (an input counted twice)`);
    last.set(key, sums);
  }
  if (last.size !== expected.size) throw new Error(`${name}: the sink holds ${last.size} windows, expected ${expected.size}`);
  for (const [key, sums] of expected) {
    const got = last.get(key);
    if (got?.N !== sums.N || got.TOTAL !== sums.TOTAL) throw new Error(`${name}: ${key} ends at ${JSON.stringify(got)}, expected ${JSON.stringify(sums)}`);
  }
}

export async function runClusterBenchmark(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ksqlite-bench-cluster-'));
  const port = await freePort();
  const listener = await startServerProcess(join(dir, 'listener'), ['--kafka-port', String(port)]);
  const bootstrap = `127.0.0.1:${port}`;
  const admin = kafkaClient(bootstrap).admin();
  await admin.connect();
  try {
    const expected = expectedWindows();
    const sample = makeEvents(0, Math.min(EVENTS, 200_000), KEYS);
    measureJsonLimit(sample.slice(0, 20_000)); // warm up the bare loop's code paths
    const cores = availableParallelism();
    for (const servers of [1, 2]) {
      const rate = await measure(admin, bootstrap, dir, servers, expected);
      printResult(resultName(servers), rate, 'events/s', measureJsonLimit(sample), { cores });
    }
    process.stdout.write(`  cluster: ${EVENTS} events over ${KEYS} keys in ${PARTITIONS} partitions per run, processing.guarantee ${GUARANTEE}, each run on a new service id against one Kafka listener process\n`);
  } finally {
    await admin.disconnect();
    await listener.stop('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}
