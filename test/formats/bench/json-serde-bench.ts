/**
 * Hand-run micro benchmark (not a test): rows/s of JSON deserialize+serialize
 * of a ~200-byte, 6-column row, against bare JSON.parse + JSON.stringify of the
 * same bytes. Run: npm run build && node dist/test/formats/bench/json-serde-bench.js
 */
import { createSerde } from '../../../src/formats/index.js';
import { BIGINT, decimalType, DOUBLE, INTEGER, STRING, TIMESTAMP } from '../../../src/schema/sql-type.js';
import { valueColumn } from '../columns.js';

const columns = [
  valueColumn('ORDER_ID', BIGINT),
  valueColumn('CUSTOMER_NAME', STRING),
  valueColumn('PRICE', decimalType(10, 2)),
  valueColumn('QUANTITY', INTEGER),
  valueColumn('DISCOUNT_RATIO', DOUBLE),
  valueColumn('ORDER_TIME', TIMESTAMP),
];
const exact =
  '{"ORDER_ID":1234567890123,"CUSTOMER_NAME":"Alice Wonderland of the Looking Glass Street 42",' +
  '"PRICE":1234.56,"QUANTITY":17,"DISCOUNT_RATIO":0.125,"ORDER_TIME":1700000000123,"NOTE":"unused extra field here"}';
const lower = exact.replace(/"([A-Z_]+)":/g, (_m, k: string) => `"${k.toLowerCase()}":`);

/** Best rate of `fn` over one round. */
function rate(fn: () => void, perRound: number): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < perRound; i++) fn();
  return perRound / (Number(process.hrtime.bigint() - start) / 1e9);
}

/** Interleaves rounds of the candidates (the machine is shared and noisy) and keeps each one's best. */
function compare(candidates: Record<string, () => void>, rounds = 12, perRound = 100_000): Record<string, number> {
  const best: Record<string, number> = {};
  for (const [name, fn] of Object.entries(candidates)) {
    for (let i = 0; i < 50_000; i++) fn();
    best[name] = 0;
  }
  for (let r = 0; r < rounds; r++) {
    for (const [name, fn] of Object.entries(candidates)) best[name] = Math.max(best[name]!, rate(fn, perRound));
  }
  for (const [name, value] of Object.entries(best)) {
    console.log(`${name.padEnd(46)} ${Math.round(value).toLocaleString('en-US').padStart(12)} rows/s`);
  }
  return best;
}

const serde = createSerde({ format: 'JSON', target: 'value', columns });
let sink: unknown;
for (const [label, text] of [['exact-case keys', exact], ['lower-case keys', lower]] as const) {
  const bytes = Buffer.from(text, 'utf8');
  console.log(`${label}: ${bytes.length} bytes`);
  const result = compare({
    'bare JSON.parse + JSON.stringify (Buffer io)': () => {
      sink = Buffer.from(JSON.stringify(JSON.parse(bytes.toString('utf8'))), 'utf8');
    },
    'serde.deserialize + serde.serialize': () => {
      sink = serde.serialize(serde.deserialize(bytes));
    },
  });
  const values = Object.values(result);
  console.log(`ratio bare/ours: ${(values[0]! / values[1]!).toFixed(2)}x\n`);
}
const big = Buffer.from(exact.replace('1234567890123', '12345678901234567'), 'utf8');
compare({
  'serde round trip, 17-digit BIGINT (slow path)': () => {
    sink = serde.serialize(serde.deserialize(big));
  },
});
void sink;
