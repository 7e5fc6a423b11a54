import test from 'ava';
import { parseExpression, printExpression } from '../../src/parser/index.js';
import { parsePartialTimestamp, rewriteMagicTimestamps } from '../../src/analyzer/rewrite-magic-timestamps.js';
import { NO_LOCATION, type StringLiteral } from '../../src/parser/index.js';

const literal = (value: string): StringLiteral => ({ kind: 'StringLiteral', value, location: NO_LOCATION });
const rewrite = (sql: string): string => printExpression(rewriteMagicTimestamps(parseExpression(sql)));

test('a string compared with ROWTIME becomes its epoch milliseconds', (t) => {
  t.is(rewrite("ROWTIME > '2018-01-01T00:00:00.001'"), printExpression(parseExpression('ROWTIME > 1514764800001')));
});

test('the string may stand on either side and under AND', (t) => {
  t.is(rewrite("'1970-01-01T00:00:01' <= WINDOWSTART AND X = 'a'"), printExpression(parseExpression("1000 <= WINDOWSTART AND X = 'a'")));
});

test('BETWEEN bounds on a time pseudo column are rewritten', (t) => {
  t.is(rewrite("WINDOWEND BETWEEN '1970' AND '1970-01-01T00:00:02'"), printExpression(parseExpression('WINDOWEND BETWEEN 0 AND 2000')));
});

test('strings compared with ordinary columns are left alone', (t) => {
  t.is(rewrite("NAME > '2018'"), printExpression(parseExpression("NAME > '2018'")));
});

test('partial timestamps start at the beginning of the period written', (t) => {
  t.is(parsePartialTimestamp(literal('2018')), Date.UTC(2018, 0, 1));
  t.is(parsePartialTimestamp(literal('2018-03')), Date.UTC(2018, 2, 1));
  t.is(parsePartialTimestamp(literal('2018-03-04T05')), Date.UTC(2018, 2, 4, 5));
  t.is(parsePartialTimestamp(literal('2018-03-04T05:06:07.8')), Date.UTC(2018, 2, 4, 5, 6, 7, 800));
});

test('a zone offset moves the instant; without one the text is UTC', (t) => {
  t.is(parsePartialTimestamp(literal('2019-01-01T00:00:00+0445')), Date.UTC(2018, 11, 31, 19, 15));
  t.is(parsePartialTimestamp(literal('2019-01-01T00:00:00-01:00')), Date.UTC(2019, 0, 1, 1));
  t.is(parsePartialTimestamp(literal('2019-01-01T00:00:00Z')), Date.UTC(2019, 0, 1));
});

test('text that is not a timestamp is a statement error', (t) => {
  t.throws(() => parsePartialTimestamp(literal('yesterday')), { message: /Failed to parse timestamp 'yesterday'/ });
});
