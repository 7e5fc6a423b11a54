import test from 'ava';
import { KsqlError } from '../../src/common/errors.js';
import { parseExpression, printExpression, type Expression } from '../../src/parser/index.js';
import { stripLocations } from './helpers.js';

const pinned = (sql: string) => printExpression(parseExpression(sql));

const PRECEDENCE: readonly [string, string][] = [
  ['1 + 2 * 3', '(1 + (2 * 3))'],
  ['1 * 2 + 3', '((1 * 2) + 3)'],
  ['a - b - c', '((A - B) - C)'],
  ['a / b % c', '((A / B) % C)'],
  ['-a * b', '((-(A)) * B)'],
  ['-5 * b', '(-5 * B)'],
  ['a - -5', '(A - -5)'],
  ['- (5)', '(-(5))'],
  ['a || b + c', '(A || (B + C))'],
  ['a + b = c', '((A + B) = C)'],
  ['a = b AND c <> d OR e', '(((A = B) AND (C <> D)) OR E)'],
  ['a OR b AND c', '(A OR (B AND C))'],
  ['NOT a AND b', '((NOT A) AND B)'],
  ['NOT a = b', '(NOT (A = B))'],
  ['a != b', '(A <> B)'],
  ['a BETWEEN 1 AND 2 AND b', '((A BETWEEN 1 AND 2) AND B)'],
  ['a NOT BETWEEN b + 1 AND c', '(A NOT BETWEEN (B + 1) AND C)'],
  ['a IS NOT NULL OR b IS NULL', '((A IS NOT NULL) OR (B IS NULL))'],
  ['a IS NOT DISTINCT FROM b + 1', '(A IS NOT DISTINCT FROM (B + 1))'],
  ["a NOT LIKE 'x!%' ESCAPE '!'", "(A NOT LIKE 'x!%' ESCAPE '!')"],
  ['a NOT IN (1, b + 1)', '(A NOT IN (1, (B + 1)))'],
  ['a[1]->b[2]', 'A[1]->B[2]'],
  ['a->b->c', 'A->B->C'],
  ['(a + b)[1]', '(A + B)[1]'],
  ['s.col + 1', '(S.COL + 1)'],
];

for (const [sql, expected] of PRECEDENCE) {
  test(`precedence: ${sql} groups as ${expected}`, (t) => {
    t.is(pinned(sql), expected);
  });
}

test('integers that fit in 32 bits are INTEGER literals, larger ones BIGINT, with the minus folded in', (t) => {
  t.like(parseExpression('2147483647'), { kind: 'IntegerLiteral', value: 2147483647 });
  t.like(parseExpression('2147483648'), { kind: 'BigIntLiteral', value: 2147483648n });
  t.like(parseExpression('-2147483648'), { kind: 'IntegerLiteral', value: -2147483648 });
  t.like(parseExpression('-9223372036854775808'), { kind: 'BigIntLiteral', value: -9223372036854775808n });
});

test('an integer beyond 64 bits is rejected as an invalid numeric literal', (t) => {
  const e = t.throws(() => parseExpression('9223372036854775808'), { instanceOf: KsqlError });
  t.regex(e.message, /Invalid numeric literal: 9223372036854775808/);
});

test('a number with a point is a DECIMAL literal keeping every digit; with an exponent a DOUBLE', (t) => {
  t.like(parseExpression('1.50'), { kind: 'DecimalLiteral', text: '1.50' });
  t.like(parseExpression('-.5'), { kind: 'DecimalLiteral', text: '-.5' });
  t.like(parseExpression('12345678901234567890.123456789'), { kind: 'DecimalLiteral', text: '12345678901234567890.123456789' });
  t.like(parseExpression('1.5e3'), { kind: 'DoubleLiteral', value: 1500, text: '1.5e3' });
  t.like(parseExpression('1E-2'), { kind: 'DoubleLiteral', value: 0.01 });
});

