import test from 'ava';
import { DEFAULT_PARSE_LIMITS, parseExpression, parseStatements } from '../../src/parser/index.js';

const limits = { maxLength: 2000, maxTokens: 300, maxDepth: 50, maxInList: 20 };

test('a text longer than the bound is refused before it is read, without echoing it', (t) => {
  const sql = `SELECT * FROM S WHERE V = '${'x'.repeat(2000)}';`;
  const error = t.throws(() => parseStatements(sql, { limits }), { message: /^The statement text is 2029 characters long; the server accepts at most 2000 \(ksqlite\.statement\.max\.length\)$/ });
  t.is((error as { statementText?: string }).statementText, undefined);
  t.is((error as { errorCode?: number }).errorCode, 40000);
});

test('a text of more tokens than the bound is refused', (t) => {
  t.throws(() => parseStatements(`SELECT ${Array(200).fill('A').join(', ')} FROM S;`, { limits }), { message: /has 403 tokens; the server accepts at most 300 \(ksqlite\.statement\.max\.tokens\)/ });
});

test('expressions nested deeper than the bound are refused, a long chain of operators as much as parentheses', (t) => {
  t.throws(() => parseStatements(`SELECT ${Array(60).fill('1').join(' + ')} FROM S;`, { limits }), { message: /An expression nests more than 50 levels deep \(ksqlite\.expression\.max\.depth\)/ });
  t.throws(() => parseExpression(`${'ABS('.repeat(60)}1${')'.repeat(60)}`, limits), { message: /more than 50 levels deep/ });
  t.notThrows(() => parseStatements(`SELECT ${Array(40).fill('1').join(' + ')} FROM S;`, { limits }));
});

test('an IN list longer than the bound is refused', (t) => {
  const list = (n: number): string => Array.from({ length: n }, (_, i) => i).join(', ');
  t.throws(() => parseStatements(`SELECT * FROM T WHERE K IN (${list(21)});`, { limits }), { message: /An IN list has 21 values; the server accepts at most 20 \(ksqlite\.expression\.max\.in\.list\)/ });
  t.notThrows(() => parseStatements(`SELECT * FROM T WHERE K IN (${list(20)});`, { limits }));
});

test('the default bounds refuse a 1 MB statement and a chain of 5000 additions at once', (t) => {
  t.throws(() => parseStatements(`SELECT ${Array(500_000).fill('1').join('+')} FROM S;`), { message: /characters long/ });
  t.throws(() => parseStatements(`SELECT ${Array(5000).fill('1').join('+')} FROM S;`), { message: /levels deep/ });
  t.is(DEFAULT_PARSE_LIMITS.maxInList, 1000);
});
