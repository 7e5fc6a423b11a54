/**
 * The kill loop of the reliability checks, against the real server process:
 * declare a source stream, a filtering CSAS and a windowed CTAS over REST,
 * then again and again start the server, load it with inserts, stop it with
 * a signal at a random moment and start it again; finally run the server
 * until every query has caught up, and hand back what the client knows and
 * what the server serves.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { openEmbeddedBroker } from '../../src/broker/index.js';
import { randomDelayMs } from '../helpers/kill-loop.js';
import { startServerProcess, type ProcessExit, type ServerProcess } from '../helpers/server-process.js';
import { runSqlOrThrow, type Harness } from '../server/helpers.js';
import { InsertLedger } from './insert-ledger.js';
import { startLoad } from './insert-load.js';

export const SOURCE_TOPIC = 'readings';
export const CSAS_TOPIC = 'HIGH';
export const CTAS_TOPIC = 'TOTALS';
export const WINDOW_MS = 2000;

const STATEMENTS = [
  `CREATE STREAM READINGS (ID BIGINT KEY, SEQ BIGINT, SENT BIGINT, SENSOR STRING, V BIGINT) WITH (KAFKA_TOPIC='${SOURCE_TOPIC}', PARTITIONS=3, VALUE_FORMAT='JSON');`,
  `CREATE STREAM ${CSAS_TOPIC} AS SELECT ID, SENT, SEQ, SENSOR, V * 10 AS V10 FROM READINGS WHERE V % 3 <> 0 EMIT CHANGES;`,
  `CREATE TABLE ${CTAS_TOPIC} AS SELECT SENSOR, COUNT(*) AS N, SUM(V) AS TOTAL FROM READINGS WINDOW TUMBLING (SIZE ${WINDOW_MS / 1000} SECONDS) GROUP BY SENSOR EMIT CHANGES;`,
];

/** How long a run may take to get its first ack. */
const FIRST_ACK_TIMEOUT_MS = 20_000;
/** Server runs the final drain may take before the queries must have caught up. */
const MAX_DRAIN_RUNS = 20;
const DRAIN_RUN_MS = 1500;

export interface KillLoopOptions {
  /** SIGKILL (kill -9) or SIGTERM (a graceful stop). */
  readonly signal: 'SIGKILL' | 'SIGTERM';
  /** How many times the server is stopped under load. */
  readonly kills: number;
  /** Once a run's first insert is acknowledged, the signal lands a random number of ms later, in this range. */
  readonly runMs: { readonly min: number; readonly max: number };
}

/** One window of the CTAS as a pull query serves it. */
export interface ServedWindow {
  readonly sensor: string;
  readonly windowStart: number;
  readonly n: number;
  readonly total: number;
}

export interface KillLoopOutcome {
  readonly kills: number;
  readonly ledger: InsertLedger;
  /** The state of each persistent query once the loop was over, by query id. */
  readonly queryStates: Record<string, string>;
  /** The CTAS's windows as a pull query on the drained server returns them. */
  readonly servedWindows: ServedWindow[];
}

/** Runs the loop on an empty `dataDir`; the data stays there for the checks. */
export async function runKillLoop(dataDir: string, options: KillLoopOptions): Promise<KillLoopOutcome> {
  const ledger = new InsertLedger();
  for (let run = 0; run < options.kills; run++) {
    const server = await startServerProcess(dataDir);
    try {
      if (run === 0) for (const sql of STATEMENTS) await runSqlOrThrow(harness(server), sql, { streamsProperties: { 'auto.offset.reset': 'earliest' } });
      const load = startLoad(server.url, ledger, run % 2 === 0 ? 'http1' : 'http2');
      try {
        await load.waitForAcks(1, FIRST_ACK_TIMEOUT_MS);
        await sleep(randomDelayMs(options.runMs));
      } finally {
        const exit = await server.stop(options.signal);
        await load.stop();
        expectExit(exit, options.signal, server);
      }
    } finally {
      await server.stop('SIGKILL');
    }
  }
  return { kills: options.kills, ledger, ...(await drain(dataDir)) };
}

function harness(server: ServerProcess): Harness {
  return { url: server.url } as Harness;
}

function expectExit(exit: ProcessExit, signal: KillLoopOptions['signal'], server: ServerProcess): void {
  const expected = signal === 'SIGKILL' ? exit.signal === 'SIGKILL' : exit.code === 0;
  if (!expected) throw new Error(`after ${signal} the server exited with code ${exit.code}, signal ${exit.signal}: ${server.log()}`);
}

/**
 * Runs the server without load until, measured after it stopped, no query
 * has input left; then reads the query states and the CTAS through one more
 * run, which has nothing left to process.
 */
async function drain(dataDir: string): Promise<Omit<KillLoopOutcome, 'kills' | 'ledger'>> {
  for (let run = 1; run <= MAX_DRAIN_RUNS; run++) {
    const caughtUp = inputLeft(dataDir) === 0;
    const server = await startServerProcess(dataDir);
    try {
      if (caughtUp) return { queryStates: await queryStates(server), servedWindows: await servedWindows(server) };
      await sleep(DRAIN_RUN_MS);
    } finally {
      expectExit(await server.stop('SIGTERM'), 'SIGTERM', server);
    }
  }
  throw new Error(`the queries still had input left after ${MAX_DRAIN_RUNS} runs of ${DRAIN_RUN_MS} ms`);
}

/** Records the persistent queries have not committed yet, over every partition they read. */
function inputLeft(dataDir: string): number {
  const broker = openEmbeddedBroker({ dataDir });
  try {
    let left = 0;
    const groups = broker.listGroups().filter((g) => g.includes('query_'));
    if (groups.length < 2) throw new Error(`expected the consumer groups of two queries, found ${JSON.stringify(groups)}`);
    for (const group of groups) {
      const topics = new Set([SOURCE_TOPIC, ...broker.committedOffsets(group).map((o) => o.topic)]);
      for (const topic of topics) {
        for (const { partition } of broker.describeTopic(topic).partitions) {
          left += broker.latestOffset(topic, partition) - (broker.committedOffset(group, topic, partition) ?? 0);
        }
      }
    }
    return left;
  } finally {
    broker.close();
  }
}

async function queryStates(server: ServerProcess): Promise<Record<string, string>> {
  const res = await runSqlOrThrow(harness(server), 'SHOW QUERIES;');
  const queries = res.body[0].queries as { id: string; state: string }[];
  return Object.fromEntries(queries.map((q) => [q.id, q.state]));
}

async function servedWindows(server: ServerProcess): Promise<ServedWindow[]> {
  const res = await fetch(`${server.url}/query-stream`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ sql: `SELECT SENSOR, WINDOWSTART, N, TOTAL FROM ${CTAS_TOPIC};` }),
  });
  const body = (await res.json()) as unknown[];
  if (res.status !== 200) throw new Error(`the pull query on ${CTAS_TOPIC} failed: ${JSON.stringify(body)}`);
  return (body.slice(1) as [string, number, number, number][]).map(([sensor, windowStart, n, total]) => ({ sensor, windowStart, n, total }));
}
