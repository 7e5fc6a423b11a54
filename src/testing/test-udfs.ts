/**
 * ksqlDB's test-only scalar function BAD_UDF, which its query-validation
 * tests call to see how queries treat a failing or NULL-returning
 * expression: with an INTEGER it always fails, with a BOOLEAN it fails on
 * TRUE (else 0), and with a STRING it returns NULL on every other call of a
 * call site (starting with NULL), the argument otherwise. Registered only in
 * the test driver's registry.
 */
import { defineScalar } from '../functions/function-definition.js';
import type { FunctionRegistry } from '../functions/registry.js';

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

/** Registers the test UDFs in a registry (the test driver's). */
export function registerTestUdfs(registry: FunctionRegistry): FunctionRegistry {
  registry.register(BAD_UDF);
  return registry;
}
