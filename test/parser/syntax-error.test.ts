import test from 'ava';
import { KsqlError } from '../../src/common/errors.js';
import { parseExpression, parseStatements } from '../../src/parser/index.js';

function errorOf(sql: string, testStatements = false): KsqlError {
  try {
    parseStatements(sql, { testStatements });
  } catch (e) {
    if (e instanceof KsqlError) return e;
    throw new Error(`not a KsqlError: ${String(e)}`);
  }
  throw new Error(`parsed: ${sql}`);
}

test('a syntax error is a BAD_STATEMENT KsqlError with its position, details and a caret', (t) => {
  const e = errorOf('SELECT * FROM s WHERE;');
  t.is(e.code, 'BAD_STATEMENT');
  t.is(e.errorCode, 40001);
  t.deepEqual(e.position, { line: 1, column: 22 });
  const lines = e.message.split('\n');
  t.is(lines[0], 'line 1:22: Syntax Error');
  t.regex(lines[1]!, /^Expecting \{.*IDENTIFIER\}$/);
  t.is(lines[2], 'Statement: SELECT * FROM s WHERE;');
  t.is(lines[3], 'SELECT * FROM s WHERE;');
  t.is(lines[4], ' '.repeat(21) + '^');
});

test('an unknown first word is reported as an unknown statement', (t) => {
  t.regex(errorOf('FOO BAR;').message, /^line 1:1: Syntax Error\nUnknown statement 'FOO'/);
  t.regex(errorOf("SHOW STREAMS; RUN SCRIPT 'x';").message, /^line 1:15: Syntax Error\nUnknown statement 'RUN'/);
});

test('a missing closing token is reported as missing', (t) => {
  t.regex(errorOf('SELECT COUNT(*) FROM s GROUP BY a, (b, c);').message, /missing '\)' at ','/);
});

test('an extra token before the expected one is reported as extraneous', (t) => {
  t.regex(errorOf('DESCRIBE FUNCTION ( foo').message, /Syntax Error/);
  t.regex(errorOf("CREATE STREAM s (a INT,, b INT) WITH (kafka_topic='x');").message, /Syntax Error/);
  t.regex(errorOf('SELECT CAST(a AS INT ) ) FROM s;').message, /Syntax Error/);
  t.regex(errorOf('INSERT INTO s (a) VALUES (1 1);').message, /extraneous input '1' expecting|Expecting/);
});

test('a reserved word where a name goes is called out', (t) => {
  const e = errorOf('SELECT select FROM s;');
  t.regex(e.message, /Syntax error at or near 'select' at line 1:8/);
  t.regex(e.message, /reserved keyword/);
});

test('the error position counts lines across the whole script', (t) => {
  const e = errorOf("SHOW STREAMS;\nCREATE STREAM x AS SELECT cast(f0 as NULL) FROM y;");
  t.deepEqual(e.position, { line: 2, column: 38 });
  t.regex(e.message, /Syntax error at or near 'NULL' at line 2:38/);
});

test('a statement cut short is reported at the end of the input', (t) => {
  const e = errorOf('SELECT * FROM');
  t.deepEqual(e.position, { line: 1, column: 14 });
  t.regex(e.message, /Expecting IDENTIFIER/);
});

test('the lexer reports characters no token matches, and unterminated strings', (t) => {
  t.regex(errorOf('SELECT # FROM s;').message, /^line 1:8: Syntax Error\ntoken recognition error at: '#'/);
  t.regex(errorOf("SELECT 'abc FROM s;").message, /unterminated string/);
  t.regex(errorOf("SELECT * FROM s WHERE a = 'x").message, /^line 1:27: Syntax Error\nunterminated string/);
  // An unclosed comment is not a comment: '/' and '*' are operators, and fail as such.
  t.regex(errorOf('SELECT * FROM s /* open').message, /^line 1:17: Syntax Error\nExpecting \{';', /);
});

test('an undefined variable left in the text is a syntax error', (t) => {
  t.is(errorOf('SELECT * FROM ${missing};').code, 'BAD_STATEMENT');
});

test('test-script statements are rejected outside test mode at the word that needs it', (t) => {
  const e = errorOf('ASSERT VALUES foo (id INT) VALUES (123);');
  t.regex(e.message, /Syntax error at or near 'VALUES' at line 1:8/);
  t.regex(e.message, /Expecting \{'NOT', 'SCHEMA', 'TOPIC'\}/);
});

test('parseExpression rejects trailing input', (t) => {
  t.throws(() => parseExpression('a + b c'), { instanceOf: KsqlError, message: /Syntax Error/ });
  t.throws(() => parseExpression(''), { instanceOf: KsqlError });
});

test('very deep nesting fails as a KsqlError, not a crash', (t) => {
  const deep = '('.repeat(20000) + '1' + ')'.repeat(20000);
  const e = t.throws(() => parseExpression(deep));
  t.true(e instanceof KsqlError);
});