test('a DOUBLE literal out of range is rejected', (t) => {
  t.throws(() => parseExpression('1.8E308'), { instanceOf: KsqlError, message: /Number overflows DOUBLE/ });
});

test("strings unescape '' and keep everything else as written", (t) => {
  t.like(parseExpression("'it''s -- not a comment'"), { kind: 'StringLiteral', value: "it's -- not a comment" });
  t.like(parseExpression("''"), { kind: 'StringLiteral', value: '' });
});

test('typed literals and bytes literals are recognized', (t) => {
  t.like(parseExpression("DATE '2020-01-02'"), { kind: 'TypedLiteral', typeName: 'DATE', value: '2020-01-02' });
  t.like(parseExpression("timestamp '2020-01-02T03:04:05'"), { kind: 'TypedLiteral', typeName: 'TIMESTAMP' });
  t.like(parseExpression("TIME '10:00'"), { kind: 'TypedLiteral', typeName: 'TIME' });
  t.like(parseExpression("DECIMAL '1.23'"), { kind: 'TypedLiteral', typeName: 'DECIMAL', value: '1.23' });
  t.like(parseExpression("X'0AfF'"), { kind: 'BytesLiteral', hex: '0aff' });
  t.throws(() => parseExpression("X'0'"), { instanceOf: KsqlError });
});

test('unquoted identifiers are upper-cased; quoted and back-quoted ones keep their case', (t) => {
  t.like(parseExpression('myCol'), { kind: 'ColumnRef', name: 'MYCOL', source: undefined });
  t.like(parseExpression('"myCol"'), { kind: 'ColumnRef', name: 'myCol' });
  t.like(parseExpression('`my``Col`'), { kind: 'ColumnRef', name: 'my`Col' });
  t.like(parseExpression('"a""b"'), { kind: 'ColumnRef', name: 'a"b' });
  t.like(parseExpression('src.`x`'), { kind: 'ColumnRef', source: 'SRC', name: 'x' });
});

test('non-reserved keywords serve as identifiers', (t) => {
  for (const word of ['KEY', 'TYPE', 'SESSION', 'SHOW', 'TABLES', 'ID', 'TIMESTAMP', 'DATE', 'HEADERS', 'EMIT']) {
    t.like(parseExpression(word.toLowerCase()), { kind: 'ColumnRef', name: word }, word);
  }
});

test('reserved keywords are not identifiers unless quoted', (t) => {
  t.throws(() => parseExpression('select + 1'), { instanceOf: KsqlError });
  t.like(parseExpression('`SELECT` + 1'), { kind: 'ArithmeticBinary' });
});

test('constructors: ARRAY[...], MAP(k := v), STRUCT(f := v)', (t) => {
  const a = parseExpression('ARRAY[1, 2]');
  t.like(a, { kind: 'ArrayConstructor' });
  t.is((a as Extract<Expression, { kind: 'ArrayConstructor' }>).elements.length, 2);
  t.like(parseExpression('ARRAY[]'), { kind: 'ArrayConstructor', elements: [] });
  t.deepEqual(stripLocations(parseExpression("MAP('a' := 1)")), {
    kind: 'MapConstructor',
    entries: [{ key: { kind: 'StringLiteral', value: 'a' }, value: { kind: 'IntegerLiteral', value: 1 } }],
  });
  t.deepEqual(stripLocations(parseExpression('STRUCT(f1 := 1, `f2` := NULL)')), {
    kind: 'StructConstructor',
    fields: [
      { name: 'F1', value: { kind: 'IntegerLiteral', value: 1 } },
      { name: 'f2', value: { kind: 'NullLiteral' } },
    ],
  });
});

test('COUNT(*) is a call with no arguments marked star; COUNT() is not', (t) => {
  t.like(parseExpression('count(*)'), { kind: 'FunctionCall', name: 'COUNT', args: [], star: true });
  t.like(parseExpression('COUNT()'), { kind: 'FunctionCall', name: 'COUNT', args: [], star: false });
});

