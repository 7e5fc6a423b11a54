/**
 * `npm run bench -- join`: joins on the real engine, each figure beside the
 * bare JSON parse+stringify of the same input records (measured in the same
 * run).
 * - join.stream-table: orders enriched with a table of JOIN_TABLE_KEYS
 *   (100,000) customers joined on the orders' key. The table is loaded and
 *   materialized first; the figure is the drain of JOIN_EVENTS orders.
 * - join.stream-stream: JOIN_EVENTS impressions and one click per 5 of them,
 *   0-9 s after its impression, joined on the impression id WITHIN 10
 *   SECONDS; the figure counts impressions and clicks.
 * Each checks its output: one enriched row per order with its customer's
 * columns, one joined row per click with its own impression.
 */
import type { ConsumedRecord, ProducerRecord } from '../src/broker/broker.js';
import { measureJsonLimit } from './json-limit.js';
import { bigintKey } from './nexmark-sources.js';
import { runQueries } from './query-run.js';
import { printResult } from './report.js';

const EVENTS = Number(process.env['JOIN_EVENTS'] ?? 200_000);
const TABLE_KEYS = Number(process.env['JOIN_TABLE_KEYS'] ?? 100_000);
const BATCH = 5_000;
const START = 1_700_000_000_000;
const TIERS = ['bronze', 'silver', 'gold', 'platinum'];

const customerName = (id: number) => `customer-${id.toString(36)}-${(id * 7919) % 1000}`;
const orderCustomer = (i: number) => (i * 7919) % TABLE_KEYS;

function customers(from: number, to: number): ProducerRecord[] {
  const rows: ProducerRecord[] = [];
  for (let id = from; id < to; id++) {
    const value = { NAME: customerName(id), TIER: TIERS[id % TIERS.length], REGION: `region-${id % 17}`, SINCE: START - id * 1000 };
    rows.push({ key: bigintKey(id), value: Buffer.from(JSON.stringify(value)), timestamp: START - 1 });
  }
  return rows;
}

function orders(from: number, to: number): ProducerRecord[] {
  const rows: ProducerRecord[] = [];
  for (let i = from; i < to; i++) {
    const value = { ORDER_ID: i, AMOUNT: (i * 37) % 10_000 / 100, ITEM: `item-${i % 997}`, CHANNEL: i % 3 === 0 ? 'web' : 'store' };
    rows.push({ key: bigintKey(orderCustomer(i)), value: Buffer.from(JSON.stringify(value)), timestamp: START + i });
  }
  return rows;
}

/** Impression i is at START + i/10 ms (10,000 per second of event time). */
const impressionTime = (i: number) => START + Math.floor(i / 10);
const CLICK_EVERY = 5;
const clickDelay = (i: number) => ((i * 7919) % 10) * 1000;

function impressions(from: number, to: number): ProducerRecord[] {
  const rows: ProducerRecord[] = [];
  for (let i = from; i < to; i++) {
    const value = { AD_ID: (i * 31) % 5000, PAGE: `/page/${i % 211}`, USER_AGENT: `agent-${i % 89}` };
    rows.push({ key: bigintKey(i), value: Buffer.from(JSON.stringify(value)), timestamp: impressionTime(i) });
  }
  return rows;
}

/** Clicks on impressions `from` to `to` (every CLICK_EVERY-th), in order of their time. */
function clicks(from: number, to: number): ProducerRecord[] {
  const rows: ProducerRecord[] = [];
  for (let i = from; i < to; i++) {
    if (i % CLICK_EVERY !== 0) continue;
    rows.push({ key: bigintKey(i), value: Buffer.from(JSON.stringify({ TARGET: `/landing/${i % 53}` })), timestamp: impressionTime(i) + clickDelay(i) });
  }
  return rows.sort((a, b) => a.timestamp! - b.timestamp!);
}

function inBatches(count: number, make: (from: number, to: number) => ProducerRecord[], each: (records: ProducerRecord[]) => void): void {
  for (let from = 0; from < count; from += BATCH) each(make(from, Math.min(count, from + BATCH)));
}

function limitOf(records: ProducerRecord[]): number {
  measureJsonLimit(records.slice(0, 20_000)); // warm up the bare loop's code paths
  return measureJsonLimit(records);
}

function keyOf(r: ConsumedRecord): number {
  return Number(r.key!.readBigInt64BE());
}

