import test from 'ava';
import fc from 'fast-check';
import { createSerde, DeserializationError } from '../../../src/formats/index.js';
import { Decimal } from '../../../src/schema/decimal.js';
import {
  BIGINT, BOOLEAN, BYTES, DATE, decimalType, DOUBLE, formatSqlType, INTEGER, STRING, structType, TIME, TIMESTAMP, type SqlType,
} from '../../../src/schema/sql-type.js';
import { valueColumn } from '../columns.js';

/**
 * The parsed path: a serde made for the one record has learned no keys, so it
 * reads the record's text with JSON.parse (or Jackson's reading of what
 * JSON.parse refuses) and the fields reader; a failure's detail as the
 * deserializer words it.
 */
function parsedPath(fields: readonly { name: string; type: SqlType }[]): (bytes: Buffer) => { row: unknown[] | null } | { detail: string } {
  const columns = fields.map((f) => valueColumn(f.name, f.type));
  return (bytes) => {
    try {
      return { row: createSerde({ format: 'JSON', target: 'value', columns }).deserialize(bytes) };
    } catch (error) {
      if (!(error instanceof DeserializationError)) throw error;
      return { detail: error.detail };
    }
  };
}

/** A value's text that tells apart what equality must: bigint from number, -0 from 0, a Decimal's digits and scale, bytes. */
function canonical(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (value instanceof Decimal) return `D${value.toFixed()}`;
  if (Buffer.isBuffer(value)) return `B${value.toString('base64')}`;
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  return JSON.stringify(value) ?? 'undefined';
}

const scalarType: fc.Arbitrary<SqlType> = fc.oneof(
  fc.constantFrom(BOOLEAN, INTEGER, BIGINT, DOUBLE, STRING, BYTES, DATE, TIME, TIMESTAMP),
  fc.integer({ min: 1, max: 20 }).chain((precision) => fc.integer({ min: 0, max: precision }).map((scale) => decimalType(precision, scale))),
);

const columnName = fc.constantFrom('A', 'B', 'PRICE', 'price', 'C_1', '__proto__', '1', 'é');

/** JSON text of a scalar, as producers write them (and some they should not). */
const scalarText: fc.Arbitrary<string> = fc.oneof(
  fc.integer().map(String),
  fc.double().map((d) => JSON.stringify(d)),
  fc.bigInt({ min: -(10n ** 22n), max: 10n ** 22n }).map(String),
  fc.constantFrom('0', '-0', '1.0', '2.50', '1e5', '1E+2', '-3.25e-2', '123456789012345', '1234567890123456', '0.1234567890123456',
    '9007199254740993', '-9223372036854775809', '01', '1.', '.5', '-', '+1', 'NaN', '1e'),
  fc.constantFrom('true', 'false', 'null', 'nul', 'tru', 'falsey'),
  fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('', 'hé', '日本', '😀', '12345678901234567890', 'AAEC', '2024-01-01'))
    .map((s) => JSON.stringify(s)),
  fc.constantFrom('"a\\"b"', '"\\u00e9\\n"', '"\\\\"', '"\\\\\\""', '"tab\there"', '"\\x"', '"\\u12"', '"abc', '{}', '[1]', '{"x":1}', '[]'),
);

/** JSON text of a value that mostly fits `type` (so that whole records read), sometimes of any scalar. */
function textFor(type: SqlType | undefined): fc.Arbitrary<string> {
  const anything = { weight: 1, arbitrary: scalarText };
  const fits = (arbitrary: fc.Arbitrary<string>) => fc.oneof({ weight: 4, arbitrary }, anything);
  switch (type?.kind) {
    case 'BOOLEAN':
      return fits(fc.constantFrom('true', 'false', 'null'));
    case 'INTEGER':
    case 'DATE':
    case 'TIME':
      return fits(fc.oneof(fc.integer({ min: 0, max: 86_400_000 }).map(String), fc.constantFrom('-0', '1.5', '1e2', '"12"', 'null')));
    case 'BIGINT':
    case 'TIMESTAMP':
      return fits(fc.oneof(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String), fc.constantFrom('-0', '1.5e3', '"123"', '-12.75')));
    case 'DOUBLE':
      return fits(fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)), fc.constantFrom('-0', '1e308', '"1.5"', '2')));
    case 'DECIMAL': {
      const { precision, scale } = type;
      const digits = (n: number) => fc.array(fc.constantFrom(...'0123456789'), { minLength: 1, maxLength: Math.max(1, n) }).map((d) => d.join(''));
      const number = fc.tuple(fc.boolean(), digits(precision - scale), digits(scale)).map(([negative, whole, fraction]) =>
        `${negative ? '-' : ''}${String(BigInt(whole))}${scale > 0 ? `.${fraction}` : ''}`);
      return fits(fc.oneof(number, fc.constantFrom('-0', '0.0', '1')));
    }
    case 'BYTES':
      return fits(fc.uint8Array({ maxLength: 8 }).map((b) => JSON.stringify(Buffer.from(b).toString('base64'))));
    default:
      return fits(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('a\b\n', '"q"', 'a\\b', '\\"', 'x\\\\"y\\', '\\', 'é', '\u0000')).map((x) => JSON.stringify(x)));
  }
}

const space = fc.constantFrom('', '', '', ' ', '\n', '\t ', '\r\n');

/** A record: its keys (some of them case variants of the columns'), or the keys of the record before; values and spaces. */
type Parts = { keys: string[] | 'repeat'; values: [string, string, string, string, string][]; around: [string, string] };

