import test from 'ava';
import { bindExpression, type BindScope } from '../../src/analyzer/bind-expression.js';
import { compileExpression, evaluateConstant } from '../../src/expr/compile-expression.js';
import type { Row } from '../../src/expr/row.js';
import { createFunctionRegistry } from '../../src/functions/builtin-functions.js';
import { parseExpression } from '../../src/parser/index.js';
import { Decimal } from '../../src/schema/decimal.js';
import { arrayType, BIGINT, decimalType, DOUBLE, INTEGER, STRING, type SqlType } from '../../src/schema/sql-type.js';

const functions = createFunctionRegistry();
const COLUMNS: [string, SqlType][] = [
  ['I', INTEGER], ['B', BIGINT], ['D', DOUBLE], ['S', STRING], ['N', INTEGER], ['DEC', decimalType(4, 2)], ['ARR', arrayType(INTEGER)],
];
const scope: BindScope = {
  columns: COLUMNS.map(([name, type], index) => ({ name, type, index, source: 'T' })),
  sourceNames: ['T'], windowed: false, clause: 'SELECT', functions, lookupType: () => undefined,
};
const row: Row = {
  values: [2147483647, 9007199254740993n, 1.5, 'abc', null, new Decimal('10.10'), [1, 2, 3]],
  timestamp: 1234, partition: 0, offset: 7, headers: [], window: null, nullValue: false,
};

function evaluate(sql: string): unknown {
  return compileExpression(bindExpression(parseExpression(sql), scope))(row);
}

test('integer arithmetic wraps like Java and division truncates', (t) => {
  t.is(evaluate('I + 1'), -2147483648);
  t.is(evaluate('7 / 2'), 3);
  t.is(evaluate('-7 / 2'), -3);
  t.is(evaluate('-7 % 3'), -1);
});

test('BIGINT keeps every digit and mixes with INTEGER by widening', (t) => {
  t.is(evaluate('B + 1'), 9007199254740994n);
  t.is(evaluate('B - I'), 9007197107257346n);
});

test('division by zero of integers is an error, of doubles infinity', (t) => {
  t.throws(() => evaluate('I / 0'), { message: '/ by zero' });
  t.is(evaluate('D / 0'), Infinity);
});

test('DECIMAL arithmetic keeps the result scale ksqlDB gives', (t) => {
  t.is((evaluate('DEC + DEC') as Decimal).toFixed(), '20.2');
  t.is((evaluate('DEC / 4') as Decimal).toFixed(), '2.525');
  // ksqlDB divides with RoundingMode.UNNECESSARY: a quotient its scale cannot hold exactly fails (reads as NULL).
  t.throws(() => evaluate('DEC / 3'), { message: 'Rounding necessary' });
  t.throws(() => evaluate('DEC / 3.0'), { message: 'Rounding necessary' });
  t.is((evaluate('DEC / 8') as Decimal).toFixed(), '1.2625');
  t.is((evaluate('DEC + 1') as Decimal).toFixed(2), '11.10');
  t.is(evaluate('DEC + D'), 11.6);
});

