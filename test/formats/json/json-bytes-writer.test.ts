import test from 'ava';
import fc from 'fast-check';
import { compileFieldsBytesWriter, compileJsonBytesWriter } from '../../../src/formats/json/json-bytes-writer.js';
import { compileFieldsWriter, compileJsonWriter } from '../../../src/formats/json/json-writer.js';
import { Decimal } from '../../../src/schema/decimal.js';
import {
  arrayType, BIGINT, BOOLEAN, BYTES, DATE, decimalType, DOUBLE, INTEGER, mapType, STRING, structType, TIME, TIMESTAMP,
  type SqlType, type StructField,
} from '../../../src/schema/sql-type.js';

// Field names and strings: ASCII, escapes, non-ASCII, astral characters and lone surrogates.
const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('', '"', '\\', '\u0000\u001f\u007f', '\b\f\n\r\t', 'hé', '日本', '😀', '\ud800', 'a\udc00b', '\u2028\u2029'),
);
const name = fc.oneof(fc.constantFrom('A', 'B_1', 'price', '__proto__', 'constructor'), text);

const scalar: fc.Arbitrary<SqlType> = fc.oneof(
  fc.constantFrom(BOOLEAN, INTEGER, BIGINT, DOUBLE, STRING, BYTES, DATE, TIME, TIMESTAMP),
  fc.integer({ min: 1, max: 30 }).chain((precision) => fc.integer({ min: 0, max: precision }).map((scale) => decimalType(precision, scale))),
);

function fieldsOf(types: fc.Arbitrary<SqlType>): fc.Arbitrary<StructField[]> {
  return fc.uniqueArray(fc.record({ name, type: types }), { selector: (f) => f.name, maxLength: 5 });
}

const sqlType: fc.Arbitrary<SqlType> = fc.letrec<{ type: SqlType }>((tie) => ({
  type: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    tie('type').map((element) => arrayType(element)),
    tie('type').map((value) => mapType(STRING, value)),
    fieldsOf(tie('type')).map((fields) => structType(fields)),
  ),
})).type;

/** A runtime value of `type`, NULL included. */
function valueOf(type: SqlType): fc.Arbitrary<unknown> {
  return fc.option(nonNullValueOf(type), { nil: null, freq: 6 });
}

function nonNullValueOf(type: SqlType): fc.Arbitrary<unknown> {
  switch (type.kind) {
    case 'BOOLEAN': return fc.boolean();
    case 'INTEGER': return fc.integer();
    case 'BIGINT': return fc.oneof(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.bigInt({ min: -(2n ** 54n), max: 2n ** 54n }));
    case 'DOUBLE': return fc.double();
    case 'DECIMAL': {
      const bound = 10n ** BigInt(type.precision) - 1n;
      return fc.bigInt({ min: -bound, max: bound }).map((unscaled) => new Decimal(`${unscaled}e-${type.scale}`));
    }
    case 'STRING': return fc.oneof({ weight: 9, arbitrary: text }, { weight: 1, arbitrary: fc.string({ minLength: 3000, maxLength: 9000 }) });
    case 'BYTES': return fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes));
    case 'DATE': return fc.integer({ min: -1_000_000, max: 1_000_000 });
    case 'TIME': return fc.integer({ min: 0, max: 86_399_999 });
    case 'TIMESTAMP': return fc.integer({ min: 0, max: 2 ** 45 });
    case 'ARRAY': return fc.array(valueOf(type.element), { maxLength: 4 });
    case 'MAP': return fc.array(fc.tuple(text, valueOf(type.value)), { maxLength: 4 }).map((entries) => new Map(entries));
    case 'STRUCT':
      // A struct may lack a field (written as null) and hold others.
      return fc.tuple(...type.fields.map((f) => fc.option(valueOf(f.type), { nil: undefined })), fc.dictionary(fc.string(), fc.integer(), { maxKeys: 2 }))
        .map(([...parts]) => {
          const extra = parts.pop() as Record<string, number>;
          const obj: Record<string, unknown> = { ...extra };
          type.fields.forEach((f, i) => {
            if (parts[i] === undefined) delete obj[f.name];
            else Object.defineProperty(obj, f.name, { value: parts[i], enumerable: true, writable: true, configurable: true });
          });
          return obj;
        });
  }
}

const rowsOfSchema = fieldsOf(sqlType).chain((fields) =>
  fc.tuple(fc.constant(fields), fc.array(fc.tuple(...fields.map((f) => valueOf(f.type))), { minLength: 1, maxLength: 8 })));

test('a row of any schema is written as the bytes of the text writer', (t) => {
  fc.assert(
    fc.property(rowsOfSchema, ([fields, rows]) => {
      const bytes = compileFieldsBytesWriter(fields);
      const textWriter = compileFieldsWriter(fields);
      const written = rows.map((row) => bytes(row));
      // Compared after every record of the schema was written: a later record never changes an earlier one.
      rows.forEach((row, i) => {
        const expected = Buffer.from(textWriter(row));
        if (!written[i]!.equals(expected)) throw new Error(`${written[i]!.toString()} != ${expected.toString()}`);
      });
    }),
    { numRuns: 400 },
  );
  t.pass();
});

test('a single value of any type is written as the bytes of the text writer', (t) => {
  fc.assert(
    fc.property(sqlType.chain((type) => fc.tuple(fc.constant(type), valueOf(type))), ([type, value]) => {
      const expected = Buffer.from(compileJsonWriter(type)(value));
      const written = compileJsonBytesWriter(type)(value);
      if (!written.equals(expected)) throw new Error(`${written.toString()} != ${expected.toString()}`);
    }),
    { numRuns: 400 },
  );
  t.pass();
});

test('records written one after another are distinct views, whatever their size', (t) => {
  const write = compileFieldsBytesWriter([{ name: 'S', type: STRING }]);
  const strings = [100, 5000, 20_000, 7, 8000, 3].map((n, i) => String.fromCharCode(97 + i).repeat(n));
  const written = strings.map((s) => write([s]));
  t.deepEqual(written.map((b) => b.toString()), strings.map((s) => `{"S":"${s}"}`));
});

test('a record that failed half-way leaves nothing in the next one', (t) => {
  const write = compileFieldsBytesWriter([{ name: 'S', type: STRING }, { name: 'L', type: BIGINT }]);
  t.throws(() => write(['abc', { toString: () => { throw new Error('no text'); } }]));
  t.is(write(['x', 1n]).toString(), '{"S":"x","L":1}');
});
