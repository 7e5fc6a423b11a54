import test from 'ava';
import { Decimal } from '../../src/schema/decimal.js';
import {
  BIGINT, BOOLEAN, BYTES, DATE, DOUBLE, INTEGER, STRING, TIME, TIMESTAMP, arrayType, decimalType, mapType, structType,
} from '../../src/schema/sql-type.js';
import { call, registry } from './call-helper.js';

const S = STRING;

test('EXTRACTJSONFIELD follows a JSONPath and keeps number text as written', (t) => {
  const json = '{"name": "cdc", "version": "1", "@type": "UDF", "log": {"cloud": "gcp", "n": 4}, "array": [1.23450, 2]}';
  t.is(call('EXTRACTJSONFIELD', [S, S], json, '$.name'), 'cdc');
  t.is(call('EXTRACTJSONFIELD', [S, S], json, '$.@type'), 'UDF');
  t.is(call('EXTRACTJSONFIELD', [S, S], json, '$.log.cloud'), 'gcp');
  t.is(call('EXTRACTJSONFIELD', [S, S], json, "$['log']['n']"), '4');
  t.is(call('EXTRACTJSONFIELD', [S, S], json, '$.log'), '{"cloud":"gcp","n":4}');
  t.is(call('EXTRACTJSONFIELD', [S, S], json, '$.array[0]'), '1.23450');
  t.is(call('EXTRACTJSONFIELD', [S, S], json, '$.array[-1]'), null);
  t.is(call('EXTRACTJSONFIELD', [S, S], json, '$.array[2]'), null);
  t.is(call('EXTRACTJSONFIELD', [S, S], json, '$.missing'), null);
  t.is(call('EXTRACTJSONFIELD', [S, S], '{"a": null}', '$.a'), 'null');
  t.is(call('EXTRACTJSONFIELD', [S, S], '{"a": null}', '$.a.b'), null);
  t.is(call('EXTRACTJSONFIELD', [S, S], '{"a": 1}}', '$.a'), '1');
  t.is(call('EXTRACTJSONFIELD', [S, S], 'not json', '$.a'), null);
  t.is(call('EXTRACTJSONFIELD', [S, S], null, '$.a'), null);
});

test('JSON_ARRAY_CONTAINS matches by type and is false for non-arrays', (t) => {
  t.true(call('JSON_ARRAY_CONTAINS', [S, S], '["Pink", null]', 'Pink') as boolean);
  t.false(call('JSON_ARRAY_CONTAINS', [S, S], '["Red", "Green"]', 'Pink') as boolean);
  t.true(call('JSON_ARRAY_CONTAINS', [S, INTEGER], '[1, 2, 3]', 3) as boolean);
  t.false(call('JSON_ARRAY_CONTAINS', [S, INTEGER], '[1.5, "3"]', 3) as boolean);
  t.true(call('JSON_ARRAY_CONTAINS', [S, BIGINT], '[9223372036854775807]', 9223372036854775807n) as boolean);
  t.true(call('JSON_ARRAY_CONTAINS', [S, DOUBLE], '[1.5]', 1.5) as boolean);
  t.false(call('JSON_ARRAY_CONTAINS', [S, DOUBLE], '[3]', 3) as boolean);
  t.false(call('JSON_ARRAY_CONTAINS', [S, decimalType(2, 1)], '[1.5]', new Decimal('1.5')) as boolean);
  t.true(call('JSON_ARRAY_CONTAINS', [S, BOOLEAN], '[false]', false) as boolean);
  t.false(call('JSON_ARRAY_CONTAINS', [S, S], '{"a": "Pink"}', 'Pink') as boolean);
  t.false(call('JSON_ARRAY_CONTAINS', [S, S], null, 'Pink') as boolean);
});