test('DECIMAL arithmetic over integers, negation and comparisons of computed DECIMALs give the Decimal results', (t) => {
  t.is((evaluate('0.908 * B') as Decimal).toFixed(3), '8178536923304821.644');
  t.is((evaluate('-(DEC * 2.5) + I') as Decimal).toFixed(3), '2147483621.750');
  t.is((evaluate('I * 1.5 - B') as Decimal).toFixed(1), '-9007196033515522.5');
  t.is((evaluate('(DEC + 0.005) * 1.1') as Decimal).toFixed(4), '11.1155');
  t.is((evaluate('DEC % 0.3') as Decimal).toFixed(2), '0.20');
  t.is((evaluate('CAST(I AS DECIMAL(12, 2)) / 2') as Decimal).toFixed(), '1073741823.5');
  t.is(evaluate('DEC * 2 > 20.19'), true);
  t.is(evaluate('DEC * 2 = 20.2'), true);
  t.is(evaluate('DEC * 2 <> 20.20'), false);
  t.throws(() => evaluate('N * 1.5 = 1'), { message: /NULL operand/ });
  t.throws(() => evaluate('DEC / 0'), { message: '/ by zero' });
  t.throws(() => evaluate('-(N * 1.5)'), { message: /NULL operand/ });
  // A value with more fractional digits than its type's scale is still computed exactly.
  const wide: Row = { ...row, values: row.values.map((v, i) => (i === 5 ? new Decimal('10.125') : v)) };
  const evaluateWide = (sql: string): unknown => compileExpression(bindExpression(parseExpression(sql), scope))(wide);
  t.is((evaluateWide('DEC * 2') as Decimal).toFixed(), '20.25');
  t.is((evaluateWide('DEC * 2 / 3') as Decimal).toFixed(), '6.75');
  t.is(evaluateWide('DEC * 2 = 20.2'), false);
});

test('arithmetic with NULL fails and a comparison with NULL is false', (t) => {
  t.throws(() => evaluate('N + 1'), { message: /NULL operand/ });
  t.throws(() => evaluate('-N'), { message: /NULL operand/ });
  t.throws(() => evaluate('TRANSFORM(ARRAY[1, N], (x) => x * 2)'), { message: /NULL operand/ });
  t.is(evaluate('IFNULL(ABS(N + 1), 0)'), 0);
  t.is(evaluate('N = 1'), false);
  t.is(evaluate('1 <> N'), false);
  t.is(evaluate('N < 1'), false);
  t.is(evaluate('NOT (N = 1)'), true);
  t.is(evaluate('N IS NULL'), true);
  t.is(evaluate('N IS DISTINCT FROM 1'), true);
});

test('AND and OR short-circuit like Java and fail on a NULL they reach, as NOT does', (t) => {
  t.is(evaluate('false AND CAST(NULL AS BOOLEAN)'), false);
  t.is(evaluate('true OR CAST(NULL AS BOOLEAN)'), true);
  t.is(evaluate('I > 0 AND S = \'abc\''), true);
  t.is(evaluate('I < 0 OR S = \'x\''), false);
  t.throws(() => evaluate('true AND CAST(NULL AS BOOLEAN)'), { message: /NULL operand/ });
  t.throws(() => evaluate('CAST(NULL AS BOOLEAN) OR true'), { message: /NULL operand/ });
  t.throws(() => evaluate('NOT CAST(NULL AS BOOLEAN)'), { message: /NULL operand/ });
  t.throws(() => evaluate("CASE WHEN CAST(NULL AS BOOLEAN) THEN 'x' END"), { message: /NULL operand/ });
  t.is(evaluate("CASE N WHEN 1 THEN 'x' ELSE 'y' END"), 'y');
});

test('IN, BETWEEN and LIKE follow SQL semantics', (t) => {
  t.is(evaluate('I IN (1, 2147483647)'), true);
  t.is(evaluate('1 IN (2, N)'), false);
  t.is(evaluate('N IN (1, 2)'), false);
  t.is(evaluate('N NOT IN (1, 2)'), true);
  t.is(evaluate('2 NOT BETWEEN 1 AND 3'), false);
  t.is(evaluate('N BETWEEN 1 AND 3'), false);
  t.is(evaluate('2 BETWEEN N AND 3'), false);
  t.is(evaluate('N NOT BETWEEN 1 AND 3'), true);
  t.is(evaluate("S LIKE 'a%'"), true);
  t.is(evaluate("S LIKE '_b_'"), true);
  t.is(evaluate("'a%c' LIKE 'a!%c' ESCAPE '!'"), true);
  t.is(evaluate("S LIKE 'a!%c' ESCAPE '!'"), false);
});

