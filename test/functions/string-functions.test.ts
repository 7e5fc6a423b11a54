import test from 'ava';
import { BYTES, INTEGER, STRING } from '../../src/schema/sql-type.js';
import { call } from './call-helper.js';

const S = STRING;
const I = INTEGER;
const b = (s: string) => Buffer.from(s, 'utf8');

test('LCASE, UCASE and TRIM convert case and strip Java whitespace', (t) => {
  t.is(call('LCASE', [S], 'MiXeD'), 'mixed');
  t.is(call('UCASE', [S], 'MiXeD'), 'MIXED');
  t.is(call('TRIM', [S], ' \t with white space \t'), 'with white space');
  t.is(call('LTRIM', [S], '  a  '), 'a  ');
  t.is(call('RTRIM', [S], '  a  '), '  a');
  t.is(call('UCASE', [S], null), null);
});

test('SUBSTRING counts from 1, clamps, and returns NULL for any NULL argument', (t) => {
  t.is(call('SUBSTRING', [S, I], 'some_string', 6), 'string');
  t.is(call('SUBSTRING', [S, I], 'short', 6), '');
  t.is(call('SUBSTRING', [S, I, I], 'some_string', 6, 3), 'str');
  t.is(call('SUBSTRING', [S, I, I], 'lower', 2, 5), 'ower');
  t.is(call('SUBSTRING', [S, I, I], 's', 2, 5), '');
  t.is(call('SUBSTRING', [S, I, I], 'some string', 0, 2), 'so');
  t.is(call('SUBSTRING', [S, I], 'stream', -3), 'eam');
  t.is(call('SUBSTRING', [S, I], 'x', null), null);
  t.is(call('SUBSTRING', [S, I, I], 'x', 1, null), null);
  t.deepEqual(call('SUBSTRING', [BYTES, I, I], b('some_string'), 6, 3), b('str'));
});

test('CONCAT treats NULL as empty and CONCAT_WS skips NULLs but not a NULL separator', (t) => {
  t.is(call('CONCAT', [S, S, S], 'prefix-', null, '-postfix'), 'prefix--postfix');
  t.is(call('CONCAT_WS', [S, S, S, S, null, S], 'SEP', 'foo', null, 'baz', null, 'literal'), 'fooSEPbazSEPliteral');
  t.is(call('CONCAT_WS', [S, S], null, 'foo'), null);
  t.deepEqual(call('CONCAT', [BYTES, null, BYTES], b('yes'), null, b('no')), b('yesno'));
  t.deepEqual(call('CONCAT_WS', [BYTES, BYTES, BYTES, BYTES], b('a'), b('b'), b(''), b('no')), b('baano'));
  // A separator alone is an error in ksqlDB (the value becomes NULL), not an empty string.
  t.throws(() => call('CONCAT_WS', [S], '-'), { message: /at least two input arguments/ });
  t.throws(() => call('CONCAT_WS', [BYTES], b('-')), { message: /at least two input arguments/ });
});

test('REPLACE replaces every occurrence and returns NULL on NULL arguments', (t) => {
  t.is(call('REPLACE', [S, S, S], 'anaconda', 'a', 'o'), 'onocondo');
  t.is(call('REPLACE', [S, S, S], 'a$b', '$', '$$'), 'a$$b');
  t.is(call('REPLACE', [S, S, S], 'anaconda', null, 'o'), null);
});

