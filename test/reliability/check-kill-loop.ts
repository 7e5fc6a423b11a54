/**
 * What the kill loop left in the data directory, held against what the
 * client was told: the source topic against the ledger, the CSAS sink against
 * the source, and the CTAS (its changelog topic and what a pull query serves)
 * against a recomputation from the source's stored rows.
 */
import { openEmbeddedBroker, type ConsumedRecord } from '../../src/broker/index.js';
import { readTopic } from '../helpers/read-topic.js';
import type { InsertLedger } from './insert-ledger.js';
import { CSAS_TOPIC, CTAS_TOPIC, SOURCE_TOPIC, WINDOW_MS, type KillLoopOutcome } from './server-kill-loop.js';

export interface KillLoopFigures {
  readonly kills: number;
  /** Attempts the server acknowledged. */
  readonly acked: number;
  /** Rows in the source topic. */
  readonly stored: number;
  /** Acknowledged attempts missing from the source. */
  readonly lost: number;
  /** Rows of the source stored more than once under one attempt. */
  readonly duplicated: number;
  /** Attempts in the source whose acknowledgement never reached the client (then sent again). */
  readonly storedUnacked: number;
  /** Attempts the server refused yet stored. */
  readonly rejectedStored: number;
  /** Source rows whose key or values are not what their attempt sent. */
  readonly corrupted: number;
  /** Rows missing from the CSAS sink, extra in it or different from the source row transformed. */
  readonly sinkMismatches: number;
  /** Windows of the CTAS (after recomputation). */
  readonly windows: number;
  /** Windows whose count or sum in the changelog or in a pull query differs from the recomputation. */
  readonly aggregateMismatches: number;
  /** Persistent queries not RUNNING at the end. */
  readonly queriesNotRunning: number;
}

interface SourceRow {
  readonly id: bigint;
  readonly SEQ: number;
  readonly SENT: number;
  readonly SENSOR: string;
  readonly V: number;
  readonly timestamp: number;
}

function json(record: ConsumedRecord): Record<string, unknown> {
  if (record.value === null) throw new Error(`a null value at ${record.topic}-${record.partition}@${record.offset}`);
  return JSON.parse(record.value.toString()) as Record<string, unknown>;
}

/** Reads the data directory (no server may run on it) and counts every departure from the guarantees. */
export function checkKillLoop(dataDir: string, outcome: KillLoopOutcome): KillLoopFigures {
  const broker = openEmbeddedBroker({ dataDir });
  try {
    const source = readTopic(broker, SOURCE_TOPIC).map((r): SourceRow => ({ ...(json(r) as Omit<SourceRow, 'id' | 'timestamp'>), id: r.key!.readBigInt64BE(), timestamp: r.timestamp }));
    return {
      kills: outcome.kills,
      acked: outcome.ledger.acknowledgedAttempts().length,
      stored: source.length,
      ...checkSource(source, outcome.ledger),
      sinkMismatches: checkSink(source, readTopic(broker, CSAS_TOPIC)),
      ...checkAggregates(source, readTopic(broker, CTAS_TOPIC), outcome),
      queriesNotRunning: Object.values(outcome.queryStates).filter((s) => s !== 'RUNNING').length,
    };
  } finally {
    broker.close();
  }
}

function checkSource(source: readonly SourceRow[], ledger: InsertLedger): Pick<KillLoopFigures, 'lost' | 'duplicated' | 'storedUnacked' | 'rejectedStored' | 'corrupted'> {
  const copies = new Map<number, number>();
  let corrupted = 0;
  for (const row of source) {
    copies.set(row.SENT, (copies.get(row.SENT) ?? 0) + 1);
    const sent = ledger.attempt(row.SENT);
    if (sent === undefined || row.id !== BigInt(sent.seq) || row.SEQ !== sent.seq || row.SENSOR !== sent.sensor || row.V !== sent.v) corrupted++;
  }
  let duplicated = 0;
  let storedUnacked = 0;
  let rejectedStored = 0;
  for (const [sent, n] of copies) {
    duplicated += n - 1;
    if (ledger.isRejected(sent)) rejectedStored++;
    else if (!ledger.isAcknowledged(sent)) storedUnacked++;
  }
  const lost = ledger.acknowledgedAttempts().filter((sent) => !copies.has(sent)).length;
  return { lost, duplicated, storedUnacked, rejectedStored, corrupted };
}

/** The size of the difference, both ways, between two multisets of texts. */
function multisetDifference(expected: readonly string[], actual: readonly string[]): number {
  const count = new Map<string, number>();
  for (const e of expected) count.set(e, (count.get(e) ?? 0) + 1);
  for (const a of actual) count.set(a, (count.get(a) ?? 0) - 1);
  let difference = 0;
  for (const n of count.values()) difference += Math.abs(n);
  return difference;
}

function checkSink(source: readonly SourceRow[], sink: readonly ConsumedRecord[]): number {
  const expected = source.filter((r) => r.V % 3 !== 0).map((r) => JSON.stringify([r.id.toString(), r.SENT, r.SEQ, r.SENSOR, r.V * 10]));
  const actual = sink.map((r) => {
    const v = json(r);
    return JSON.stringify([r.key!.readBigInt64BE().toString(), v.SENT, v.SEQ, v.SENSOR, v.V10]);
  });
  return multisetDifference(expected, actual);
}

function checkAggregates(
  source: readonly SourceRow[],
  changelog: readonly ConsumedRecord[],
  outcome: KillLoopOutcome,
): Pick<KillLoopFigures, 'windows' | 'aggregateMismatches'> {
  const expected = new Map<string, string>();
  const sums = new Map<string, { n: number; total: number }>();
  for (const r of source) {
    const id = `${r.SENSOR}@${r.timestamp - (r.timestamp % WINDOW_MS)}`;
    const agg = sums.get(id) ?? { n: 0, total: 0 };
    agg.n++;
    agg.total += r.V;
    sums.set(id, agg);
  }
  for (const [id, { n, total }] of sums) expected.set(id, `${n}/${total}`);
  // The last change of each windowed key is the window's final aggregate (a key's windows share a partition).
  const latest = new Map<string, string>();
  for (const r of changelog) {
    const key = r.key!;
    const v = json(r);
    latest.set(`${key.subarray(0, key.length - 8).toString()}@${Number(key.readBigInt64BE(key.length - 8))}`, `${v.N}/${v.TOTAL}`);
  }
  const served = new Map(outcome.servedWindows.map((w) => [`${w.sensor}@${w.windowStart}`, `${w.n}/${w.total}`]));
  let mismatches = 0;
  for (const id of new Set([...expected.keys(), ...latest.keys(), ...served.keys()])) {
    if (latest.get(id) !== expected.get(id) || served.get(id) !== expected.get(id)) mismatches++;
  }
  return { windows: expected.size, aggregateMismatches: mismatches };
}

/** One line of figures, to quote. */
export function formatFigures(name: string, f: KillLoopFigures): string {
  return (
    `${name}: kills=${f.kills} acked=${f.acked} stored=${f.stored} lost=${f.lost} duplicated=${f.duplicated} ` +
    `stored-unacked=${f.storedUnacked} rejected-stored=${f.rejectedStored} corrupted=${f.corrupted} ` +
    `sink-mismatches=${f.sinkMismatches} windows=${f.windows} aggregate-mismatches=${f.aggregateMismatches} queries-not-running=${f.queriesNotRunning}`
  );
}