test('LIKE wildcards stop at line terminators, a trailing escape and NULL fail', (t) => {
  t.is(evaluate("'a\nb' LIKE 'a%'"), false);
  t.is(evaluate("'a\nb' LIKE 'a_b'"), false);
  t.is(evaluate("'a.b' LIKE 'a_b'"), true);
  t.is(evaluate("'a(b' LIKE 'a(%'"), true);
  t.throws(() => evaluate("S LIKE 'a!' ESCAPE '!'"), { message: 'LIKE pattern must not end with escape character' });
  t.throws(() => evaluate("CAST(N AS STRING) LIKE 'a%'"), { message: /NULL operand/ });
  t.throws(() => evaluate('S LIKE CAST(N AS STRING)'), { message: /NULL operand/ });
});

test('a STRING compares only with a STRING or a time type, literal or not, as ksqlDB\'s ComparisonUtil checks', (t) => {
  t.throws(() => evaluate("I = '2147483647'"), { message: "Cannot compare I (INTEGER) to '2147483647' (STRING) with EQUAL." });
  t.throws(() => evaluate("'1' < D"), { message: "Cannot compare '1' (STRING) to D (DOUBLE) with LESS_THAN." });
  t.throws(() => evaluate("(I > 0) = 'true'"), { message: "Cannot compare (I > 0) (BOOLEAN) to 'true' (STRING) with EQUAL." });
});

test('CAST of a STRING to BOOLEAN is true for a prefix of true or yes, in any case, and false for anything else', (t) => {
  t.is(evaluate("CAST(' Tr ' AS BOOLEAN)"), true);
  t.is(evaluate("CAST('Y' AS BOOLEAN)"), true);
  t.is(evaluate("CAST('no' AS BOOLEAN)"), false);
  t.is(evaluate("CAST('maybe' AS BOOLEAN)"), false);
  t.is(evaluate("CAST('' AS BOOLEAN)"), false);
  t.is(evaluate("CAST('truer' AS BOOLEAN)"), false);
});

test('a failing CAST, constructor element or nested function call yields NULL in place', (t) => {
  const errors: unknown[] = [];
  const run = (sql: string): unknown => compileExpression(bindExpression(parseExpression(sql), scope), { onError: (e) => errors.push(e) })(row);
  t.is(run("IFNULL(CAST(PARSE_DATE(S, 'yyyy') AS STRING), 'none')"), 'none');
  t.deepEqual(run("ARRAY[PARSE_DATE(S, 'yyyy'), PARSE_DATE('2020', 'yyyy')]"), [null, 18262]);
  t.deepEqual(run("MAP('a' := PARSE_DATE(S, 'yyyy'))"), new Map([['a', null]]));
  t.deepEqual(run("STRUCT(A := PARSE_DATE(S, 'yyyy'))"), { A: null });
  t.is(run("COALESCE(PARSE_DATE(S, 'yyyy'), PARSE_DATE('2020', 'yyyy'))"), 18262);
  t.is(errors.length, 5);
  t.throws(() => run("PARSE_DATE(S, 'yyyy')"), { message: /PARSE_DATE/ });
});

test('CASE picks the first true branch, else ELSE, else NULL', (t) => {
  t.is(evaluate("CASE WHEN N = 1 THEN 'x' WHEN I > 0 THEN 'y' END"), 'y');
  t.is(evaluate("CASE WHEN false THEN 'x' END"), null);
  t.is(evaluate("CASE S WHEN 'abc' THEN 1 ELSE 2 END"), 1);
});

test('CAST converts with Java semantics', (t) => {
  t.is(evaluate('CAST(D AS INTEGER)'), 1);
  t.is(evaluate("CAST('  42 ' AS INT)"), 42);
  t.is(evaluate('CAST(B AS INT)'), 1);
  t.is(evaluate('CAST(D AS STRING)'), '1.5');
  t.is(evaluate('CAST(1e10 AS STRING)'), '1.0E10');
  t.is((evaluate("CAST('1.005' AS DECIMAL(4, 2))") as Decimal).toFixed(2), '1.01');
});

