/**
 * The typed API of user functions (`ksqlite/udf`): an extension module
 * exports what `defineFunction`, `defineAggregate` and `defineTableFunction`
 * return, and the server registers it (see extension-loader.ts).
 *
 * Types are ksqlDB's SQL types as text. A parameter takes a type pattern:
 * a concrete type, `DECIMAL` or `STRUCT` (any precision or fields), `ANY`,
 * or a generic such as `T` (`ARRAY<T>`, `MAP<K, V>`). A return type is a
 * concrete type (`DECIMAL(10, 2)`, `STRUCT<A STRING>`) or a pattern over the
 * parameters' generics. The last parameter (aggregates: any one) may be
 * `variadic`: its arguments are passed spread. Values are ksqlite's runtime
 * values: BIGINT a `bigint`, DECIMAL a decimal.js `Decimal`, DATE days and
 * TIME milliseconds as numbers, TIMESTAMP epoch milliseconds, BYTES a
 * `Buffer`, MAP a `Map`, STRUCT a plain object keyed by field name, NULL
 * `null`. Implementations are synchronous and called once per record.
 */

export interface UserParam {
  readonly name: string;
  readonly type: string;
  readonly variadic?: boolean;
  /** A short text for DESCRIBE FUNCTION. */
  readonly description?: string;
}

export interface UserFunctionInfo {
  readonly name: string;
  readonly description: string;
  readonly author?: string;
  readonly version?: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyArgs = any[];

export interface ScalarOverload {
  readonly params: readonly UserParam[];
  readonly returns: string;
  readonly description?: string;
  readonly implementation: (...args: AnyArgs) => unknown;
}

export interface AggregateOverload<A = unknown> {
  /** Column arguments; a parameter marked `literal` must be given a literal, passed to `initialize`. */
  readonly params: readonly (UserParam & { readonly literal?: boolean })[];
  readonly returns: string;
  /** The accumulator's SQL type, when it differs from the return type. */
  readonly intermediate?: string;
  readonly description?: string;
  initialize(...literals: AnyArgs): A;
  add(acc: A, ...args: AnyArgs): A;
  /** Present when the aggregate may run over a table: takes back a row added before. */
  undo?(acc: A, ...args: AnyArgs): A;
  /** Session windows: combines two accumulators. */
  merge(a: A, b: A): A;
  result(acc: A): unknown;
}

export interface TableOverload {
  readonly params: readonly UserParam[];
  /** The type of each emitted value. */
  readonly returns: string;
  readonly description?: string;
  /** The values to emit, one row each. */
  readonly implementation: (...args: AnyArgs) => readonly unknown[];
}

export interface ScalarFunctionSpec extends UserFunctionInfo {
  /** False when equal arguments may give different results (never constant-folded). */
  readonly deterministic?: boolean;
  readonly overloads: readonly ScalarOverload[];
}

export interface AggregateFunctionSpec extends UserFunctionInfo {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly overloads: readonly AggregateOverload<any>[];
}

export interface TableFunctionSpec extends UserFunctionInfo {
  readonly overloads: readonly TableOverload[];
}

/** What a module exports; `ksqliteFunction` tells the loader its kind. */
export type UserFunction =
  | (ScalarFunctionSpec & { readonly ksqliteFunction: 'scalar' })
  | (AggregateFunctionSpec & { readonly ksqliteFunction: 'aggregate' })
  | (TableFunctionSpec & { readonly ksqliteFunction: 'table' });

export function defineFunction(spec: ScalarFunctionSpec): UserFunction {
  return Object.freeze({ ...spec, ksqliteFunction: 'scalar' as const });
}

export function defineAggregate<A>(spec: UserFunctionInfo & { readonly overloads: readonly AggregateOverload<A>[] }): UserFunction {
  return Object.freeze({ ...spec, ksqliteFunction: 'aggregate' as const });
}

export function defineTableFunction(spec: TableFunctionSpec): UserFunction {
  return Object.freeze({ ...spec, ksqliteFunction: 'table' as const });
}

/** True for a value a module exported through one of the define functions (of any copy of the package). */
export function isUserFunction(value: unknown): value is UserFunction {
  const kind = (value as { ksqliteFunction?: unknown } | null)?.ksqliteFunction;
  return kind === 'scalar' || kind === 'aggregate' || kind === 'table';
}