test('JSON_ARRAY_LENGTH, JSON_KEYS, JSON_RECORDS and JSON_ITEMS read top-level structure', (t) => {
  t.is(call('JSON_ARRAY_LENGTH', [S], '[1, [1, [2]], 3]'), 3);
  t.is(call('JSON_ARRAY_LENGTH', [S], '{}'), null);
  t.is(call('JSON_ARRAY_LENGTH', [S], ''), null);
  t.deepEqual(call('JSON_KEYS', [S], '{"a": "abc", "b": { "c": "a" }, "d": 1}'), ['a', 'b', 'd']);
  t.deepEqual(call('JSON_KEYS', [S], '{}'), []);
  t.is(call('JSON_KEYS', [S], '[]'), null);
  t.deepEqual(call('JSON_RECORDS', [S], '{"a": "abc", "b": { "c": "a" }, "d": 1}'), new Map([
    ['a', 'abc'],
    ['b', '{"c":"a"}'],
    ['d', '1'],
  ]));
  t.is(call('JSON_RECORDS', [S], 'abc'), null);
  t.deepEqual(call('JSON_ITEMS', [S], '[{"type": "A"}, 1, "x"]'), ['{"type":"A"}', '1', '"x"']);
});

test('IS_JSON_STRING accepts any JSON value and rejects empty, bad or NULL text', (t) => {
  for (const s of ['[1, 2, 3]', '{}', '1', '"abc"', 'null']) t.true(call('IS_JSON_STRING', [S], s) as boolean, s);
  for (const s of ['', 'abc', null]) t.false(call('IS_JSON_STRING', [S], s) as boolean, String(s));
});

test('JSON_CONCAT merges objects, concatenates arrays and wraps scalars', (t) => {
  t.is(call('JSON_CONCAT', [S, S], '{"a": 1}', '{"b": 2}'), '{"a":1,"b":2}');
  t.is(call('JSON_CONCAT', [S, S], '{"a": {"5": 6}}', '{"a": {"3": 4}}'), '{"a":{"3":4}}');
  t.is(call('JSON_CONCAT', [S, S], '[1, [2]]', '[[[3]], [[[4]]]]'), '[1,[2],[[3]],[[[4]]]]');
  t.is(call('JSON_CONCAT', [S, S], 'null', 'null'), '[null,null]');
  t.is(call('JSON_CONCAT', [S, S], '[1, 2]', '{"a": 1}'), '[1,2,{"a":1}]');
  t.is(call('JSON_CONCAT', [S, S], '1', '2'), '[1,2]');
  t.is(call('JSON_CONCAT', [S, S], 'abc', '[1]'), null);
  t.is(call('JSON_CONCAT', [S, S], null, '[1]'), null);
});

test('TO_JSON_STRING writes each SQL type as ksqlDB does', (t) => {
  t.is(call('TO_JSON_STRING', [INTEGER], 1), '1');
  t.is(call('TO_JSON_STRING', [INTEGER], null), 'null');
  t.is(call('TO_JSON_STRING', [null], null), 'null');
  t.is(call('TO_JSON_STRING', [S], 'abc'), '"abc"');
  t.is(call('TO_JSON_STRING', [BIGINT], 123n), '123');
  t.is(call('TO_JSON_STRING', [DOUBLE], 123.456), '123.456');
  t.is(call('TO_JSON_STRING', [DOUBLE], 1), '1.0');
  t.is(call('TO_JSON_STRING', [decimalType(6, 3)], new Decimal('123.456')), '123.456');
  t.is(call('TO_JSON_STRING', [BYTES], Buffer.from('!')), '"IQ=="');
  t.is(call('TO_JSON_STRING', [TIME], 60220000), '"16:43:40"');
  t.is(call('TO_JSON_STRING', [TIME], 48300000), '"13:25"');
  t.is(call('TO_JSON_STRING', [DATE], 1000), '"1972-09-27"');
  t.is(call('TO_JSON_STRING', [TIMESTAMP], 60220000000), '"1971-11-28T23:46:40.000"');
  t.is(call('TO_JSON_STRING', [arrayType(INTEGER)], [1, 2, 3]), '[1,2,3]');
  const struct = structType([{ name: 'ID', type: INTEGER }, { name: 'NAME', type: S }]);
  t.is(call('TO_JSON_STRING', [struct], { ID: 1, NAME: 'Alice' }), '{"ID":1,"NAME":"Alice"}');
  t.is(call('TO_JSON_STRING', [mapType(S, arrayType(INTEGER))], new Map([['id', [1, 2, 3]]])), '{"id":[1,2,3]}');
  t.deepEqual(registry.resolve('TO_JSON_STRING', [struct]).returnType, S);
});
