import test from 'ava';
import { bindExpression, type BindScope } from '../../src/analyzer/bind-expression.js';
import { coercibleTo, numericTextType } from '../../src/analyzer/coerce-list.js';
import { compileExpression } from '../../src/expr/compile-expression.js';
import type { Row } from '../../src/expr/row.js';
import { createFunctionRegistry } from '../../src/functions/builtin-functions.js';
import { parseExpression } from '../../src/parser/index.js';
import {
  arrayType, BIGINT, BOOLEAN, decimalType, DOUBLE, formatSqlType, INTEGER, mapType, STRING, structType, TIMESTAMP, type SqlType,
} from '../../src/schema/sql-type.js';

const functions = createFunctionRegistry();
const COLUMNS: [string, SqlType][] = [
  ['I', INTEGER], ['B', BIGINT], ['D', DOUBLE], ['S', STRING], ['F', BOOLEAN], ['DEC', decimalType(4, 2)],
  ['ARR', arrayType(BIGINT)], ['M', mapType(STRING, BIGINT)], ['ST', structType([{ name: 'A', type: BIGINT }, { name: 'B', type: BIGINT }])],
];
function scopeFor(clause: string): BindScope {
  return {
    columns: COLUMNS.map(([name, type], index) => ({ name, type, index, source: 'T' })),
    sourceNames: ['T'], windowed: false, clause, functions, lookupType: () => undefined,
  };
}
const row: Row = {
  values: [10, 2147483648n, 11.5, 'hello', true, null, [3n, null], new Map([['a', 1n]]), { A: 5n, B: null }],
  timestamp: 0, partition: 0, offset: 0, headers: [], window: null, nullValue: false,
};

function typeOf(sql: string, clause = 'SELECT'): string {
  const t = bindExpression(parseExpression(sql), scopeFor(clause)).type;
  return t === null ? 'null' : formatSqlType(t);
}

function evaluate(sql: string, clause = 'SELECT'): unknown {
  return compileExpression(bindExpression(parseExpression(sql), scopeFor(clause)))(row);
}

function bindError(sql: string, clause = 'SELECT'): string {
  try {
    bindExpression(parseExpression(sql), scopeFor(clause));
  } catch (err) {
    return (err as Error).message;
  }
  return 'no error';
}

test('an IN list compares in the widest numeric type of the operand and the list', (t) => {
  t.true(evaluate("I IN (1, 2.0, '10')") as boolean);
  t.false(evaluate('I IN (B, 11)') as boolean);
  t.false(evaluate("I IN (1, '2147483648')") as boolean);
  t.true(evaluate('D IN (11.5, I)') as boolean);
});

test('literals of any primitive type coerce to STRING in an IN list, other expressions do not', (t) => {
  t.false(evaluate("S IN (true, 10, 10.30)") as boolean);
  t.true(evaluate("CAST(10.30 AS STRING) IN (true, 10, 10.30)") as boolean);
  t.is(bindError('S IN (10, D)', 'WHERE'),
    'Invalid Predicate: operator does not exist: STRING = DOUBLE (D)\nHint: You might need to add explicit type casts.');
});

test('a STRING literal in an IN list must read as the numeric or boolean type it coerces to', (t) => {
  t.true(evaluate("F IN ('y', false)") as boolean);
  t.is(bindError("F IN (true, 'maybe')", 'WHERE'), 'Invalid Predicate: invalid input syntax for type BOOLEAN: "maybe".');
  t.is(bindError("DEC IN (1, 'one')"), 'Invalid Select: invalid input syntax for type DECIMAL: "one".');
});

test('IN list mismatches name both types and the expression as ksqlDB prints it', (t) => {
  t.is(bindError('I IN (10, true)', 'WHERE'),
    'Invalid Predicate: operator does not exist: INTEGER = BOOLEAN (true)\nHint: You might need to add explicit type casts.');
  t.regex(bindError("M IN (M, MAP('a' := F))", 'WHERE'), /MAP<STRING, BIGINT> = MAP<STRING, BOOLEAN> \(MAP\('a':=F\)\)/);
  t.regex(bindError('ST IN (STRUCT(A := 10), ARRAY[10])', 'WHERE'),
    /STRUCT<`A` BIGINT, `B` BIGINT> = ARRAY<INTEGER> \(ARRAY\[10\]\)/);
  t.regex(bindError("ARR IN (ARR, ARRAY['1', 'x'])", 'WHERE'), /invalid input syntax for type BIGINT: "x"/);
});

