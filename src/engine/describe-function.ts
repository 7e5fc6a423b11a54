/**
 * SHOW FUNCTIONS and DESCRIBE FUNCTION: ksqlDB's `function_names` and
 * `describe_function` entities, built from the function registry. A
 * built-in's path is `internal` as in ksqlDB; a user function's is the
 * module it came from, with its author and version. The extension
 * directory's problems come as warnings of SHOW FUNCTIONS.
 */
import type { FunctionRegistry } from '../functions/registry.js';
import type { StatementOfKind } from '../parser/ast/statement.js';

export type FunctionType = 'SCALAR' | 'AGGREGATE' | 'TABLE';

export interface FunctionNameListEntity {
  readonly '@type': 'function_names';
  readonly statementText: string;
  readonly functions: readonly { readonly name: string; readonly type: FunctionType; readonly category: string }[];
  readonly warnings: readonly { readonly message: string }[];
}

export interface ArgumentInfo {
  readonly name: string;
  readonly type: string;
  readonly description: string;
  readonly isVariadic: boolean;
}

export interface FunctionInfo {
  readonly arguments: readonly ArgumentInfo[];
  /** The argument types alone (ksqlDB keeps this for old clients). */
  readonly argumentTypes: readonly string[];
  readonly returnType: string;
  readonly description: string;
}

export interface FunctionDescriptionEntity {
  readonly '@type': 'describe_function';
  readonly statementText: string;
  readonly name: string;
  readonly description: string;
  readonly author: string;
  readonly version: string;
  readonly path: string;
  readonly functions: readonly FunctionInfo[];
  readonly type: FunctionType;
  readonly warnings: readonly { readonly message: string }[];
}

export function listFunctions(functions: FunctionRegistry, stmt: StatementOfKind<'ListFunctions'>): FunctionNameListEntity {
  return {
    '@type': 'function_names',
    statementText: stmt.text,
    functions: functions.list().map((f) => ({ name: f.name, type: functionType(f.kind), category: f.category })),
    warnings: functions.userFunctionWarnings.map((message) => ({ message })),
  };
}

export function describeFunction(functions: FunctionRegistry, stmt: StatementOfKind<'DescribeFunction'>): FunctionDescriptionEntity {
  const d = functions.describe(stmt.name);
  const origin = functions.originOf(d.name);
  return {
    '@type': 'describe_function',
    statementText: stmt.text,
    name: d.name,
    description: d.description,
    author: origin === undefined ? 'ksqlite' : origin.author,
    version: origin?.version ?? '',
    path: origin?.path ?? 'internal',
    functions: d.variants.map((v) => ({
      arguments: v.arguments.map((a) => ({ name: a.name, type: a.type, description: '', isVariadic: a.variadic })),
      argumentTypes: v.arguments.map((a) => a.type),
      returnType: v.returnType,
      description: v.description,
    })),
    type: functionType(d.kind),
    warnings: [],
  };
}

function functionType(kind: 'scalar' | 'aggregate' | 'table'): FunctionType {
  return kind === 'scalar' ? 'SCALAR' : kind === 'aggregate' ? 'AGGREGATE' : 'TABLE';
}
