/**
 * Test helper: ksqlite servers running on a Kafka cluster (`--kafka-bootstrap`)
 * as child processes, driven through their REST API, with kafkajs
 * read_committed consumers to read what they committed on the cluster.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { startServerProcess, type ServerProcess } from './server-process.js';
import { uniqueName } from '../broker/kafka/kafka-target.js';

/** A server in Kafka mode on `bootstrap`, on a fresh data directory `<dir>/<name>`, with `properties` in its config file. */
export function startKafkaModeServer(bootstrap: string, dir: string, name: string, properties: Readonly<Record<string, string>>): Promise<ServerProcess> {
  const config = join(dir, `${name}.properties`);
  writeFileSync(config, Object.entries(properties).map(([key, value]) => `${key}=${value}\n`).join(''));
  return startServerProcess(join(dir, name), ['--kafka-bootstrap', bootstrap, '--config', config]);
}

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

/** The rows of a pull query, or undefined when the server refused it (a table still restoring, say). */
export async function pull(server: ServerProcess, query: string): Promise<unknown[][] | undefined> {
  const res = await fetch(`${server.url}/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/vnd.ksql.v1+json' },
    body: JSON.stringify({ ksql: query }),
  });
  if (res.status !== 200) return undefined;
  const lines = (await res.json()) as { row?: { columns: unknown[] } }[];
  return lines.filter((l) => l.row !== undefined).map((l) => l.row!.columns);
}

export function kafkaClient(bootstrap: string): Kafka {
  return new Kafka({ brokers: [bootstrap], clientId: 'kafka-mode-test', logLevel: logLevel.NOTHING });
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

/** The partitions of `topic` whose tasks of `queryId` `server` runs, from its own entry of /clusterStatus. */
export async function activePartitions(server: ServerProcess, queryId: string, topic: string): Promise<number[]> {
  const res = await fetch(`${server.url}/clusterStatus`);
  const { clusterStatus } = (await res.json()) as { clusterStatus: Record<string, { activeStandbyPerQuery: Record<string, { activePartitions: { topic: string; partition: number }[] }> }> };
  // Its own entry is named by its host:port; a server that knows only itself lists only that one.
  const entries = Object.entries(clusterStatus);
  const own = (entries.find(([host]) => host === new URL(server.url).host) ?? (entries.length === 1 ? entries[0] : undefined))?.[1].activeStandbyPerQuery[queryId];
  return (own?.activePartitions ?? []).filter((p) => p.topic === topic).map((p) => p.partition).sort((a, b) => a - b);
}

/** Each persistent query's state on `server`, by id. */
export async function queryStates(server: ServerProcess): Promise<Record<string, string[]>> {
  const queries = (await ksqlOrThrow(server, 'SHOW QUERIES;'))[0].queries as { id: string; statusCount: Record<string, number> }[];
  return Object.fromEntries(queries.map((q) => [q.id, Object.keys(q.statusCount)]));
}
