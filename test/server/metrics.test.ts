import test from 'ava';
import WebSocket from 'ws';
import { runSql, runSqlOrThrow, useServer } from './helpers.js';

interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

interface Family {
  readonly type: string;
  readonly help: string;
  readonly samples: Sample[];
}

/**
 * A strict reader of Prometheus' text exposition format (0.0.4): every line is
 * a HELP, a TYPE or a sample; a family's HELP and TYPE come before its
 * samples; a sample belongs to the family it names (histograms: _bucket,
 * _sum, _count; summaries: _sum, _count); label values are quoted with
 * \\, \" and \n escapes; values are what Go's ParseFloat reads (floats, NaN and
 * Inf in any case). Anything else throws.
 */
function parsePrometheus(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  if (!text.endsWith('\n')) throw new Error('the exposition must end with a newline');
  const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
  for (const line of text.slice(0, -1).split('\n')) {
    if (line === '') continue;
    const meta = new RegExp(`^# (HELP|TYPE) (${NAME}) (.*)$`).exec(line);
    if (meta !== null) {
      const [, what, name, rest] = meta as unknown as [string, string, string, string];
      const family = families.get(name) ?? { type: '', help: '', samples: [] };
      if (family.samples.length > 0) throw new Error(`${what} of ${name} after its samples`);
      if (what === 'TYPE' && !['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(rest)) throw new Error(`bad type: ${line}`);
      families.set(name, what === 'TYPE' ? { ...family, type: rest } : { ...family, help: rest });
      continue;
    }
    if (line.startsWith('#')) throw new Error(`bad comment: ${line}`);
    const sample = new RegExp(`^(${NAME})(\\{(.*)\\})? (\\S+)( -?\\d+)?$`).exec(line);
    if (sample === null) throw new Error(`bad sample line: ${line}`);
    const [, name, , labelText, valueText] = sample as unknown as [string, string, string | undefined, string | undefined, string];
    const labels: Record<string, string> = {};
    let rest = labelText ?? '';
    while (rest !== '') {
      const label = new RegExp(`^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\\\\n]|\\\\[\\\\"n])*)"(,|$)`).exec(rest);
      if (label === null) throw new Error(`bad labels: ${line}`);
      if (label[1]! in labels) throw new Error(`duplicate label: ${line}`);
      labels[label[1]!] = label[2]!.replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
      rest = rest.slice(label[0].length);
    }
    if (!/^([+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|nan|[+-]?inf(inity)?)$/i.test(valueText)) throw new Error(`bad value: ${line}`);
    const special = /^([+-]?)inf/i.exec(valueText);
    const value = special !== null ? (special[1] === '-' ? -Infinity : Infinity) : /^nan$/i.test(valueText) ? NaN : Number(valueText);
    const owner = [name, name.replace(/_(bucket|sum|count)$/, '')].find((n) => families.has(n));
    if (owner === undefined) throw new Error(`sample without HELP/TYPE: ${line}`);
    const family = families.get(owner)!;
    if (owner !== name && !['histogram', 'summary'].includes(family.type)) throw new Error(`suffixed sample of a ${family.type}: ${line}`);
    family.samples.push({ name, labels, value });
  }
  for (const [name, family] of families) if (family.type === '' || family.help === '') throw new Error(`${name} lacks TYPE or HELP`);
  return families;
}

const h = useServer({
  statements: ["CREATE STREAM S (ID INT KEY, V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=2, VALUE_FORMAT='JSON');"],
});

async function scrape(): Promise<Map<string, Family>> {
  const res = await fetch(`${h.url}/metrics`);
  if (res.status !== 200) throw new Error(`GET /metrics answered ${res.status}`);
  if (!/^text\/plain; version=0\.0\.4/.test(res.headers.get('content-type') ?? '')) throw new Error('not the text exposition format');
  return parsePrometheus(await res.text());
}

/** The first sample named `name` (a histogram's `_count` too) with those labels. */
function value(families: Map<string, Family>, name: string, labels: Record<string, string>): number | undefined {
  const family = families.get(name) ?? families.get(name.replace(/_(bucket|sum|count)$/, ''));
  return family?.samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

async function until<T>(read: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await read();
    if (done(v)) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  return read();
}

test.serial('the tiny parser refuses what is not the text format', (t) => {
  t.throws(() => parsePrometheus('x 1\n'), { message: /without HELP/ });
  t.throws(() => parsePrometheus('# HELP x h\n# TYPE x counter\nx{a="1} 1\n'), { message: /bad/ });
  t.throws(() => parsePrometheus('# HELP x h\n# TYPE x gauge\nx one\n'), { message: /bad value/ });
  t.is(parsePrometheus('# HELP x h\n# TYPE x gauge\nx{a="q\\"uote"} 1.5\n').get('x')!.samples[0]!.labels.a, 'q"uote');
});

test.serial('/metrics parses, and its per-query counters, lag and commit latency move as records flow', async (t) => {
  const created = await runSqlOrThrow(h, 'CREATE STREAM DOUBLED AS SELECT ID, V * 2 AS W FROM S;', { streamsProperties: { 'auto.offset.reset': 'earliest' } });
  const queryId: string = created.body[0].commandStatus.queryId;
  const before = await scrape();
  t.is(before.get('ksqlite_query_records_consumed_total')!.type, 'counter');
  t.is(value(before, 'ksqlite_query_records_consumed_total', { query_id: queryId, topic: 's' }), undefined, 'nothing consumed yet');
  t.is(value(before, 'ksqlite_query_running', { query_id: queryId }), 1);
  t.true(before.has('ksqlite_process_cpu_seconds_total'), 'process metrics');
  t.is(before.get('ksqlite_pull_query_latency_seconds')!.type, 'histogram');

  for (let id = 0; id < 5; id++) await runSqlOrThrow(h, `INSERT INTO S (ID, V) VALUES (${id}, ${id});`);
  const after = await until(scrape, (m) => value(m, 'ksqlite_query_records_consumed_total', { query_id: queryId, topic: 's' }) === 5);
  t.is(value(after, 'ksqlite_query_records_consumed_total', { query_id: queryId, topic: 's' }), 5);
  t.is(value(after, 'ksqlite_query_records_produced_total', { query_id: queryId, topic: 'DOUBLED' }), 5);
  t.is(value(after, 'ksqlite_query_consumer_lag', { query_id: queryId, topic: 's', partition: '0' }), 0);
  t.is(value(after, 'ksqlite_query_consumer_lag', { query_id: queryId, topic: 's', partition: '1' }), 0);
  t.true(value(after, 'ksqlite_query_commit_latency_seconds_count', { query_id: queryId })! >= 1);
  t.true(value(after, 'ksqlite_open_connections', { protocol: 'http' })! >= 1);
  t.is(value(after, 'ksqlite_open_connections', { protocol: 'websocket' }), 0);
});

test.serial('/metrics counts processing-log errors, pull query latencies and state store rows', async (t) => {
  const created = await runSqlOrThrow(h, 'CREATE TABLE COUNTS AS SELECT ID, COUNT(*) AS N FROM S GROUP BY ID;', { streamsProperties: { 'auto.offset.reset': 'earliest' } });
  const queryId: string = created.body[0].commandStatus.queryId;
  h.server.broker.append('s', [{ key: null, value: Buffer.from('{broken'), timestamp: Date.now() }]);
  await runSqlOrThrow(h, 'INSERT INTO S (ID, V) VALUES (7, 1);');
  const scraped = await until(scrape, (m) => value(m, 'ksqlite_query_processing_errors_total', { query_id: queryId, topic: 's' }) === 1
    && (m.get('ksqlite_state_store_rows')?.samples.some((s) => s.labels.query_id === queryId && s.value > 0) ?? false));
  t.is(value(scraped, 'ksqlite_query_processing_errors_total', { query_id: queryId, topic: 's' }), 1);
  t.true(scraped.get('ksqlite_state_store_rows')!.samples.some((s) => s.labels.query_id === queryId && s.value > 0));

  const pullsBefore = value(scraped, 'ksqlite_pull_query_latency_seconds_count', {}) ?? 0;
  const pull = await fetch(`${h.url}/query-stream`, { method: 'POST', body: JSON.stringify({ sql: 'SELECT * FROM COUNTS WHERE ID = 7;' }) });
  t.is(pull.status, 200);
  await pull.text();
  t.is(value(await scrape(), 'ksqlite_pull_query_latency_seconds_count', {}), pullsBefore + 1);
});

test.serial('push queries over HTTP and WebSocket add to the push latency histogram; an open WebSocket is counted', async (t) => {
  const pushes = async (): Promise<number> => value(await scrape(), 'ksqlite_push_query_latency_seconds_count', {}) ?? 0;
  const before = await pushes();
  const controller = new AbortController();
  const http = await fetch(`${h.url}/query-stream`, { method: 'POST', body: JSON.stringify({ sql: 'SELECT * FROM S EMIT CHANGES;' }), signal: controller.signal });
  t.is(http.status, 200);
  t.is(await pushes(), before + 1);
  controller.abort();
  const params = new URLSearchParams({ request: JSON.stringify({ ksql: 'SELECT * FROM S EMIT CHANGES;' }) });
  const ws = new WebSocket(`${h.url.replace('http', 'ws')}/ws/query?${params}`);
  await new Promise((resolve, reject) => {
    ws.once('message', resolve);
    ws.once('error', reject);
  });
  try {
    const scraped = await scrape();
    t.is(value(scraped, 'ksqlite_open_connections', { protocol: 'websocket' }), 1);
    t.is(value(scraped, 'ksqlite_push_query_latency_seconds_count', {}), before + 2);
  } finally {
    ws.close();
  }
});

test.serial('DESCRIBE EXTENDED over HTTP shows non-zero statistics after traffic', async (t) => {
  await until(async () => (await runSql(h, 'DESCRIBE S EXTENDED;')).body[0].sourceDescription.statistics as string, (s) => s !== '');
  const d = (await runSql(h, 'DESCRIBE S EXTENDED;')).body[0].sourceDescription;
  t.regex(d.statistics, /consumer-total-messages: +[1-9]/);
  t.regex(d.errorStats, /consumer-failed-messages: +[1-9]/);
});
