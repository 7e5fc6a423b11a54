import test from 'ava';
import { createFunctionRegistry } from '../../src/functions/builtin-functions.js';
import { BIGINT, BOOLEAN, INTEGER, STRING, mapType } from '../../src/schema/sql-type.js';
import { registerTestUdfs } from '../../src/testing/test-udfs.js';

const registry = registerTestUdfs(createFunctionRegistry());

test('BAD_UDF fails on integers and on TRUE, and returns NULL on every other call with a string', (t) => {
  t.throws(() => registry.resolve('BAD_UDF', [INTEGER]).implementation(1), { message: 'boom!' });
  const flag = registry.resolve('BAD_UDF', [BOOLEAN]).implementation;
  t.is(flag(false), 0);
  t.throws(() => flag(true));
  const text = registry.resolve('BAD_UDF', [STRING]).implementation;
  t.deepEqual(['a', 'b', 'c', 'd'].map((s) => text(s)), [null, 'b', null, 'd']);
});

test('the example UDFs multiply with Java overflow and render values as Java text', (t) => {
  t.is(registry.resolve('MULTIPLY', [INTEGER, INTEGER]).implementation(65536, 65536), 0n);
  t.is(registry.resolve('MULTIPLY', [BIGINT, BIGINT]).implementation(2n ** 62n, 4n), 0n);
  t.throws(() => registry.resolve('MULTIPLY', [INTEGER, INTEGER]).implementation(null, 1));
  t.is(registry.resolve('TOSTRING', [mapType(STRING, INTEGER)]).implementation(new Map([['a', 1], ['b', 2]])), '{a=1, b=2}');
  t.deepEqual(registry.resolve('TOLIST', [STRING]).implementation('x'), ['x']);
  t.deepEqual(registry.resolve('TOMAP', [STRING]).implementation('x'), new Map([['x', 'x']]));
});
