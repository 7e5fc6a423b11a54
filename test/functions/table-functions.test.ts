import test from 'ava';
import { KsqlError } from '../../src/common/errors.js';
import { BIGINT, INTEGER, STRING, arrayType, decimalType, mapType, structType } from '../../src/schema/sql-type.js';
import { registry } from './call-helper.js';

test('EXPLODE emits each element, nothing for NULL or empty arrays', (t) => {
  const call = registry.resolveTableFunction('explode', [arrayType(BIGINT)]);
  t.deepEqual(call.returnType, BIGINT);
  t.deepEqual(call.implementation([1n, 2n]), [1n, 2n]);
  t.deepEqual(call.implementation([]), []);
  t.deepEqual(call.implementation(null), []);
  const s = structType([{ name: 'F1', type: BIGINT }]);
  t.deepEqual(registry.resolveTableFunction('EXPLODE', [arrayType(s)]).returnType, s);
  t.deepEqual(registry.resolveTableFunction('EXPLODE', [arrayType(decimalType(20, 10))]).returnType, decimalType(20, 10));
});

test('EXPLODE refuses a map with the valid alternatives', (t) => {
  const e = t.throws(() => registry.resolveTableFunction('EXPLODE', [mapType(STRING, INTEGER)]));
  t.true(e instanceof KsqlError);
  t.true(
    e!.message.startsWith(
      "Function 'explode' does not accept parameters (MAP<STRING, INTEGER>).\nValid alternatives are:\nexplode(ARRAY<DECIMAL> input)\nexplode(ARRAY<T> list)",
    ),
  );
});

test('CUBE_EXPLODE emits every combination, all NULLs first, without duplicates', (t) => {
  const call = registry.resolveTableFunction('CUBE_EXPLODE', [arrayType(STRING)]);
  t.deepEqual(call.returnType, arrayType(STRING));
  t.deepEqual(call.implementation(['a', 'b']), [[null, null], [null, 'b'], ['a', null], ['a', 'b']]);
  t.deepEqual(call.implementation(['a', null]), [[null, null], ['a', null]]);
  t.is(call.implementation(['a', 'b', 'c']).length, 8);
  t.deepEqual(call.implementation(null), []);
});

test('a table function is not resolved as a scalar or an aggregate', (t) => {
  t.throws(() => registry.resolve('EXPLODE', [arrayType(INTEGER)]), { instanceOf: KsqlError });
  t.throws(() => registry.resolveAggregate('EXPLODE', [{ type: arrayType(INTEGER) }]), { instanceOf: KsqlError });
  t.throws(() => registry.resolveTableFunction('COUNT', [INTEGER]), { instanceOf: KsqlError });
});
