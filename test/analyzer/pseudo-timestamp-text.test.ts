import test from 'ava';
import { parsePartialTimestamp, rewritePseudoTimestampText } from '../../src/analyzer/pseudo-timestamp-text.js';
import { parseExpression, printExpression } from '../../src/parser/index.js';

function rewrite(sql: string): string {
  return printExpression(rewritePseudoTimestampText(parseExpression(sql)));
}

test('timestamp text may be partial, its missing fields at their start, in UTC', (t) => {
  t.is(parsePartialTimestamp('2018'), Date.UTC(2018, 0, 1));
  t.is(parsePartialTimestamp('2018-03'), Date.UTC(2018, 2, 1));
  t.is(parsePartialTimestamp('2018-03-04T05'), Date.UTC(2018, 2, 4, 5));
  t.is(parsePartialTimestamp('2018-01-01T00:00:00.001'), Date.UTC(2018, 0, 1) + 1);
  t.is(parsePartialTimestamp('2018-01-01T00:00:00.5'), Date.UTC(2018, 0, 1) + 500);
});

test('timestamp text may end in Z or a numeric offset', (t) => {
  t.is(parsePartialTimestamp('2019-01-01T00:00:00Z'), Date.UTC(2019, 0, 1));
  t.is(parsePartialTimestamp('2019-01-01T00:00:00+0445'), Date.UTC(2019, 0, 1) - (4 * 60 + 45) * 60_000);
  t.is(parsePartialTimestamp('2020-02-10T08:31:44.001-01:30'), Date.UTC(2020, 1, 10, 8, 31, 44, 1) + 90 * 60_000);
});

test('text that is no timestamp is refused with the expected format', (t) => {
  for (const text of ['abc', '2018-13', '2018-02-30', '2018-01-01T24:00', '18-01-01']) {
    t.throws(() => parsePartialTimestamp(text), { message: /Failed to parse timestamp .*Required format is/ }, text);
  }
});

test('comparisons and BETWEENs of ROWTIME and window bounds with text become epoch milliseconds', (t) => {
  t.is(rewrite("ROWTIME > '2018'"), `(ROWTIME > ${Date.UTC(2018, 0, 1)})`);
  t.is(rewrite("'2018' <= WINDOWSTART AND X = 'a'"), `((${Date.UTC(2018, 0, 1)} <= WINDOWSTART) AND (X = 'a'))`);
  t.is(rewrite("WINDOWEND BETWEEN '2018' AND 5"), `(WINDOWEND BETWEEN ${Date.UTC(2018, 0, 1)} AND 5)`);
});

test('text compared with other columns is left alone', (t) => {
  t.is(rewrite("TS > '2018'"), "(TS > '2018')");
  t.is(rewrite("X BETWEEN '2018' AND '2019'"), "(X BETWEEN '2018' AND '2019')");
});