test('lambda parameters become lambda variables inside the body only', (t) => {
  const e = parseExpression('TRANSFORM(arr, x => x + y, (k, v) => k)');
  t.deepEqual(stripLocations(e), {
    kind: 'FunctionCall',
    name: 'TRANSFORM',
    star: false,
    args: [
      { kind: 'ColumnRef', source: undefined, name: 'ARR' },
      {
        kind: 'Lambda',
        params: ['X'],
        body: {
          kind: 'ArithmeticBinary',
          operator: '+',
          left: { kind: 'LambdaVariable', name: 'X' },
          right: { kind: 'ColumnRef', source: undefined, name: 'Y' },
        },
      },
      { kind: 'Lambda', params: ['K', 'V'], body: { kind: 'LambdaVariable', name: 'K' } },
    ],
  });
});

test('a plural time unit as a function argument is an interval unit; a singular one is a column', (t) => {
  const e = parseExpression('TIMESTAMPADD(MILLISECONDS, 5, ts)') as Extract<Expression, { kind: 'FunctionCall' }>;
  t.like(e.args[0], { kind: 'IntervalUnit', unit: 'MILLISECONDS' });
  const s = parseExpression('F(SECOND, 1)') as Extract<Expression, { kind: 'FunctionCall' }>;
  t.like(s.args[0], { kind: 'ColumnRef', name: 'SECOND' });
});

test('CASE: searched and simple forms', (t) => {
  t.like(parseExpression("CASE WHEN a > 1 THEN 'x' ELSE 'y' END"), { kind: 'SearchedCase', whens: [{ kind: 'WhenClause' }] });
  t.like(parseExpression("CASE a WHEN 1 THEN 'x' WHEN 2 THEN 'z' END"), { kind: 'SimpleCase', otherwise: undefined });
});

test('CAST keeps built-in types as SqlType and custom names as NamedType', (t) => {
  t.deepEqual(stripLocations(parseExpression('CAST(a AS DECIMAL(10, 2))')), {
    kind: 'Cast',
    operand: { kind: 'ColumnRef', source: undefined, name: 'A' },
    type: { kind: 'DECIMAL', precision: 10, scale: 2 },
  });
  t.deepEqual((parseExpression('CAST(a AS ARRAY<MAP<VARCHAR, INT>>)') as Extract<Expression, { kind: 'Cast' }>).type, {
    kind: 'ARRAY',
    element: { kind: 'MAP', key: { kind: 'STRING' }, value: { kind: 'INTEGER' } },
  });
  t.deepEqual((parseExpression('CAST(a AS ARRAY<address>)') as Extract<Expression, { kind: 'Cast' }>).type, {
    kind: 'ArrayTypeNode',
    element: { kind: 'NamedType', name: 'ADDRESS' },
  });
});

test('comments are skipped wherever whitespace may go', (t) => {
  t.is(pinned('1 /* one */ + -- plus\n 2'), '(1 + 2)');
});

test('locations point at the source text', (t) => {
  const e = parseExpression('a +\n  foo(b)');
  t.deepEqual(e.location, { line: 1, column: 1, offset: 0, length: 12 });
  const call = (e as Extract<Expression, { kind: 'ArithmeticBinary' }>).right;
  t.deepEqual(call.location, { line: 2, column: 3, offset: 6, length: 6 });
});

test('printing then parsing gives back the same expression', (t) => {
  const samples = [
    "CASE WHEN a IS NULL THEN -1 WHEN NOT b THEN c[1] ELSE MAP('k' := ARRAY[1.5, 2e3]) END",
    "FILTER(m, (k, v) => v LIKE '%x' ESCAPE '!' AND k IN ('a', 'b'))",
    "STRUCT(`lower` := x->y, \"Key\" := DATE '2020-01-01')->`lower`",
    '`map`(1) + `MAP`(2) - -(-(3))',
    "X'00' || 'it''s'",
  ];
  for (const s of samples) {
    const e = parseExpression(s);
    t.deepEqual(stripLocations(parseExpression(printExpression(e))), stripLocations(e), s);
  }
});
