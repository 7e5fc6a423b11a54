import test from 'ava';
import { openEmbeddedBroker } from '../../src/broker/index.js';
import { withTempDir } from '../helpers/temp-dir.js';
import { checkKillLoop, type KillLoopFigures } from './check-kill-loop.js';
import { InsertLedger, type Attempt } from './insert-ledger.js';
import { CSAS_TOPIC, CTAS_TOPIC, SOURCE_TOPIC, WINDOW_MS, type ServedWindow } from './server-kill-loop.js';

/** A stored source row: the attempt it holds and its timestamp. */
interface Stored {
  readonly row: Attempt;
  readonly timestamp: number;
}

/** What a data directory holds after a loop, and what the client and the last server said. */
interface World {
  readonly ledger: InsertLedger;
  source: Stored[];
  sink: Stored[];
  /** The last change of each window as the changelog holds it. */
  changelog: ServedWindow[];
  served: ServedWindow[];
  states: Record<string, string>;
}

function windowsOf(rows: readonly Stored[]): ServedWindow[] {
  const byId = new Map<string, ServedWindow>();
  for (const { row, timestamp } of rows) {
    const windowStart = timestamp - (timestamp % WINDOW_MS);
    const id = `${row.sensor}@${windowStart}`;
    const w = byId.get(id) ?? { sensor: row.sensor, windowStart, n: 0, total: 0 };
    byId.set(id, { ...w, n: w.n + 1, total: w.total + row.v });
  }
  return [...byId.values()];
}

/** Four rows, each acknowledged and stored once, the sink and the aggregates derived from them. */
function consistentWorld(): World {
  const ledger = new InsertLedger();
  const source = [0, 1, 2, 3].map((i) => ({ row: ledger.next(), timestamp: 1000 * i }));
  for (const { row } of source) ledger.acknowledge(row.sent);
  return derive({ ledger, source, sink: [], changelog: [], served: [], states: { CSAS_HIGH_1: 'RUNNING', CTAS_TOTALS_3: 'RUNNING' } });
}

/** The sink and the aggregates as the source rows make them. */
function derive(world: World): World {
  world.sink = world.source.filter((s) => s.row.v % 3 !== 0);
  world.changelog = windowsOf(world.source);
  world.served = windowsOf(world.source);
  return world;
}

function bigintKey(n: number): Buffer {
  const key = Buffer.alloc(8);
  key.writeBigInt64BE(BigInt(n));
  return key;
}

function check(world: World): KillLoopFigures {
  return withTempDir((dir) => {
    const broker = openEmbeddedBroker({ dataDir: dir });
    for (const topic of [SOURCE_TOPIC, CSAS_TOPIC, CTAS_TOPIC]) broker.createTopic(topic, { partitions: 1 });
    const { source, sink, changelog } = world;
    const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));
    broker.append(SOURCE_TOPIC, source.map(({ row, timestamp }) => ({ key: bigintKey(row.seq), value: json({ SEQ: row.seq, SENT: row.sent, SENSOR: row.sensor, V: row.v }), timestamp })));
    broker.append(CSAS_TOPIC, sink.map(({ row, timestamp }) => ({ key: bigintKey(row.seq), value: json({ SENT: row.sent, SEQ: row.seq, SENSOR: row.sensor, V10: row.v * 10 }), timestamp })));
    // An earlier change of every window first, as the changelog of a running count holds it.
    const changes = changelog.flatMap((w) => [{ ...w, n: 0, total: 0 }, w]);
    broker.append(CTAS_TOPIC, changes.map((w) => ({ key: Buffer.concat([Buffer.from(w.sensor), bigintKey(w.windowStart)]), value: json({ N: w.n, TOTAL: w.total }), timestamp: w.windowStart })));
    broker.close();
    return checkKillLoop(dir, { kills: 1, ledger: world.ledger, queryStates: world.states, servedWindows: world.served });
  }, 'ksqlite-check-');
}

const NOTHING_WRONG = {
  lost: 0,
  duplicated: 0,
  storedUnacked: 0,
  rejectedStored: 0,
  corrupted: 0,
  sinkMismatches: 0,
  aggregateMismatches: 0,
  queriesNotRunning: 0,
};

function wrong(figures: KillLoopFigures): Partial<KillLoopFigures> {
  return Object.fromEntries(Object.entries(figures).filter(([name, n]) => name in NOTHING_WRONG && n !== 0));
}

test('a data directory that kept every promise counts nothing wrong', (t) => {
  const figures = check(consistentWorld());
  t.like(figures, { ...NOTHING_WRONG, kills: 1, acked: 4, stored: 4, windows: 4 });
});

test('an acknowledged row missing from the source is lost', (t) => {
  const world = consistentWorld();
  world.source.splice(1, 1);
  t.deepEqual(wrong(check(derive(world))), { lost: 1 });
});

test('a row stored twice under one attempt is duplicated; once more under a retry it is stored unacknowledged', (t) => {
  const twice = consistentWorld();
  twice.source.push(twice.source[2]!);
  t.deepEqual(wrong(check(derive(twice))), { duplicated: 1 });

  const retried = consistentWorld();
  const unanswered = retried.ledger.next();
  retried.ledger.unanswered(unanswered.sent);
  const retry = retried.ledger.next();
  retried.ledger.acknowledge(retry.sent);
  t.is(retry.seq, unanswered.seq, 'the client sends the unanswered row again');
  retried.source.push({ row: unanswered, timestamp: 5000 }, { row: retry, timestamp: 6000 });
  t.deepEqual(wrong(check(derive(retried))), { storedUnacked: 1 });
});

test('a refused row that was stored, or a row that differs from what was sent, is counted', (t) => {
  const refused = consistentWorld();
  const row = refused.ledger.next();
  refused.ledger.reject(row.sent);
  refused.source.push({ row, timestamp: 5000 });
  t.deepEqual(wrong(check(derive(refused))), { rejectedStored: 1 });

  const changed = consistentWorld();
  changed.source[0] = { row: { ...changed.source[0]!.row, v: 99 }, timestamp: 0 };
  t.deepEqual(wrong(check(derive(changed))), { corrupted: 1 });
});

test('a sink row missing or extra, a wrong window in the changelog or the pull query, a query not running are counted', (t) => {
  const missing = consistentWorld();
  missing.sink.pop();
  t.deepEqual(wrong(check(missing)), { sinkMismatches: 1 });

  const extra = consistentWorld();
  extra.sink.push(extra.sink[0]!);
  t.deepEqual(wrong(check(extra)), { sinkMismatches: 1 });

  const changelog = consistentWorld();
  changelog.changelog[0] = { ...changelog.changelog[0]!, total: 1 };
  t.deepEqual(wrong(check(changelog)), { aggregateMismatches: 1 });

  const served = consistentWorld();
  served.served.pop();
  t.deepEqual(wrong(check(served)), { aggregateMismatches: 1 });

  const failed = consistentWorld();
  failed.states.CTAS_TOTALS_3 = 'ERROR';
  t.deepEqual(wrong(check(failed)), { queriesNotRunning: 1 });
});
