import test from 'ava';
import { BOOLEAN, BYTES, STRING } from '../../src/schema/sql-type.js';
import { call } from './call-helper.js';

const S = STRING;

test('URL_ENCODE_PARAM and URL_DECODE_PARAM use form encoding', (t) => {
  t.is(call('URL_ENCODE_PARAM', [S], '?foo $bar'), '%3Ffoo+%24bar');
  t.is(call('URL_ENCODE_PARAM', [S], 'hello&world'), 'hello%26world');
  t.is(call('URL_DECODE_PARAM', [S], '%3Ffoo+%24bar'), '?foo $bar');
  t.is(call('URL_DECODE_PARAM', [S], 'url%20encoded'), 'url encoded');
  t.is(call('URL_DECODE_PARAM', [S], null), null);
  t.throws(() => call('URL_DECODE_PARAM', [S], '%zz'));
});

test('URL_EXTRACT functions read URI parts or give NULL', (t) => {
  t.is(call('URL_EXTRACT_FRAGMENT', [S], 'http://www.test.com/?query#fragment'), 'fragment');
  t.is(call('URL_EXTRACT_FRAGMENT', [S], 'http://test.com#frag%20space'), 'frag space');
  t.is(call('URL_EXTRACT_FRAGMENT', [S], 'http://www.nofragment.com'), null);
  t.is(call('URL_EXTRACT_HOST', [S], 'http://test@confluent.io:8080'), 'confluent.io');
  t.is(call('URL_EXTRACT_PATH', [S], 'http://www.test.com?query#fragment'), '');
  t.is(call('URL_EXTRACT_PATH', [S], 'http://test@confluent.io:8080/nested/path?query&jobs'), '/nested/path');
  t.is(call('URL_EXTRACT_PORT', [S], 'http://test@confluent.io'), null);
  t.is(call('URL_EXTRACT_PORT', [S], 'http://test@confluent.io:8080/nested/path?query&jobs'), 8080);
  t.is(call('URL_EXTRACT_PROTOCOL', [S], 'https://test@confluent.io:8080/nested'), 'https');
  t.is(call('URL_EXTRACT_PROTOCOL', [S], 'www.confluent.io'), null);
  t.is(call('URL_EXTRACT_QUERY', [S], 'http://www.test.com/path?q1&q2'), 'q1&q2');
  t.is(call('URL_EXTRACT_QUERY', [S], 'http://test.com?a=foo%20bar&b=baz'), 'a=foo bar&b=baz');
  t.is(call('URL_EXTRACT_QUERY', [S], 'http://test@confluent.io:8080/path'), null);
  t.is(call('URL_EXTRACT_HOST', [S], 'http://bad host.com/'), null);
});

test('URL_EXTRACT_PARAMETER reads the decoded query: a valueless parameter is empty, + stays', (t) => {
  t.is(call('URL_EXTRACT_PARAMETER', [S, S], 'http://www.test.com/?one=a&two=b&three', 'two'), 'b');
  t.is(call('URL_EXTRACT_PARAMETER', [S, S], 'http://www.test.com/?one=a&two=b&three', 'three'), '');
  t.is(call('URL_EXTRACT_PARAMETER', [S, S], 'http://www.test.com/?one=a&two=b&three', 'four'), null);
  t.is(call('URL_EXTRACT_PARAMETER', [S, S], 'http://test.com?a=b+c&d=e=f', 'a'), 'b+c');
  t.is(call('URL_EXTRACT_PARAMETER', [S, S], 'http://test.com?a=b+c&d=e=f', 'd'), 'e=f');
  t.is(call('URL_EXTRACT_PARAMETER', [S, S], 'http://test.com?a=1%26b%3D2', 'b'), '2');
  t.is(call('URL_EXTRACT_PARAMETER', [S, S], 'http://test.com?a%20b=c%20d', 'a b'), 'c d');
});

test('TO_BYTES and FROM_BYTES convert through the four encodings', (t) => {
  t.deepEqual(call('TO_BYTES', [S, S], 'hello', 'ascii'), Buffer.from('hello'));
  t.deepEqual(call('TO_BYTES', [S, S], '628b30f0', 'hex'), Buffer.from([0x62, 0x8b, 0x30, 0xf0]));
  t.is(call('FROM_BYTES', [BYTES, S], Buffer.from('hello'), 'base64'), 'aGVsbG8=');
  t.is(call('FROM_BYTES', [BYTES, S], Buffer.from([0xce, 0x95]), 'utf8'), 'Ε');
  t.throws(() => call('TO_BYTES', [S, S], 'x', 'latin1'));
  t.throws(() => call('TO_BYTES', [S, S], 'zz', 'hex'));
});

test('number-from-bytes functions read big or little endian and need the exact size', (t) => {
  t.is(call('INT_FROM_BYTES', [BYTES], Buffer.from('AAAH5Q==', 'base64')), 2021);
  t.is(call('INT_FROM_BYTES', [BYTES, S], Buffer.from([0xe5, 0x07, 0, 0]), 'LITTLE_ENDIAN'), 2021);
  t.is(call('BIGINT_FROM_BYTES', [BYTES, S], Buffer.from('AAAAASoF8gA=', 'base64'), 'BIG_ENDIAN'), 5000000000n);
  t.is(call('DOUBLE_FROM_BYTES', [BYTES], Buffer.from('QICm/ZvJ9YI=', 'base64')), 532.8738323);
  t.is(call('INT_FROM_BYTES', [BYTES], Buffer.alloc(3)), null);
  t.is(call('INT_FROM_BYTES', [BYTES, S], Buffer.alloc(4), 'MIDDLE'), null);
});

test('INT_FROM_BOOLEAN converts true to 1 and false to 0', (t) => {
  t.is(call('INT_FROM_BOOLEAN', [BOOLEAN], true), 1);
  t.is(call('INT_FROM_BOOLEAN', [BOOLEAN], false), 0);
  t.is(call('INT_FROM_BOOLEAN', [BOOLEAN], null), null);
});
