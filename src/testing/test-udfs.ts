/**
 * ksqlDB's test-only scalar functions, which its query-validation tests call;
 * registered only in the test driver's registry.
 * - BAD_UDF shows how queries treat a failing or NULL-returning expression:
 *   with an INTEGER it always fails, with a BOOLEAN it fails on TRUE (else 0),
 *   and with a STRING it returns NULL on every other call of a call site
 *   (starting with NULL), the argument otherwise.
 * - TEST_UDF has overloads that name themselves, to check which one a call
 *   resolves to (NULL arguments, varargs), and struct in and out.
 * - TOSTRUCT wraps a string in a STRUCT<A STRING>.
 * - WHENCONDITION and WHENRESULT return their first argument and fail when
 *   their second is false: a CASE that evaluates a branch it should skip fails.
 * - MULTIPLY, TOSTRING, TOLIST and TOMAP (with TOSTRUCT) are the example UDFs
 *   ksqlDB's tests load from its udf-example.jar: Java arithmetic (overflow
 *   wraps) and Java text; a NULL argument fails the call, as Java's would.
 */
import { defineScalar } from '../functions/function-definition.js';
import type { FunctionRegistry } from '../functions/registry.js';
import { INTEGER, mapType, STRING, structType } from '../schema/sql-type.js';
import { javaToString } from './java-to-string.js';

const BAD_UDF = defineScalar({
  name: 'BAD_UDF',
  displayName: 'bad_udf',
  category: 'OTHER',
  description: 'Fails or returns NULL when called (a test function).',
  deterministic: false,
  variants: [
    {
      params: 'INTEGER arg',
      returns: 'STRING',
      impl: () => {
        throw new Error('boom!');
      },
    },
    {
      params: 'BOOLEAN arg',
      returns: 'INTEGER',
      impl: (arg: unknown) => {
        if (arg === true) throw new Error('You asked me to throw...');
        return 0;
      },
    },
    {
      params: 'STRING arg',
      returns: 'STRING',
      bind: () => {
        let calls = 0;
        return (arg: unknown) => (calls++ % 2 === 0 ? null : arg);
      },
    },
  ],
});

/** STRUCT<A STRING>. */
const STRUCT_A = structType([{ name: 'A', type: STRING }]);

const TEST_UDF = defineScalar({
  name: 'TEST_UDF',
  displayName: 'test_udf',
  category: 'OTHER',
  description: 'Names the overload a call resolved to (a test function).',
  variants: [
    { params: 'INTEGER arg1, STRING arg2', returns: 'STRING', impl: () => 'doStuffIntString' },
    { params: 'BIGINT arg1, STRING arg2', returns: 'STRING', impl: () => 'doStuffLongString' },
    { params: 'BIGINT arg1, BIGINT arg2, STRING arg3', returns: 'STRING', impl: () => 'doStuffLongLongString' },
    { params: 'BIGINT... longs', returns: 'STRING', impl: () => 'doStuffLongVarargs' },
    {
      params: 'STRUCT struct',
      returns: 'STRING',
      impl: (struct: Record<string, unknown> | null) => (struct === null ? null : (struct['A'] ?? null)),
    },
    { params: '', returns: () => STRUCT_A, impl: () => ({ A: 'foo' }) },
  ],
});

const TOSTRUCT = defineScalar({
  name: 'TOSTRUCT',
  displayName: 'tostruct',
  category: 'OTHER',
  description: 'Wraps a string in a struct with one field A (a test function).',
  variants: [{ params: 'STRING text', returns: () => STRUCT_A, impl: (text: string | null) => ({ A: text }) }],
});

/** Returns `value`, or fails when `evaluate` is false. */
function evaluatedOnlyWhenExpected(value: unknown, evaluate: unknown): unknown {
  if (evaluate !== true) throw new Error('This function should not have been evaluated.');
  return value;
}

const WHENCONDITION = defineScalar({
  name: 'WHENCONDITION',
  displayName: 'whenCondition',
  category: 'OTHER',
  description: 'Returns its first argument; fails when its second is false (a test function).',
  variants: [{ params: 'BOOLEAN retValue, BOOLEAN shouldBeEvaluated', returns: 'BOOLEAN', impl: evaluatedOnlyWhenExpected }],
});

const WHENRESULT = defineScalar({
  name: 'WHENRESULT',
  displayName: 'whenResult',
  category: 'OTHER',
  description: 'Returns its first argument; fails when its second is false (a test function).',
  variants: [{ params: 'INTEGER retValue, BOOLEAN shouldBeEvaluated', returns: 'INTEGER', impl: evaluatedOnlyWhenExpected }],
});

/** Java throws a NullPointerException where it unboxes or dereferences NULL. */
function present<T>(value: T | null | undefined): T {
  if (value === null || value === undefined) throw new Error('java.lang.NullPointerException');
  return value;
}

const MULTIPLY = defineScalar({
  name: 'MULTIPLY',
  displayName: 'multiply',
  category: 'OTHER',
  description: 'multiplies 2 numbers',
  variants: [
    { params: 'INTEGER v1, INTEGER v2', returns: 'BIGINT', impl: (a: number | null, b: number | null) => BigInt(Math.imul(present(a), present(b))) },
    { params: 'BIGINT v1, BIGINT v2', returns: 'BIGINT', impl: (a: bigint | null, b: bigint | null) => BigInt.asIntN(64, present(a) * present(b)) },
    { params: 'DOUBLE v1, DOUBLE v2', returns: 'DOUBLE', impl: (a: number | null, b: number | null) => present(a) * present(b) },
  ],
});

const STRING_TO_INT_MAP = mapType(STRING, INTEGER);

const TOSTRING = defineScalar({
  name: 'TOSTRING',
  displayName: 'tostring',
  category: 'OTHER',
  description: 'converts things to a string',
  variants: [
    { params: 'STRING value', returns: 'STRING', impl: (v: string | null) => v },
    { params: 'MAP<STRING, INTEGER> value', returns: 'STRING', impl: (v: Map<string, number> | null) => javaToString(present(v), STRING_TO_INT_MAP) },
    { params: 'INTEGER value', returns: 'STRING', impl: (v: number | null) => String(present(v)) },
    { params: 'BIGINT value', returns: 'STRING', impl: (v: bigint | null) => String(present(v)) },
  ],
});

const TOLIST = defineScalar({
  name: 'TOLIST',
  displayName: 'tolist',
  category: 'OTHER',
  description: 'converts things to a list',
  variants: [{ params: 'STRING value', returns: 'ARRAY<STRING>', impl: (v: string | null) => [v] }],
});

const TOMAP = defineScalar({
  name: 'TOMAP',
  displayName: 'tomap',
  category: 'OTHER',
  description: 'converts things to a map',
  variants: [{ params: 'STRING value', returns: 'MAP<STRING, STRING>', impl: (v: string | null) => new Map([[v, v]]) }],
});

/** Registers the test UDFs in a registry (the test driver's). */
export function registerTestUdfs(registry: FunctionRegistry): FunctionRegistry {
  for (const definition of [BAD_UDF, TEST_UDF, TOSTRUCT, WHENCONDITION, WHENRESULT, MULTIPLY, TOSTRING, TOLIST, TOMAP]) registry.register(definition);
  return registry;
}
