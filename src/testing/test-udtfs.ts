/**
 * ksqlDB's test-only table functions, which its query-validation tests call;
 * registered only in the test driver's registry.
 * - TEST_UDTF has one overload per kind of parameter and of result: seven
 *   scalars, arrays or maps of them in, their Java text out (one row per
 *   argument); or one value of each type in, the same value out (DECIMAL as
 *   DECIMAL(30, 10), STRUCT as STRUCT<A STRING>).
 * - THROWING_UDTF fails when its argument is TRUE, else emits it.
 * A NULL where Java takes a primitive or calls a method fails the call, as in ksqlDB.
 */
import type { BindContext } from '../functions/function-definition.js';
import type { FunctionRegistry } from '../functions/registry.js';
import { defineTableFunction } from '../functions/table-function.js';
import { roundDecimal, type Decimal } from '../schema/decimal.js';
import { decimalType, STRING, structType, type SqlType } from '../schema/sql-type.js';
import { javaToString } from './java-to-string.js';

const SEVEN = ['INTEGER', 'BIGINT', 'DOUBLE', 'BOOLEAN', 'STRING', 'DECIMAL', 'STRUCT'] as const;
const NAMES = ['i', 'l', 'd', 'b', 's', 'bd', 'struct'] as const;

function present(value: unknown): unknown {
  if (value === null || value === undefined) throw new Error('java.lang.NullPointerException');
  return value;
}

/** The Java text of each argument, each picked by `pick` (the first element or value of a collection). */
function textsOf(pick: (arg: unknown) => unknown, typeOf: (t: SqlType | null) => SqlType | null) {
  return (ctx: BindContext) => (...args: unknown[]): readonly unknown[] =>
    args.map((a, i) => javaToString(present(pick(present(a))), typeOf(ctx.paramTypes[i] ?? null)));
}

const firstOfList = (a: unknown): unknown => (a as unknown[])[0];
const firstOfMap = (a: unknown): unknown => (a as Map<unknown, unknown>).values().next().value;
const elementType = (t: SqlType | null): SqlType | null => (t?.kind === 'ARRAY' ? t.element : null);
const valueType = (t: SqlType | null): SqlType | null => (t?.kind === 'MAP' ? t.value : null);

const params = (pattern: (type: string) => string): string => SEVEN.map((t, i) => `${pattern(t)} ${NAMES[i]}`).join(', ');

const STRUCT_A = structType([{ name: 'A', type: STRING }]);
const DECIMAL_30_10 = decimalType(30, 10);
const one = (value: unknown): readonly unknown[] => [present(value)];

const TEST_UDTF = defineTableFunction({
  name: 'TEST_UDTF',
  displayName: 'test_udtf',
  description: 'test',
  variants: [
    { params: params((t) => t), returns: 'STRING', bind: textsOf((a) => a, (t) => t) },
    { params: params((t) => `ARRAY<${t}>`), returns: 'STRING', bind: textsOf(firstOfList, elementType) },
    { params: params((t) => `MAP<STRING, ${t}>`), returns: 'STRING', bind: textsOf(firstOfMap, valueType) },
    // As the one above, with BIGINT keys in the first map.
    { params: params((t) => `MAP<STRING, ${t}>`).replace('MAP<STRING, INTEGER>', 'MAP<BIGINT, INTEGER>'), returns: 'STRING', bind: textsOf(firstOfMap, valueType) },
    { params: 'INTEGER i', returns: 'INTEGER', impl: one },
    { params: 'BIGINT l', returns: 'BIGINT', impl: one },
    { params: 'DOUBLE d', returns: 'DOUBLE', impl: one },
    { params: 'BOOLEAN b', returns: 'BOOLEAN', impl: one },
    { params: 'STRING s', returns: 'STRING', impl: one },
    { params: 'DECIMAL bd', returns: () => DECIMAL_30_10, impl: (bd: unknown) => [roundDecimal(present(bd) as Decimal, 10)] },
    { params: 'STRUCT struct', returns: () => STRUCT_A, impl: one },
  ],
});

const THROWING_UDTF = defineTableFunction({
  name: 'THROWING_UDTF',
  displayName: 'throwing_udtf',
  description: 'test UDTF that throws if param is true',
  variants: [
    {
      params: 'BOOLEAN shouldThrow',
      returns: 'BOOLEAN',
      impl: (shouldThrow: unknown) => {
        if (present(shouldThrow) === true) throw new Error('You asked me to throw...');
        return [shouldThrow];
      },
    },
  ],
});

/** Registers the test UDTFs in a registry (the test driver's). */
export function registerTestUdtfs(registry: FunctionRegistry): FunctionRegistry {
  for (const definition of [TEST_UDTF, THROWING_UDTF]) registry.register(definition);
  return registry;
}