test('a written CAST of a constant is evaluated per record as ksqlDB does: a failure is NULL, reported; only a constant evaluation throws', (t) => {
  const errors: unknown[] = [];
  const f = compileExpression(bindExpression(parseExpression("CAST('x' AS INT)"), scope), { onError: (e) => errors.push(e) });
  t.is(f(row), null);
  t.is(f(row), null);
  t.is(errors.length, 2);
  t.throws(() => evaluateConstant(bindExpression(parseExpression("CAST('x' AS INT)"), scope)), { message: /invalid input syntax for type INTEGER/ });
  t.throws(() => evaluateConstant(bindExpression(parseExpression("ARRAY[CAST('x' AS INT)]"), scope)), { message: /invalid input syntax for type INTEGER/ });
});

test('CAST reads a STRING as base64 BYTES and refuses BYTES to STRING, as ksqlDB\'s CastEvaluator', (t) => {
  t.deepEqual(evaluate("CAST(' AQI= ' AS BYTES)"), Buffer.from([1, 2]));
  t.throws(() => evaluateConstant(bindExpression(parseExpression("CAST('not base64!' AS BYTES)"), scope)), { message: /invalid input syntax for type BYTES/ });
  t.throws(() => evaluate("CAST(X'0102' AS STRING)"), { message: 'Invalid Select: Cast of BYTES to STRING is not supported' });
  t.is(evaluate("CAST(ARRAY[X'01'] AS STRING) IS NULL"), false);
});

test('arrays are 1-based, negative indexes count from the end, out of range is NULL, a NULL index fails', (t) => {
  t.is(evaluate('ARR[1]'), 1);
  t.is(evaluate('ARR[-1]'), 3);
  t.is(evaluate('ARR[4]'), null);
  t.is(evaluate('ARR[0]'), null);
  t.is(evaluate('ARR[-4]'), null);
  t.throws(() => evaluate('ARR[N]'), { message: /NULL operand/ });
  t.deepEqual((evaluate('ARRAY[1, 2.5]') as Decimal[]).map((d) => d.toFixed(1)), ['1.0', '2.5']);
});

test('lambdas see their parameters and the row', (t) => {
  t.deepEqual(evaluate('TRANSFORM(ARR, x => x * 10 + I - I)'), [10, 20, 30]);
  t.deepEqual(evaluate('FILTER(ARR, x => x > 1)'), [2, 3]);
});

test('pseudo columns read the record metadata', (t) => {
  t.is(evaluate('ROWTIME'), 1234n);
  t.is(evaluate('ROWOFFSET'), 7n);
});

test('binding errors are ksqlDB messages', (t) => {
  t.throws(() => evaluate('NOPE + 1'), { message: "Line: 1, Col: 1: SELECT column 'NOPE' cannot be resolved." });
  t.throws(() => evaluate('X.I'), { message: "Failed to prepare statement: 'X' is not a valid stream/table name or alias." });
  t.throws(() => evaluate('ARR < ARR'), { message: 'Cannot compare ARR (ARRAY<INTEGER>) to ARR (ARRAY<INTEGER>) with LESS_THAN.' });
  t.throws(() => evaluate("CASE WHEN true THEN NULL END"), { message: 'Invalid Case expression. All case branches have NULL type' });
});

test('comparisons are checked as ksqlDB checks them: no NULL side, BOOLEAN and containers only for equality', (t) => {
  t.throws(() => evaluate('I = NULL'), { message: "Comparison with NULL not supported: INTEGER = NULL\nUse 'IS NULL' or 'IS NOT NULL' instead." });
  t.throws(() => evaluate('NULL IS DISTINCT FROM S'), { message: /^Comparison with NULL not supported: NULL IS DISTINCT FROM STRING/ });
  t.throws(() => evaluate('(I > 0) < true'), { message: 'Cannot compare (I > 0) (BOOLEAN) to true (BOOLEAN) with LESS_THAN.' });
  t.throws(() => evaluate('ARR IS DISTINCT FROM S'), { message: /with IS_DISTINCT_FROM\.$/ });
  t.is(evaluate('(I > 0) = true'), true);
});

