import test from 'ava';
import {
  arrayType, BIGINT, decimalType, formatSqlType, INTEGER, mapType, sqlTypesEqual, STRING, structType,
} from '../../src/schema/sql-type.js';
import { formatLogicalSchema } from '../../src/schema/logical-schema.js';

test('types print in ksqlDB spelling', (t) => {
  t.is(formatSqlType(decimalType(6, 4)), 'DECIMAL(6, 4)');
  t.is(formatSqlType(mapType(STRING, arrayType(BIGINT))), 'MAP<STRING, ARRAY<BIGINT>>');
  t.is(formatSqlType(structType([{ name: 'A', type: INTEGER }, { name: 'b', type: STRING }])), 'STRUCT<`A` INTEGER, `b` STRING>');
});

test('type equality is structural and respects decimal precision and struct field names', (t) => {
  t.true(sqlTypesEqual(arrayType(decimalType(4, 2)), arrayType(decimalType(4, 2))));
  t.false(sqlTypesEqual(decimalType(4, 2), decimalType(5, 2)));
  t.false(sqlTypesEqual(structType([{ name: 'A', type: INTEGER }]), structType([{ name: 'a', type: INTEGER }])));
  t.false(sqlTypesEqual(INTEGER, BIGINT));
});

test('a logical schema prints keys first with KEY or PRIMARY KEY, then values and headers', (t) => {
  const schema = {
    key: [{ name: 'ID', type: INTEGER, namespace: 'KEY' as const }],
    value: [
      { name: 'NAME', type: STRING, namespace: 'VALUE' as const },
      { name: 'H', type: STRING, namespace: 'HEADERS' as const, headerKey: 'k' },
    ],
  };
  t.is(formatLogicalSchema(schema), "`ID` INTEGER KEY, `NAME` STRING, `H` STRING HEADER('k')");
  t.is(formatLogicalSchema(schema, { primaryKey: true }).split(',')[0], '`ID` INTEGER PRIMARY KEY');
});