test('regular expression functions extract, replace and split', (t) => {
  t.is(call('REGEXP_EXTRACT', [S, S, I], '(.*) (.*)', 'hello there', 2), 'there');
  t.is(call('REGEXP_EXTRACT', [S, S], 'x+', 'abc'), null);
  t.deepEqual(call('REGEXP_EXTRACT_ALL', [S, S, I], '(\\w+) (\\w+)', 'hello there nice day', 2), ['there', 'day']);
  t.is(call('REGEXP_REPLACE', [S, S, S], 'baabbabaa', '(ab)+', 'cat'), 'bacatbcataa');
  t.deepEqual(call('REGEXP_SPLIT_TO_ARRAY', [S, S], 'aabcda', '(ab|cd)'), ['a', '', 'a']);
  t.deepEqual(call('REGEXP_SPLIT_TO_ARRAY', [S, S], 'zxy', '(ab|cd)'), ['zxy']);
  t.is(call('REGEXP_SPLIT_TO_ARRAY', [S, S], null, 'a'), null);
});

test('SPLIT keeps empty pieces and splits every character on an empty delimiter', (t) => {
  t.deepEqual(call('SPLIT', [S, S], '..a..', '.'), ['', '', 'a', '', '']);
  t.deepEqual(call('SPLIT', [S, S], 'a$$b.c', '$$'), ['a', 'b.c']);
  t.deepEqual(call('SPLIT', [S, S], 'abc', ''), ['a', 'b', 'c']);
  t.deepEqual(call('SPLIT', [S, S], '', ''), ['']);
  t.deepEqual(call('SPLIT', [BYTES, BYTES], b('.abc.'), b('.')), [b(''), b('abc'), b('')]);
  t.deepEqual(call('SPLIT', [BYTES, BYTES], b('ab'), b('')), [b('a'), b('b')]);
});

test('SPLIT_TO_MAP builds a map where later keys win', (t) => {
  t.deepEqual(call('SPLIT_TO_MAP', [S, S, S], 'apple:=green/cherry:=red/apple:=red', '/', ':='), new Map([
    ['apple', 'red'],
    ['cherry', 'red'],
  ]));
  t.is(call('SPLIT_TO_MAP', [S, S, S], 'a=b', '', '='), null);
  t.is(call('SPLIT_TO_MAP', [S, S, S], 'a=b', '=', '='), null);
  t.deepEqual(call('SPLIT_TO_MAP', [S, S, S], 'a=b=c;;d', ';', '='), new Map([['a', 'b']]));
});

test('INSTR finds the n-th occurrence forwards or backwards', (t) => {
  t.is(call('INSTR', [S, S], 'CORPORATE FLOOR', 'OR'), 2);
  t.is(call('INSTR', [S, S, I], 'CORPORATE FLOOR', 'OR', 3), 5);
  t.is(call('INSTR', [S, S, I, I], 'CORPORATE FLOOR', 'OR', 3, 2), 14);
  t.is(call('INSTR', [S, S, I], 'CORPORATE FLOOR', 'OR', -3), 5);
  t.is(call('INSTR', [S, S, I, I], 'CORPORATE FLOOR', 'OR', -3, 2), 2);
  t.is(call('INSTR', [S, S, I, I], 'corporate floor', 'or', -4, 2), 2);
  t.is(call('INSTR', [S, S], 'CORPORATE FLOOR', 'MISSING'), 0);
  t.is(call('INSTR', [S, S, I], 'short', 'or', 4), 0);
});

test('INSTR with a negative position reports the start of a match ending that far from the end, as ksqlDB does', (t) => {
  // The reversed search: a match must end at or before the position counted from the end.
  t.is(call('INSTR', [S, S, I], 'abcab', 'ab', -2), 1);
  t.is(call('INSTR', [S, S, I], 'CORPORATE FLOOR', 'FLO', -1), 11);
  t.is(call('INSTR', [S, S, I], 'abcabc', 'abc', -1), 4);
  // A position beyond either end finds nothing, even an empty substring.
  t.is(call('INSTR', [S, S, I], 'abc', '', 5), 0);
  t.is(call('INSTR', [S, S, I], 'abc', '', 2), 2);
  t.is(call('INSTR', [S, S, I], 'abc', 'c', 0), 0);
  t.is(call('INSTR', [S, S, I, I], 'aaa', 'aa', 1, 2), 2);
  // NULL for a position or occurrence is an error in ksqlDB (a primitive int): the value is NULL, not 0.
  t.is(call('INSTR', [S, S, I], 'abc', 'b', null), null);
  t.is(call('INSTR', [S, S, I, I], 'abc', 'b', 1, null), null);
});

