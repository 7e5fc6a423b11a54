import test from 'ava';
import { createFunctionRegistry } from '../../src/functions/builtin-functions.js';
import { BOOLEAN, INTEGER, STRING } from '../../src/schema/sql-type.js';
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