test('constructors in an IN list coerce element-wise and structs compare over the union of fields', (t) => {
  t.true(evaluate("ARR IN (ARRAY[1, 2], ARRAY['3', NULL])") as boolean);
  t.true(evaluate("M IN (MAP('a' := 1))") as boolean);
  t.true(evaluate("ST IN (STRUCT(B := 2, A := 4), STRUCT(A := '5'))") as boolean);
  t.false(evaluate('ST IN (STRUCT(A := 5, C := 1))') as boolean);
});

test('array constructors take the common type of their elements, STRING literals included', (t) => {
  t.is(typeOf("ARRAY[NULL, 10, '2e1', I, B]"), 'ARRAY<DECIMAL(19, 0)>');
  const values = (evaluate("ARRAY[NULL, 10, '2e1', I]") as ({ toFixed(): string } | null)[]).map((v) => v?.toFixed() ?? null);
  t.deepEqual(values, [null, '10', '20', '10']);
  t.regex(bindError("ARRAY[1, 'not a number']"), /invalid input syntax for type INTEGER: "not a number"/);
});

test('a STRING literal holding a number has the type of its digits', (t) => {
  t.is(numericTextType('12'), INTEGER);
  t.is(numericTextType('2147483647'), BIGINT);
  t.is(numericTextType(' -9 '), INTEGER);
  t.deepEqual(numericTextType('4.000'), decimalType(4, 3));
  t.deepEqual(numericTextType('0.05'), decimalType(3, 2));
  t.deepEqual(numericTextType('2.5e1'), decimalType(2, 0));
  t.deepEqual(numericTextType('2.50e-1'), decimalType(4, 3));
  t.deepEqual(numericTextType('2e1'), decimalType(2, 0));
  t.is(numericTextType('1x'), undefined);
  t.is(numericTextType('.'), undefined);
});

test('implicit coercion widens numbers, reads STRING as time, and is lax only for literals', (t) => {
  t.is(coercibleTo(INTEGER, BIGINT, false), BIGINT);
  t.is(coercibleTo(BIGINT, INTEGER, false), undefined);
  t.deepEqual(coercibleTo(BIGINT, decimalType(4, 2), false), decimalType(21, 2));
  t.is(coercibleTo(STRING, TIMESTAMP, false), TIMESTAMP);
  t.is(coercibleTo(STRING, INTEGER, false), undefined);
  t.is(coercibleTo(STRING, INTEGER, true), INTEGER);
  t.is(coercibleTo(BOOLEAN, STRING, false), undefined);
  t.is(coercibleTo(BOOLEAN, STRING, true), STRING);
  t.deepEqual(coercibleTo(arrayType(INTEGER), arrayType(DOUBLE), false), arrayType(DOUBLE));
});

test('an unsupported CAST names the clause being compiled', (t) => {
  t.is(bindError('CAST(S AS ARRAY<INTEGER>)'), 'Invalid Select: Cast of STRING to ARRAY<INTEGER> is not supported');
  t.is(bindError('CAST(S AS ARRAY<INTEGER>) IS NULL', 'WHERE'), 'Invalid Predicate: Cast of STRING to ARRAY<INTEGER> is not supported');
});

test('a decimal literal has the type of its digits as DecimalUtil.fromValue gives it: between -1 and 1 with one integral digit', (t) => {
  t.is(typeOf('12.30'), 'DECIMAL(4, 2)');
  t.is(typeOf('0.5'), 'DECIMAL(2, 1)');
  t.is(typeOf('-0.050'), 'DECIMAL(4, 3)');
  t.is(typeOf('0.0'), 'DECIMAL(2, 1)');
  t.is(typeOf('.5'), 'DECIMAL(2, 1)');
  t.is(typeOf('5.'), 'DECIMAL(1, 0)');
  t.is(typeOf("DECIMAL '0.25'"), 'DECIMAL(3, 2)');
});