function recordParts(fields: readonly { name: string; type: SqlType }[]): fc.Arbitrary<Parts> {
  const names = fields.map((f) => f.name);
  const key = fc.oneof(fc.constantFrom(...names), fc.constantFrom(...names).map((n) => n.toLowerCase()), fc.constantFrom('other', 'A', 'a', '"q', 'x\\y'));
  const typeOf = (k: string) => fields.find((f) => f.name === k)?.type ?? fields.find((f) => f.name === k.toUpperCase())?.type;
  const entry = (k: string) => fc.tuple(space, space, space, textFor(typeOf(k)), space);
  // Records mostly repeat the keys of the one before, as a topic's do: that is when the bytes are read. Values are
  // drawn for each name the record may hold and picked by key when the text is made.
  const byName = fc.tuple(...[...names, ...names.map((n) => n.toLowerCase()), 'other', 'A', 'a', '"q', 'x\\y'].map(entry));
  return fc.record({
    keys: fc.oneof(fc.array(key, { maxLength: 6 }), fc.constant('repeat' as const), fc.constant('repeat' as const)),
    values: byName,
    around: fc.tuple(space, space),
  }) as fc.Arbitrary<Parts>;
}

function recordText(names: readonly string[], keys: readonly string[], values: readonly [string, string, string, string, string][], around: [string, string]): string {
  const all = [...names, ...names.map((n) => n.toLowerCase()), 'other', 'A', 'a', '"q', 'x\\y'];
  const entries = keys.map((k) => {
    const [s1, s2, s3, v, s4] = values[all.indexOf(k)]!;
    return `${s1}${JSON.stringify(k)}${s2}:${s3}${v}${s4}`;
  });
  return `${around[0]}{${entries.join(',')}}${around[1]}`;
}

/** Byte-level damage: a truncation, a stray byte (invalid UTF-8 or a raw control character), garbage after the object. */
const damage = fc.oneof(
  { weight: 6, arbitrary: fc.constant((b: Buffer) => b) },
  { weight: 1, arbitrary: fc.nat().map((n) => (b: Buffer) => b.subarray(0, n % (b.length + 1))) },
  { weight: 1, arbitrary: fc.tuple(fc.nat(), fc.constantFrom(0x80, 0xc3, 0xe2, 0xff, 0x01, 0x1f, 0x7f)).map(([n, byte]) => (b: Buffer) => {
    const at = n % (b.length + 1);
    return Buffer.concat([b.subarray(0, at), Buffer.from([byte]), b.subarray(at)]);
  }) },
  { weight: 1, arbitrary: fc.constantFrom(' x', ',', '}', '\u0000').map((tail) => (b: Buffer) => Buffer.concat([b, Buffer.from(tail)])) },
);

test('rows read from their bytes equal the parsed path\'s, and records it refuses fail with the same detail', (t) => {
  const fields = fc.uniqueArray(fc.record({ name: columnName, type: scalarType }), { selector: (f) => f.name, minLength: 1, maxLength: 5 });
  const scenario = fields.chain((fs) => fc.tuple(fc.constant(fs), fc.array(fc.tuple(recordParts(fs), damage), { minLength: 1, maxLength: 12 })));
  fc.assert(
    fc.property(scenario, ([fs, records]) => {
      const serde = createSerde({ format: 'JSON', target: 'value', columns: fs.map((f) => valueColumn(f.name, f.type)) });
      const expected = parsedPath(fs);
      let lastKeys: string[] = [];
      for (const [{ keys, values, around }, damaged] of records) {
        if (keys !== 'repeat') lastKeys = keys;
        const bytes = damaged(Buffer.from(recordText(fs.map((f) => f.name), lastKeys, values, around)));
        const want = expected(bytes);
        let got: { row: unknown[] | null } | { detail: string };
        try {
          got = { row: serde.deserialize(bytes) };
        } catch (error) {
          if (!(error instanceof DeserializationError)) throw error;
          got = { detail: error.detail };
        }
        const same = 'row' in want && 'row' in got ? canonical(want.row) === canonical(got.row) : 'detail' in want && 'detail' in got && want.detail === got.detail;
        if (!same) throw new Error(`${JSON.stringify(bytes.toString('latin1'))}: ${'row' in got ? canonical(got.row) : got.detail} != ${'row' in want ? canonical(want.row) : want.detail}`);
      }
    }),
    { numRuns: 3000 },
  );
  t.pass();
});

test('a record with the keys of the last one and values the bytes cannot hold is read by the parsed path', (t) => {
  const serde = createSerde({ format: 'JSON', target: 'value', columns: [valueColumn('ID', BIGINT), valueColumn('NAME', STRING)] });
  t.deepEqual(serde.deserialize(Buffer.from('{"id":1,"name":"a"}')), [1n, 'a']);
  t.deepEqual(serde.deserialize(Buffer.from('{"id":1234567890123456789,"name":"a"}')), [1234567890123456789n, 'a']);
  t.deepEqual(serde.deserialize(Buffer.from('{"id":2,"name":"h\\u00e9 \\"x\\""}')), [2n, 'hé "x"']);
  t.deepEqual(serde.deserialize(Buffer.from('{"id":3,"name":{"x":1}}')), [3n, '{"x":1}']);
  const error = t.throws(() => serde.deserialize(Buffer.from('{"id":"x","name":"a"}')), { instanceOf: DeserializationError });
  t.is(error.detail, "Can't coerce string to type. targetType: BIGINT, path: $.ID");
});