test('REGEXP_EXTRACT_ALL gives NULL for a group the pattern lacks; REGEXP_SPLIT_TO_ARRAY splits as Java does on patterns matching empty text', (t) => {
  t.is(call('REGEXP_EXTRACT_ALL', [S, S, I], '(a)', 'aaa', 2), null);
  t.is(call('REGEXP_EXTRACT_ALL', [S, S, I], '(a)', 'bbb', 2), null);
  t.deepEqual(call('REGEXP_EXTRACT_ALL', [S, S, I], '(a)(x)?', 'aa', 2), [null, null]);
  t.deepEqual(call('REGEXP_SPLIT_TO_ARRAY', [S, S], 'abc', 'x*'), ['a', 'b', 'c']);
  t.deepEqual(call('REGEXP_SPLIT_TO_ARRAY', [S, S], 'aXbXX', 'X*'), ['a', '', 'b']);
  t.deepEqual(call('REGEXP_SPLIT_TO_ARRAY', [S, S], 'a,b,,', ','), ['a', 'b', '', '']);
});

test('INITCAP capitalizes words split by whitespace only', (t) => {
  t.is(call('INITCAP', [S], 'the   Quick br0wn fOx'), 'The   Quick Br0wn Fox');
  t.is(call('INITCAP', [S], 'some_string'), 'Some_string');
  t.is(call('INITCAP', [S], null), null);
  // As ksqlDB: whitespace before the first word is dropped, and only Java regex whitespace separates words.
  t.is(call('INITCAP', [S], '  leading spaces'), 'Leading Spaces');
  t.is(call('INITCAP', [S], 'no\u00a0break\ttab'), 'No\u00a0break\tTab');
});

test('LPAD and RPAD pad, truncate, and give NULL for empty padding or negative length', (t) => {
  t.is(call('LPAD', [S, I, S], 'Foo', 7, 'Bar'), 'BarBFoo');
  t.is(call('LPAD', [S, I, S], 'Foo', 2, 'Bar'), 'Fo');
  t.is(call('LPAD', [S, I, S], '', 2, 'Bar'), 'Ba');
  t.is(call('RPAD', [S, I, S], 'Foo', 7, 'Bar'), 'FooBarB');
  t.is(call('RPAD', [S, I, S], 'Foo', 7, ''), null);
  t.is(call('RPAD', [S, I, S], 'Foo', -1, 'x'), null);
  t.deepEqual(call('LPAD', [BYTES, I, BYTES], b('1'), 3, b('0')), b('001'));
});

test('MASK functions mask by character class with defaults and NULL meaning keep', (t) => {
  t.is(call('MASK', [S], 'My Test $123'), 'Xx-Xxxx--nnn');
  t.is(call('MASK', [S, S, S, S, S], 'My Test $123', '*', null, '1', null), '*y *est $111');
  t.is(call('MASK_KEEP_LEFT', [S, I], 'My Test $123', 4), 'My Txxx--nnn');
  t.is(call('MASK_KEEP_RIGHT', [S, I], 'My Test $123', 4), 'Xx-Xxxx-$123');
  t.is(call('MASK_LEFT', [S, I], 'My Test $123', 4), 'Xx-Xest $123');
  t.is(call('MASK_RIGHT', [S, I], 'My Test $123', 4), 'My Test -nnn');
});

