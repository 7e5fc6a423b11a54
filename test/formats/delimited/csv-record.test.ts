import test from 'ava';
import { parseCsvRecord, quoteCsvField } from '../../../src/formats/delimited/csv-record.js';

test('only the first record counts and leading empty lines are skipped', (t) => {
  t.deepEqual(parseCsvRecord('a,b\nc,d', ','), ['a', 'b']);
  t.deepEqual(parseCsvRecord('\r\n\na,b\r\n', ','), ['a', 'b']);
  t.deepEqual(parseCsvRecord('', ','), []);
  t.deepEqual(parseCsvRecord('\n', ','), []);
});

test('quoted fields hold delimiters, doubled quotes and line breaks', (t) => {
  t.deepEqual(parseCsvRecord('"a,b","say ""hi""","x\ny"', ','), ['a,b', 'say "hi"', 'x\ny']);
  t.deepEqual(parseCsvRecord('"a" ,b', ','), ['a', 'b']);
  t.deepEqual(parseCsvRecord('a"b,c', ','), ['a"b', 'c']);
  t.deepEqual(parseCsvRecord('a,', ','), ['a', '']);
});

test('malformed quoting is refused', (t) => {
  t.throws(() => parseCsvRecord('"abc', ','), { message: 'EOF reached before encapsulated token finished' });
  t.throws(() => parseCsvRecord('"a"b,c', ','), { message: 'invalid char between encapsulated token and delimiter' });
});

test('quoting follows the minimal rules of the CSV printer', (t) => {
  t.is(quoteCsvField('abc', true, ','), 'abc');
  t.is(quoteCsvField('-1', true, ','), '"-1"');
  t.is(quoteCsvField('-1', false, ','), '-1');
  t.is(quoteCsvField('', true, ','), '""');
  t.is(quoteCsvField('', false, ','), '');
  t.is(quoteCsvField('!x', false, ','), '"!x"');
  t.is(quoteCsvField('a|b', false, '|'), '"a|b"');
  t.is(quoteCsvField('a\tb', false, ','), 'a\tb');
  t.is(quoteCsvField('ab\t', false, ','), '"ab\t"');
});
