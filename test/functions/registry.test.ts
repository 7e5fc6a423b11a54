import test from 'ava';
import { KsqlError } from '../../src/common/errors.js';
import {
  BIGINT, DATE, DOUBLE, INTEGER, STRING, arrayType, decimalType, mapType, type SqlType,
} from '../../src/schema/sql-type.js';
import { defineScalar } from '../../src/functions/function-definition.js';
import { FunctionRegistry } from '../../src/functions/registry.js';
import { registry } from './call-helper.js';

function errorOf(fn: () => unknown): KsqlError {
  const error = (() => {
    try {
      fn();
    } catch (e) {
      return e;
    }
    throw new Error('expected a throw');
  })();
  if (!(error instanceof KsqlError)) throw error;
  return error;
}

test('lookup ignores case', (t) => {
  t.is(registry.lookup('substring')?.name, 'SUBSTRING');
  t.is(registry.lookup('SuBsTrInG')?.name, 'SUBSTRING');
  t.is(registry.lookup('nope'), undefined);
});

test('an unknown function is reported with ksqlDB words', (t) => {
  const e = errorOf(() => registry.resolve('WONT_FIND_ME', []));
  t.is(e.code, 'BAD_STATEMENT');
  t.is(e.message, "Can't find any functions with the name 'WONT_FIND_ME'");
});

test('an exact match is preferred over widening', (t) => {
  const call = registry.resolve('ABS', [INTEGER]);
  t.deepEqual(call.returnType, INTEGER);
  t.deepEqual(registry.resolve('ABS', [BIGINT]).returnType, BIGINT);
});

test('a DECIMAL argument widens to DOUBLE when no variant takes a DECIMAL', (t) => {
  const call = registry.resolve('SQRT', [decimalType(5, 2)]);
  t.deepEqual(call.paramTypes, [DOUBLE]);
  t.deepEqual(call.returnType, DOUBLE);
});

test('a DECIMAL variant keeps the argument decimal type', (t) => {
  const call = registry.resolve('ABS', [decimalType(5, 2)]);
  t.deepEqual(call.returnType, decimalType(5, 2));
  t.deepEqual(call.paramTypes, [decimalType(5, 2)]);
});

test('mixed integer widths are ambiguous for GREATEST, as in ksqlDB', (t) => {
  const e = errorOf(() => registry.resolve('GREATEST', [INTEGER, BIGINT]));
  t.true(e.message.startsWith("Function 'greatest' cannot be resolved due to ambiguous method parameters (INTEGER, BIGINT)."));
  const e2 = errorOf(() => registry.resolve('LEAST', [INTEGER, BIGINT, decimalType(50, 30)]));
  t.true(e2.message.startsWith("Function 'least' cannot be resolved due to ambiguous method parameters (INTEGER, BIGINT, DECIMAL(50, 30))."));
});

test('all-NULL arguments to GREATEST are ambiguous', (t) => {
  const e = errorOf(() => registry.resolve('GREATEST', [null, null, null, null]));
  t.true(e.message.startsWith("Function 'greatest' cannot be resolved due to ambiguous method parameters (null, null, null, null)."));
});

test('a DOUBLE among the arguments makes GREATEST resolve to DOUBLE', (t) => {
  const call = registry.resolve('GREATEST', [INTEGER, BIGINT, decimalType(30, 18), DOUBLE, null]);
  t.deepEqual(call.returnType, DOUBLE);
  t.deepEqual(call.paramTypes.slice(0, 4), [DOUBLE, DOUBLE, DOUBLE, DOUBLE]);
});

test('a string literal casts to DATE to match a DATE variant', (t) => {
  const call = registry.resolve('GREATEST', [DATE, DATE, null, STRING]);
  t.deepEqual(call.returnType, DATE);
  t.deepEqual(call.paramTypes[3], DATE);
});

test('unmatched parameters are reported with the alternatives', (t) => {
  const e = errorOf(() => registry.resolve('GREATEST', [STRING, INTEGER]));
  t.true(e.message.startsWith("Function 'greatest' does not accept parameters (STRING, INTEGER).\nValid alternatives are:\n"));
  t.true(e.message.includes('greatest(STRING val, STRING... vals)'));
  const none = errorOf(() => registry.resolve('GREATEST', []));
  t.true(none.message.startsWith("Function 'greatest' does not accept parameters ()."));
  const coalesce = errorOf(() => registry.resolve('COALESCE', []));
  t.true(coalesce.message.startsWith("Function 'COALESCE' does not accept parameters ()"));
});

