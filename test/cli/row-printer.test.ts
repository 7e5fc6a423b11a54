import test from 'ava';
import { parseJsonLossless } from '../../src/formats/index.js';
import { RowPrinter } from '../../src/cli/row-printer.js';

function printRows(rowsJson: readonly string[], width: number | undefined, format: 'TABULAR' | 'JSON' = 'TABULAR'): string {
  let out = '';
  const printer = new RowPrinter((text) => { out += text; }, format, width);
  printer.header({ queryId: 'q', columnNames: ['A', 'B'], columnTypes: ['STRING', 'STRING'] });
  for (const row of rowsJson) printer.row(parseJsonLossless(row, true) as unknown[]);
  printer.end();
  return out;
}

test('structs, maps and arrays print as Java prints what Jackson read, numbers as written', (t) => {
  const out = printRows(['["k1",{"C":"v1","D":5}]', '[[2,3],{"x":[1.0,null]}]', '[2.50,12345678901234567]'], 40);
  t.is(out, [
    '+------------------+------------------+',
    '|A                 |B                 |',
    '+------------------+------------------+',
    '|k1                |{C=v1, D=5}       |',
    '|[2, 3]            |{x=[1.0, null]}   |',
    '|2.50              |12345678901234567 |',
    '+------------------+------------------+',
    '',
  ].join('\n'));
});

test('a value longer than its cell wraps onto more lines, as ksqlDB\'s CLI does', (t) => {
  const out = printRows(['["abcdefghij","x"]'], 10);
  t.is(out, [
    '+-----+-----+',
    '|A    |B    |',
    '+-----+-----+',
    '|abcde|x    |',
    '|fghij|     |',
    '+-----+-----+',
    '',
  ].join('\n'));
});

test('JSON output keeps every number literal', (t) => {
  t.is(printRows(['["k",{"y":2.50}]'], undefined, 'JSON'), '{"A":"k","B":{"y":2.50}}\n');
});
