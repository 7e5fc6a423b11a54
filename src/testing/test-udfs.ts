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
 */
import { defineScalar } from '../functions/function-definition.js';
import type { FunctionRegistry } from '../functions/registry.js';
import { STRING, structType } from '../schema/sql-type.js';

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

/** Registers the test UDFs in a registry (the test driver's). */
export function registerTestUdfs(registry: FunctionRegistry): FunctionRegistry {
  for (const definition of [BAD_UDF, TEST_UDF, TOSTRUCT, WHENCONDITION, WHENRESULT]) registry.register(definition);
  return registry;
}