test('decimal arguments of GREATEST widen to a decimal holding both', (t) => {
  const call = registry.resolve('GREATEST', [decimalType(9, 2), decimalType(7, 6)]);
  t.deepEqual(call.returnType, decimalType(13, 6));
});

test('a generic binds to the first typed argument and NULLs match it', (t) => {
  const call = registry.resolve('COALESCE', [null, STRING, null]);
  t.deepEqual(call.returnType, STRING);
  t.deepEqual(call.paramTypes, [STRING, STRING, STRING]);
  t.is(call.implementation(null, 'a', 'b'), 'a');
});

test('a generic widens across numeric arguments only when casts are needed', (t) => {
  const call = registry.resolve('COALESCE', [INTEGER, BIGINT]);
  t.deepEqual(call.returnType, BIGINT);
  t.deepEqual(call.paramTypes, [BIGINT, BIGINT]);
  const e = errorOf(() => registry.resolve('COALESCE', [STRING, INTEGER]));
  t.true(e.message.startsWith("Function 'COALESCE' does not accept parameters (STRING, INTEGER)."));
});

test('an unbound generic return type is an error', (t) => {
  const e = errorOf(() => registry.resolve('COALESCE', [null, null]));
  t.regex(e.message, /cannot infer its return type/);
});

test('a fixed-arity variant beats a variadic one, then more parameters, then fewer generics', (t) => {
  const r = new FunctionRegistry();
  r.register(
    defineScalar({
      name: 'PICK',
      category: 'OTHER',
      description: 'test',
      variants: [
        { params: 'STRING... xs', returns: 'STRING', impl: () => 'variadic' },
        { params: 'STRING a, STRING b', returns: 'STRING', impl: () => 'fixed' },
        { params: 'T a', returns: 'T', impl: () => 'generic' },
        { params: 'STRING a', returns: 'STRING', impl: () => 'concrete' },
      ],
    }),
  );
  t.is(r.resolve('pick', [STRING, STRING]).implementation(), 'fixed');
  t.is(r.resolve('pick', [STRING, STRING, STRING]).implementation(), 'variadic');
  t.is(r.resolve('pick', [STRING]).implementation(), 'concrete');
  t.is(r.resolve('pick', [INTEGER]).implementation(), 'generic');
  t.is(r.resolve('pick', []).implementation(), 'variadic');
});

test('list and describe expose names, categories and signatures', (t) => {
  const list = registry.list();
  t.true(list.length > 50);
  t.deepEqual(list.find((f) => f.name === 'SUBSTRING'), { name: 'SUBSTRING', category: 'STRING', kind: 'scalar' });
  const d = registry.describe('concat_ws');
  t.is(d.name, 'CONCAT_WS');
  t.deepEqual(d.variants[0]!.arguments, [
    { name: 'separator', type: 'STRING', variadic: false },
    { name: 'inputs', type: 'STRING', variadic: true },
  ]);
  t.is(d.variants[0]!.returnType, 'STRING');
});

test('registering a name twice is refused', (t) => {
  const r = new FunctionRegistry();
  const def = defineScalar({ name: 'X', category: 'OTHER', description: 'x', variants: [{ params: '', returns: 'INTEGER', impl: () => 1 }] });
  r.register(def);
  t.throws(() => r.register(def));
});

test('array and map patterns bind generics from element types', (t) => {
  const r = new FunctionRegistry();
  r.register(
    defineScalar({
      name: 'FIRST_KEY',
      category: 'OTHER',
      description: 'test',
      variants: [{ params: 'MAP<K, V> m, ARRAY<K> ks', returns: 'ARRAY<V>', impl: () => null }],
    }),
  );
  const call = r.resolve('FIRST_KEY', [mapType(STRING, INTEGER), arrayType(STRING)]);
  t.deepEqual(call.returnType, arrayType(INTEGER) as SqlType);
  t.throws(() => r.resolve('FIRST_KEY', [mapType(STRING, INTEGER), arrayType(DATE)]));
});

test('argument types in errors print struct fields unquoted', (t) => {
  const struct = { kind: 'STRUCT', fields: [{ name: 'A', type: INTEGER }] } as const;
  const e = errorOf(() => registry.resolve('LCASE', [struct]));
  t.true(e.message.startsWith("Function 'lcase' does not accept parameters (STRUCT<A INTEGER>)."));
});