function streamTable(): void {
  const run = runQueries({
    sources: [
      "CREATE TABLE CUSTOMERS (ID BIGINT PRIMARY KEY, NAME STRING, TIER STRING, REGION STRING, SINCE BIGINT) WITH (KAFKA_TOPIC='customers', PARTITIONS=1, VALUE_FORMAT='JSON');",
      "CREATE STREAM ORDERS (CUSTOMER_ID BIGINT KEY, ORDER_ID BIGINT, AMOUNT DOUBLE, ITEM STRING, CHANNEL STRING) WITH (KAFKA_TOPIC='orders', PARTITIONS=1, VALUE_FORMAT='JSON');",
    ],
    fill: (append) => inBatches(TABLE_KEYS, customers, (rows) => append('customers', rows)),
    queries: ['CREATE STREAM ENRICHED AS SELECT O.CUSTOMER_ID, O.ORDER_ID, O.AMOUNT, O.ITEM, C.NAME, C.TIER, C.REGION FROM ORDERS O JOIN CUSTOMERS C ON O.CUSTOMER_ID = C.ID;'],
    afterStart: (append) => inBatches(EVENTS, orders, (rows) => append('orders', rows)),
    inputTopics: ['orders'],
    outputTopics: ['ENRICHED'],
  });
  const out = run.outputs.get('ENRICHED')!;
  if (out.length !== EVENTS) throw new Error(`join.stream-table wrote ${out.length} rows for ${EVENTS} orders`);
  out.forEach((r, i) => {
    const row = JSON.parse(r.value!.toString('utf8')) as Record<string, unknown>;
    const id = orderCustomer(i);
    if (keyOf(r) !== id || row['ORDER_ID'] !== i || row['NAME'] !== customerName(id) || row['TIER'] !== TIERS[id % TIERS.length]) {
      throw new Error(`join.stream-table: row ${i} is ${JSON.stringify(row)}`);
    }
  });
  const inputs: ProducerRecord[] = [];
  inBatches(EVENTS, orders, (rows) => { for (const r of rows) inputs.push(r); });
  printResult('join.stream-table', run.events / run.seconds, 'events/s', limitOf(inputs));
  process.stdout.write(`  join.stream-table: ${run.events} orders over ${TABLE_KEYS} customers in ${run.seconds.toFixed(2)} s\n`);
}

function streamStream(): void {
  const run = runQueries({
    sources: [
      "CREATE STREAM IMPRESSIONS (IMPRESSION_ID BIGINT KEY, AD_ID BIGINT, PAGE STRING, USER_AGENT STRING) WITH (KAFKA_TOPIC='impressions', PARTITIONS=1, VALUE_FORMAT='JSON');",
      "CREATE STREAM CLICKS (IMPRESSION_ID BIGINT KEY, TARGET STRING) WITH (KAFKA_TOPIC='clicks', PARTITIONS=1, VALUE_FORMAT='JSON');",
    ],
    fill: (append) => {
      inBatches(EVENTS, impressions, (rows) => append('impressions', rows));
      append('clicks', clicks(0, EVENTS));
    },
    queries: [
      'CREATE STREAM CLICKED AS SELECT I.IMPRESSION_ID, I.AD_ID, I.PAGE, C.TARGET FROM IMPRESSIONS I JOIN CLICKS C WITHIN 10 SECONDS ' +
      'ON I.IMPRESSION_ID = C.IMPRESSION_ID;',
    ],
    inputTopics: ['impressions', 'clicks'],
    outputTopics: ['CLICKED'],
  });
  const out = run.outputs.get('CLICKED')!;
  const expected = Math.ceil(EVENTS / CLICK_EVERY);
  if (out.length !== expected) throw new Error(`join.stream-stream wrote ${out.length} rows for ${expected} clicks`);
  const seen = new Set<number>();
  for (const r of out) {
    const id = keyOf(r);
    const row = JSON.parse(r.value!.toString('utf8')) as Record<string, unknown>;
    if (id % CLICK_EVERY !== 0 || seen.has(id) || row['AD_ID'] !== (id * 31) % 5000 || row['TARGET'] !== `/landing/${id % 53}`) {
      throw new Error(`join.stream-stream: wrong row ${id} ${JSON.stringify(row)}`);
    }
    seen.add(id);
  }
  const inputs: ProducerRecord[] = [];
  inBatches(EVENTS, impressions, (rows) => { for (const r of rows) inputs.push(r); });
  for (const r of clicks(0, EVENTS)) inputs.push(r);
  printResult('join.stream-stream', run.events / run.seconds, 'events/s', limitOf(inputs));
  process.stdout.write(`  join.stream-stream: ${run.events} impressions and clicks in ${run.seconds.toFixed(2)} s, ${out.length} joined\n`);
}

export function runJoinBenchmark(): void {
  streamTable();
  streamStream();
  process.stdout.write(`  join: peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB\n`);
}