test('ENCODE converts between hex, utf8, ascii and base64, or gives NULL', (t) => {
  t.is(call('ENCODE', [S, S, S], '4578616d706C6521', 'hex', 'ascii'), 'Example!');
  t.is(call('ENCODE', [S, S, S], 'ce95cebbcebbceacceb4ceb1', 'hex', 'utf8'), 'Ελλάδα');
  t.is(call('ENCODE', [S, S, S], 'c39c6265726d656e736368', 'hex', 'ascii'), '\ufffd\ufffdbermensch');
  t.is(call('ENCODE', [S, S, S], "X'4578616d706C6521'", 'hex', 'base64'), 'RXhhbXBsZSE=');
  t.is(call('ENCODE', [S, S, S], '0x578616d706C6521', 'hex', 'utf8'), '\u0005xample!');
  t.is(call('ENCODE', [S, S, S], '578616d706C6521', 'hex', 'utf8'), null);
  t.is(call('ENCODE', [S, S, S], '0x0x', 'hex', 'utf8'), null);
  t.is(call('ENCODE', [S, S, S], 'Ελλάδα', 'ascii', 'hex'), '3f3f3f3f3f3f');
  t.is(call('ENCODE', [S, S, S], 'zpXOu867zqzOtM6x', 'base64', 'hex'), 'ce95cebbcebbceacceb4ceb1');
  t.is(call('ENCODE', [S, S, S], 'RXhhbXBsZSE=', 'base64', 'null'), null);
});

test('MD5, UUID and CHR produce hashes, identifiers and characters', (t) => {
  t.is(call('MD5', [S], 'r1'), '7c92cf1eee8d99cc85f8355a3d6e4b86');
  t.is(call('MD5', [S], ''), 'd41d8cd98f00b204e9800998ecf8427e');
  t.regex(call('UUID', []) as string, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  t.is(call('UUID', [BYTES], Buffer.from('237e9877e79b12d4a765321741963000', 'hex')), '237e9877-e79b-12d4-a765-321741963000');
  t.is(call('UUID', [BYTES], Buffer.alloc(3)), null);
  t.is(call('CHR', [I], 75), 'K');
  t.is(call('CHR', [S], '\\u597d'), '好');
  t.is(call('CHR', [S], 'nope'), null);
  t.is(call('CHR', [I], -1), null);
});

test('ELT and FIELD are 1-based complements', (t) => {
  t.is(call('ELT', [I, S, S], 2, 'ignored', 'something'), 'something');
  t.is(call('ELT', [I, S], 0, 'a'), null);
  t.is(call('ELT', [I, S], 2, 'a'), null);
  t.is(call('FIELD', [S, S, S], 'hello', 'world', 'hello'), 2);
  t.is(call('FIELD', [S, S, S], 'hello', null, null), 0);
  t.is(call('FIELD', [S, S], null, null), 0);
});

test('LEN counts characters of strings and bytes of BYTES', (t) => {
  t.is(call('LEN', [S], 'abc'), 3);
  t.is(call('LEN', [BYTES], b('Ελ')), 4);
  t.is(call('LEN', [S], null), null);
});

test('Java regex inline flags and replacement syntax are honoured', (t) => {
  t.is(call('REGEXP_EXTRACT', [S, S], '(?i)HELLO', 'say hello'), 'hello');
  t.is(call('REGEXP_REPLACE', [S, S, S], 'a1b2', '(\\d)', '<$1>'), 'a<1>b<2>');
  t.is(call('REGEXP_REPLACE', [S, S, S], 'a1', '\\d', '\\$'), 'a$');
  t.throws(() => call('REGEXP_EXTRACT', [S, S], '(', 'x'), { message: /Invalid regular expression/ });
});

test('MASK classifies by Unicode category and rejects bad mask characters or counts', (t) => {
  t.is(call('MASK', [S], 'Ébc 9'), 'Xxx-n');
  t.throws(() => call('MASK', [S, S, S, S, S], 'a', 'XX', null, null, null), { message: /single character/ });
  t.throws(() => call('MASK_LEFT', [S, I], 'abc', -1));
  t.is(call('CHR', [S], '\\u004b\\u004c'), 'KL');
});
