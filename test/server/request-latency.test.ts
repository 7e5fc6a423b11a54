/**
 * Large statements must not hold the event loop (issue 15): while one client
 * sends statements near and over the request bounds, another client's pull
 * queries keep their latency and /healthcheck answers. The bound compares
 * the worst pull latency during the flood with the same pull's latency
 * measured just before it, in the same test, so a loaded machine raises both.
 * Before statements were parsed off the event loop, each of these held it
 * for 0.1-1.5 s, and only a few pulls were answered during the flood.
 */
import test from 'ava';
import { useServer } from './helpers.js';
import { eventually } from './stream-helpers.js';

const h = useServer({
  statements: [
    "CREATE STREAM CLICKS (ID INT KEY, URL STRING) WITH (KAFKA_TOPIC='clicks', PARTITIONS=1, VALUE_FORMAT='JSON');",
    "CREATE TABLE T (ID INT PRIMARY KEY, V STRING) WITH (KAFKA_TOPIC='t', PARTITIONS=1, VALUE_FORMAT='JSON');",
    'CREATE TABLE M AS SELECT * FROM T;',
    "INSERT INTO T (ID, V) VALUES (1, 'one');",
  ],
});

const PULL = JSON.stringify({ sql: 'SELECT * FROM M WHERE ID = 1;' });

async function pull(url: string): Promise<number> {
  const started = performance.now();
  const res = await fetch(`${url}/query-stream`, { method: 'POST', body: PULL });
  const text = await res.text();
  if (res.status !== 200 || !text.includes('"one"')) throw new Error(`pull query answered ${res.status}: ${text}`);
  return performance.now() - started;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(p * (sorted.length - 1))]!;
}

const ones = (n: number, op: string): string => Array.from({ length: n }, () => '1').join(op);
const keys = (n: number): string => Array.from({ length: n }, (_, i) => i).join(', ');

interface Flood {
  readonly path: '/ksql' | '/query-stream';
  readonly sql: string;
  /** The status and error code expected (200: a valid answer). */
  readonly status: number;
  readonly errorCode?: number;
}

/** Statements near each bound (valid, or an error the parser finds) and over it (40000). */
const FLOOD: readonly Flood[] = [
  { path: '/query-stream', sql: `SELECT * FROM M WHERE ID IN (${keys(1000)});`, status: 200 },
  { path: '/query-stream', sql: `SELECT * FROM M WHERE V = '${'x'.repeat(262_000)}';`, status: 200 },
  { path: '/query-stream', sql: `SELECT ${ones(999, '+')} AS N FROM CLICKS;`, status: 200 },
  // About 20,000 tokens, refused by the parser at the last one.
  { path: '/ksql', sql: `SELECT ${ones(9990, ', ')} FROMM CLICKS;`, status: 400, errorCode: 40001 },
  { path: '/query-stream', sql: `SELECT ${ones(9990, ', ')} FROMM CLICKS;`, status: 400, errorCode: 40001 },
  { path: '/ksql', sql: 'SHOW STREAMS;'.repeat(6000), status: 200 },
  { path: '/ksql', sql: `SELECT ${ones(300_000, '+')} FROM CLICKS EMIT CHANGES;`, status: 400, errorCode: 40000 },
  { path: '/ksql', sql: `SELECT ${ones(12_000, '+')} FROM CLICKS EMIT CHANGES;`, status: 400, errorCode: 40000 },
  { path: '/query-stream', sql: `SELECT ${ones(1500, '+')} FROM CLICKS;`, status: 400, errorCode: 40000 },
  { path: '/query-stream', sql: `SELECT * FROM M WHERE ID IN (${keys(1001)});`, status: 400, errorCode: 40000 },
  // Comments before a statement once made the PRINT check backtrack for minutes.
  { path: '/query-stream', sql: `${'/**/'.repeat(40)} X`, status: 400, errorCode: 40001 },
];

test('pull queries keep their latency and /healthcheck answers while large statements arrive', async (t) => {
  t.timeout(120_000);
  const { url } = h;
  t.true(await eventually(() => pull(url).then(() => true, () => false), 10_000));
  const baseline: number[] = [];
  for (let i = 0; i < 40; i++) baseline.push(await pull(url));

  let flooding = true;
  const during: number[] = [];
  const pulls = (async () => {
    while (flooding) during.push(await pull(url));
  })();
  const health: number[] = [];
  const healthchecks = (async () => {
    while (flooding) {
      health.push((await fetch(`${url}/healthcheck`)).status);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  try {
    for (const flood of FLOOD) {
      const body = flood.path === '/ksql' ? { ksql: flood.sql } : { sql: flood.sql };
      const res = await fetch(`${url}${flood.path}`, { method: 'POST', body: JSON.stringify(body) });
      const text = await res.text();
      const label = `${flood.path} ${flood.sql.slice(0, 40)}... (${flood.sql.length} characters)`;
      t.is(res.status, flood.status, `${label}: ${text.slice(0, 300)}`);
      if (flood.errorCode !== undefined) t.is((JSON.parse(text) as { error_code: number }).error_code, flood.errorCode, label);
    }
  } finally {
    flooding = false;
    await Promise.all([pulls, healthchecks]);
  }

  // Work that is left on the event loop scales with the machine's load, as the baseline does.
  const p99 = percentile(baseline, 0.99);
  const bound = p99 + Math.max(250, 2 * p99);
  t.log(`pull latency: baseline p50 ${percentile(baseline, 0.5).toFixed(0)} ms, p99 ${percentile(baseline, 0.99).toFixed(0)} ms;`
    + ` during the flood (${during.length} pulls) p50 ${percentile(during, 0.5).toFixed(0)} ms, p95 ${percentile(during, 0.95).toFixed(0)} ms, max ${Math.max(...during).toFixed(0)} ms`);
  t.true(during.length > FLOOD.length, `only ${during.length} pull queries were answered during the flood`);
  // The 95th percentile, not the worst: other test files share these two cores, and a pull the
  // machine starved must not fail the test; a held event loop delays every pull around each statement.
  t.true(percentile(during, 0.95) < bound, `pull queries took up to ${percentile(during, 0.95).toFixed(0)} ms (95th percentile) during the flood; the bound is ${bound.toFixed(0)} ms`);
  t.true(Math.max(...during) < 4 * bound, `a pull query took ${Math.max(...during).toFixed(0)} ms during the flood; the bound is ${(4 * bound).toFixed(0)} ms`);
  t.true(health.length > 0 && health.every((status) => status === 200), `healthchecks: ${health.join(', ')}`);
});
