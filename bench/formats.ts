/**
 * Throughput of the JSON value serde: rows per second of deserialize then
 * serialize of a ~200-byte, 6-column row (one extra field, exact-case keys).
 * The limit is bare JSON.parse + JSON.stringify of the same bytes, measured
 * interleaved with it in the same run, so the ratio compares across machines.
 * Then the stateless filter+projection query Avro to Avro through the engine,
 * beside a bare avsc decode+encode loop over the same records
 * (stateless-avro.ts).
 */
import type { Column } from '../src/schema/logical-schema.js';
import { createSerde } from '../src/formats/index.js';
import { BIGINT, decimalType, DOUBLE, INTEGER, STRING, TIMESTAMP, type SqlType } from '../src/schema/sql-type.js';
import { printResult } from './report.js';
import { measureAvroStateless } from './stateless-avro.js';
import { measureProtobufStateless } from './stateless-protobuf.js';

const ROUNDS = 12;
const SCHEMA_FORMAT_EVENTS = Number(process.env['BENCH_STATELESS_EVENTS'] ?? 200_000);
const SCHEMA_FORMAT_ROUNDS = Number(process.env['BENCH_STATELESS_ROUNDS'] ?? 3);
const ROWS_PER_ROUND = 100_000;
const WARM_UP_ROWS = 50_000;

const column = (name: string, type: SqlType): Column => ({ name, type, namespace: 'VALUE' });

const COLUMNS = [
  column('ORDER_ID', BIGINT),
  column('CUSTOMER_NAME', STRING),
  column('PRICE', decimalType(10, 2)),
  column('QUANTITY', INTEGER),
  column('DISCOUNT_RATIO', DOUBLE),
  column('ORDER_TIME', TIMESTAMP),
];

const ROW_TEXT =
  '{"ORDER_ID":1234567890123,"CUSTOMER_NAME":"Alice Wonderland of the Looking Glass Street 42",' +
  '"PRICE":1234.56,"QUANTITY":17,"DISCOUNT_RATIO":0.125,"ORDER_TIME":1700000000123,"NOTE":"unused extra field here"}';

/** Rows per second of `fn` over one round. */
function rate(fn: () => void): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < ROWS_PER_ROUND; i++) fn();
  return ROWS_PER_ROUND / (Number(process.hrtime.bigint() - start) / 1e9);
}

/** Interleaves rounds of the candidates (the machine is shared and noisy) and keeps each one's best. */
function bestRates(candidates: readonly (() => void)[]): number[] {
  for (const fn of candidates) for (let i = 0; i < WARM_UP_ROWS; i++) fn();
  const best = candidates.map(() => 0);
  for (let r = 0; r < ROUNDS; r++) {
    candidates.forEach((fn, i) => {
      best[i] = Math.max(best[i]!, rate(fn));
    });
  }
  return best;
}

export function runFormatsBench(): void {
  const serde = createSerde({ format: 'JSON', target: 'value', columns: COLUMNS });
  const bytes = Buffer.from(ROW_TEXT, 'utf8');
  let sink: unknown;
  const [value, limit] = bestRates([
    () => {
      sink = serde.serialize(serde.deserialize(bytes));
    },
    () => {
      sink = Buffer.from(JSON.stringify(JSON.parse(bytes.toString('utf8'))), 'utf8');
    },
  ]) as [number, number];
  if (sink === undefined) throw new Error('the benchmark produced nothing');
  console.log(`row: ${bytes.length} bytes, ${COLUMNS.length} columns`);
  console.log(`RESULT formats.json.serde ${Math.round(value)} rows/s limit=${Math.round(limit)} ratio=${(value / limit).toFixed(3)}`);
  const avro = measureAvroStateless(SCHEMA_FORMAT_EVENTS, SCHEMA_FORMAT_ROUNDS);
  printResult('stateless.filter-project.avro', avro.rate, 'events/s', avro.limit);
  const proto = measureProtobufStateless(SCHEMA_FORMAT_EVENTS, SCHEMA_FORMAT_ROUNDS);
  printResult('stateless.filter-project.protobuf', proto.rate, 'events/s', proto.limit);
}
