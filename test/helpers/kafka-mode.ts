/**
 * Test helper: ksqlite servers running on a Kafka cluster (`--kafka-bootstrap`)
 * as child processes, driven through their REST API, with kafkajs
 * read_committed consumers to read what they committed on the cluster.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestFn } from 'ava';
import { Kafka, logLevel } from 'kafkajs';
import { startServerProcess, type ServerProcess } from './server-process.js';
import { makeTempDir, removeDir } from './temp-dir.js';
import { startKafkaTarget, uniqueName, type KafkaTarget } from '../broker/kafka/kafka-target.js';

/** A server in Kafka mode on `bootstrap`, on a fresh data directory `<dir>/<name>`, with `properties` in its config file. */
export function startKafkaModeServer(bootstrap: string, dir: string, name: string, properties: Readonly<Record<string, string>>): Promise<ServerProcess> {
  const config = join(dir, `${name}.properties`);
  writeFileSync(config, Object.entries(properties).map(([key, value]) => `${key}=${value}\n`).join(''));
  return startServerProcess(join(dir, name), ['--kafka-bootstrap', bootstrap, '--config', config]);
}

/** A test file's Kafka cluster, and its servers. */
export interface KafkaModeCluster {
  readonly bootstrap: string;
  /** A server in Kafka mode on `bootstrap` (this cluster's unless given), on a fresh data directory `name`, with `properties` in its config file. */
  startServer(name: string, properties: Readonly<Record<string, string>>, bootstrap?: string): Promise<ServerProcess>;
}

/**
 * The cluster of a test file's servers: ksqlite's own Kafka listener in a
 * separate process (or the Kafka of KSQLITE_TEST_KAFKA), started in the
 * file's `before` hook and stopped, with the servers' folder, after its tests.
 */
export function useKafkaModeCluster(test: TestFn, dirPrefix: string): KafkaModeCluster {
  let target: KafkaTarget | undefined;
  let dir: string | undefined;
  test.before(async () => {
    target = await startKafkaTarget();
    dir = makeTempDir(dirPrefix);
  });
  test.after.always(async () => {
    await target?.stop();
    if (dir !== undefined) removeDir(dir);
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the Kafka cluster of a test file starts in its before hook');
    return value;
  };
  return {
    get bootstrap() {
      return started(target).bootstrap;
    },
    startServer(name, properties, bootstrap) {
      return startKafkaModeServer(bootstrap ?? this.bootstrap, started(dir), name, properties);
    },
  };
}

/** Settings that make servers heartbeat each other and report their stores' lags, for /clusterStatus and pull routing. */
export const LAG_REPORTING: Readonly<Record<string, string>> = {
  'ksql.heartbeat.enable': 'true',
  'ksql.lag.reporting.enable': 'true',
  'ksql.lag.reporting.send.interval.ms': '300',
};

/** A service id nothing else on the cluster uses, in the shape ksqlDB's are written (`name_`). */
export function uniqueServiceId(prefix: string): string {
  return `${uniqueName(prefix).replace(/-/g, '_')}_`;
}

export interface KsqlAnswer {
  readonly status: number;
  readonly body: any;
}

export async function ksql(server: ServerProcess, statement: string): Promise<KsqlAnswer> {
  const res = await fetch(`${server.url}/ksql`, {
    method: 'POST',
    headers: { 'content-type': 'application/vnd.ksql.v1+json' },
    body: JSON.stringify({ ksql: statement, streamsProperties: { 'auto.offset.reset': 'earliest' } }),
  });
  return { status: res.status, body: await res.json() };
}

export async function ksqlOrThrow(server: ServerProcess, statement: string): Promise<any> {
  const answer = await ksql(server, statement);
  if (answer.status !== 200) throw new Error(`${statement} failed: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** What a query on /query answered: its rows, or its error (the HTTP status and body, or the error line of the stream). */
export type QueryAnswer = { readonly rows: unknown[][] } | { readonly error: string };

/** The rows of a query on /query (with `properties` as its streamsProperties), or its error. */
export async function query(server: ServerProcess, sql: string, properties: Readonly<Record<string, unknown>> = {}): Promise<QueryAnswer> {
  const res = await fetch(`${server.url}/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/vnd.ksql.v1+json' },
    body: JSON.stringify({ ksql: sql, streamsProperties: properties }),
  });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { error: `${res.status} ${text}` };
  }
  if (res.status !== 200 || !Array.isArray(body)) return { error: `${res.status} ${text}` };
  const lines = body as { row?: { columns: unknown[] }; errorMessage?: { message: string } }[];
  const failed = lines.find((l) => l.errorMessage !== undefined);
  if (failed !== undefined) return { error: failed.errorMessage!.message ?? JSON.stringify(failed.errorMessage) };
  return { rows: lines.filter((l) => l.row !== undefined).map((l) => l.row!.columns) };
}

/** The rows of a pull query, or undefined when the server refused it (a table still restoring, say). */
export async function pull(server: ServerProcess, sql: string): Promise<unknown[][] | undefined> {
  const answer = await query(server, sql);
  return 'error' in answer ? undefined : answer.rows;
}

/** A kafkajs client of the cluster at `bootstrap`, named `clientId`, quiet, retrying `retries` times when given. */
export function kafkaClient(bootstrap: string, options: { readonly clientId?: string; readonly retries?: number } = {}): Kafka {
  return new Kafka({
    brokers: [bootstrap], clientId: options.clientId ?? 'kafka-mode-test', logLevel: logLevel.NOTHING,
    ...(options.retries === undefined ? {} : { retry: { retries: options.retries } }),
  });
}