test('any STRING compares with a DATE, TIME or TIMESTAMP, read as one; TIME not with DATE', (t) => {
  t.is(evaluate("CONCAT(S, '') < DATE '2000-01-01'"), false, 'text that is no date reads as NULL');
  t.is(evaluate("SUBSTRING('2020-01-01', 1) = DATE '2020-01-01'"), true);
  t.is(evaluate("SUBSTRING('10:00', 1) < TIME '11:00'"), true);
  t.is(evaluate("SUBSTRING('2020-01-01T10:00:00', 1) > TIMESTAMP '2020-01-01T09:00:00'"), true);
  t.throws(() => evaluate("TIME '10:00' < DATE '2020-01-01'"), { message: /^Cannot compare .* with LESS_THAN\.$/ });
});

test('|| is CONCAT, which skips NULLs, while STRING + STRING writes NULL as "null" as Java does', (t) => {
  t.is(evaluate("S || 'x'"), 'abcx');
  t.is(evaluate('S || CAST(N AS STRING)'), 'abc');
  t.is(evaluate("S + 'x'"), 'abcx');
  t.is(evaluate('S + CAST(N AS STRING)'), 'abcnull');
  t.throws(() => evaluate('S || I'), { message: /^Function 'concat' does not accept parameters \(STRING, INTEGER\)/ });
});

test('a subscript of what is no ARRAY or MAP is refused with ksqlDB\'s message', (t) => {
  t.throws(() => evaluate('I[1]'), { message: 'Subscript expression (I[1]) do not apply to INTEGER.' });
});

test('CASE takes exactly one result type, as ksqlDB types it', (t) => {
  t.is(evaluate('CASE WHEN I > 0 THEN NULL ELSE 2 END'), null);
  t.is(evaluate("CASE S WHEN 'x' THEN 1 WHEN 'abc' THEN 2 END"), 2);
  t.throws(() => evaluate("CASE WHEN I THEN 'x' END"), { message: "WHEN operand type should be boolean.\nType for 'I' is INTEGER" });
  t.throws(() => evaluate('CASE WHEN I > 0 THEN 1 WHEN I < 0 THEN B END'), {
    message: "Invalid Case expression. Type for all 'THEN' clauses should be the same.\n"
      + "THEN expression 'WHEN (I < 0) THEN B' has type: BIGINT.\nPrevious THEN expression(s) type: INTEGER.",
  });
  t.throws(() => evaluate('CASE WHEN I > 0 THEN 1 ELSE 2.5 END'), {
    message: "Invalid Case expression. Type for the default clause should be the same as for 'THEN' clauses.\n"
      + 'THEN type: INTEGER.\nDEFAULT type: DECIMAL(2, 1).',
  });
});

test('a partial date casts to its first day, as ksqlDB completes it, for DATE and TIMESTAMP', (t) => {
  t.is(evaluate("CAST('1970-01' AS DATE)"), 0);
  t.is(evaluate("CAST('1990' AS DATE)"), 7305);
  t.is(evaluate("CAST('1970-01-10' AS DATE)"), 9);
  t.is(evaluate("CAST('1990-01' AS TIMESTAMP)"), 631152000000);
});

test('a MAP constructor refuses no entries, then all NULL keys, then all NULL values, each with its own message', (t) => {
  const see = '(see https://github.com/confluentinc/ksql/issues/4239)';
  t.throws(() => evaluate('MAP()'), { message: `Map constructor cannot be empty. Please supply at least one key value pair ${see}.` });
  t.throws(() => evaluate("MAP(NULL := 1, NULL := 'x')"), {
    message: `Cannot construct a map with all NULL keys ${see}. As a workaround, you may cast a NULL key to the desired type.`,
  });
  t.throws(() => evaluate("MAP('a' := NULL, 'b' := NULL)"), {
    message: `Cannot construct a map with all NULL values ${see}. As a workaround, you may cast a NULL value to the desired type.`,
  });
});
