/**
 * Table functions (UDTFs): a call returns a list of values and the query
 * emits one row per value (several table functions in one SELECT are zipped
 * by the runtime, the shorter lists padded with NULL).
 *
 * Defined like scalar functions (params, returns, impl or bind), with kind
 * 'table' and category 'TABLE'; resolved by the same variant rules.
 */
import type { SqlType } from '../schema/sql-type.js';
import type { BindContext, FunctionDefinition, ScalarVariant, ScalarVariantInput } from './function-definition.js';
import { defineScalar } from './function-definition.js';
import { resolveVariant, type ArgumentType } from './resolve-variant.js';

export type TableFunctionImpl = (...args: never[]) => readonly unknown[];

export interface TableFunction extends FunctionDefinition<ScalarVariant> {
  readonly kind: 'table';
}

export interface TableFunctionInput {
  readonly name: string;
  readonly displayName?: string;
  readonly description: string;
  readonly variants: readonly ScalarVariantInput[];
}

export interface ResolvedTableFunctionCall {
  readonly function: TableFunction;
  /** Per argument: the type to cast it to before the call. */
  readonly paramTypes: readonly (SqlType | null)[];
  /** The type of each emitted value. */
  readonly returnType: SqlType;
  readonly implementation: (...args: unknown[]) => readonly unknown[];
}

export function defineTableFunction(input: TableFunctionInput): TableFunction {
  const scalar = defineScalar({ ...input, category: 'TABLE' });
  return { ...scalar, kind: 'table' };
}

export function resolveTableFunctionCall(def: TableFunction, args: readonly ArgumentType[]): ResolvedTableFunctionCall {
  const resolved = resolveVariant(def, args);
  const ctx: BindContext = resolved.context;
  const returnType = resolved.returnType;
  if (returnType === undefined) throw new Error(`table function ${def.name} has no return type`);
  return {
    function: def,
    paramTypes: ctx.paramTypes,
    returnType,
    implementation: resolved.variant.bind(ctx, returnType) as (...args: unknown[]) => readonly unknown[],
  };
}