/** A committed record as a test reads it: the key as `decodeKey` makes it (its UTF-8 text by default), the value as text. */
export type CommittedRecord<K = string> = [K, string | null];

/**
 * Every committed record of `topic` as [key, value], read from its start by a
 * read_committed consumer until `done` holds (or `timeoutMs` passed), then a
 * second longer so a duplicate behind the last expected record shows too.
 */
export async function readCommitted<K = string>(
  bootstrap: string,
  topic: string,
  done: (records: readonly CommittedRecord<K>[]) => boolean,
  options: { readonly timeoutMs?: number; readonly decodeKey?: (key: Buffer | null) => K } = {},
): Promise<CommittedRecord<K>[]> {
  const decodeKey = options.decodeKey ?? ((key: Buffer | null) => String(key) as K);
  const consumer = kafkaClient(bootstrap).consumer({ groupId: uniqueName('kafka-mode-reader'), readUncommitted: false, maxWaitTimeInMs: 100 });
  const records: CommittedRecord<K>[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void records.push([decodeKey(message.key), message.value === null ? null : String(message.value)]) });
    const deadline = Date.now() + (options.timeoutMs ?? 60_000);
    while (!done(records) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 1000));
    return [...records];
  } finally {
    await consumer.disconnect();
  }
}

/** Waits until `check` answers a value, polling; the last answer when it never does. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined || Date.now() >= deadline) return value;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Polls until `check` answers undefined (nothing wrong); the last complaint when it never does. */
export async function settles(check: () => Promise<string | undefined>, timeoutMs = 60_000): Promise<string | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const wrong = await check();
    if (wrong === undefined || Date.now() >= deadline) return wrong;
    await new Promise((r) => setTimeout(r, 300));
  }
}

interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** One server's entry of /clusterStatus, as far as the tests read it. */
export interface HostStatus {
  readonly hostAlive: boolean;
  readonly activeStandbyPerQuery: Record<string, { activeStores: string[]; activePartitions: TopicPartition[]; standByPartitions: TopicPartition[] }>;
  readonly hostStoreLags: { stateStoreLags: Record<string, { lagByPartition: Record<string, { currentOffsetPosition: number; endOffsetPosition: number; offsetLag: number }> }> };
}

/** `server`'s /clusterStatus: an entry per server it knows, named by host:port. */
export async function clusterStatus(server: ServerProcess): Promise<Record<string, HostStatus>> {
  const res = await fetch(`${server.url}/clusterStatus`);
  return ((await res.json()) as { clusterStatus: Record<string, HostStatus> }).clusterStatus;
}

/** `host:port` of a server, as /clusterStatus names it. */
export const hostKey = (server: ServerProcess): string => new URL(server.url).host;

/** The partitions of `topic` whose tasks of `queryId` `server` runs, from its own entry of /clusterStatus. */
export async function activePartitions(server: ServerProcess, queryId: string, topic: string): Promise<number[]> {
  // Its own entry is named by its host:port; a server that knows only itself lists only that one.
  const entries = Object.entries(await clusterStatus(server));
  const own = (entries.find(([host]) => host === hostKey(server)) ?? (entries.length === 1 ? entries[0] : undefined))?.[1].activeStandbyPerQuery[queryId];
  return (own?.activePartitions ?? []).filter((p) => p.topic === topic).map((p) => p.partition).sort((a, b) => a - b);
}

/** Each persistent query's state on `server`, by id. */
export async function queryStates(server: ServerProcess): Promise<Record<string, string[]>> {
  const queries = (await ksqlOrThrow(server, 'SHOW QUERIES;'))[0].queries as { id: string; statusCount: Record<string, number> }[];
  return Object.fromEntries(queries.map((q) => [q.id, Object.keys(q.statusCount)]));
}

const ORDER_CUSTOMERS = ['alice', 'bob', 'carol', 'dave', 'erin'];

/**
 * Inserts into ORDERS (CUSTOMER STRING KEY, ID INT, AMOUNT INT) one row at a
 * time, ids counting up (customer and amount follow from the id), and keeps
 * the ids the server acknowledged.
 */
export class OrderInserts {
  readonly acknowledged = new Set<number>();
  private nextId = 0;

  /** One insert into `on`; false when it was not acknowledged. */
  async insert(on: ServerProcess): Promise<boolean> {
    const id = this.nextId++;
    try {
      const answer = await ksql(on, `INSERT INTO ORDERS (CUSTOMER, ID, AMOUNT) VALUES ('${ORDER_CUSTOMERS[id % ORDER_CUSTOMERS.length]}', ${id}, ${(id * 37) % 100});`);
      if (answer.status === 200) this.acknowledged.add(id);
      return answer.status === 200;
    } catch {
      return false;
    }
  }

  /**
   * Inserts into `server` until it stops answering, and SIGKILLs it once 40
   * to 59 inserts were acknowledged, a random moment later, so the kill lands
   * among the inserts. Returns how many acknowledgements it waited for.
   */
  async killDuringInserts(server: ServerProcess): Promise<number> {
    const inserting = (async () => {
      while (await this.insert(server));
    })();
    const killAfter = 40 + Math.floor(Math.random() * 20);
    while (this.acknowledged.size < killAfter) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 50)));
    await server.stop('SIGKILL');
    await inserting;
    return killAfter;
  }
}
