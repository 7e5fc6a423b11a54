/** Test helper: resolves a call against the built-in registry and runs it. */
import { createFunctionRegistry } from '../../src/functions/builtin-functions.js';
import type { ArgumentType } from '../../src/functions/resolve-variant.js';

export const registry = createFunctionRegistry();

/** Calls `name` with values whose argument types are given, as the compiler would. */
export function call(name: string, types: readonly ArgumentType[], ...values: unknown[]): unknown {
  return registry.resolve(name, types).implementation(...values);
}
