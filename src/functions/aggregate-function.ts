/**
 * Aggregate functions (UDAFs): how they are defined, and what a resolved call
 * hands to the runtime.
 *
 * ## For whoever adds an aggregate
 *
 * Write an `AggregateFunctionInput` (see src/functions/aggregates/*.ts) and
 * pass it to `defineAggregate`; register the result like any function
 * (`registry.register(def)`, or `registry.registerAggregate(input)` for a
 * user-defined one). Each variant gives:
 *
 *  - `params`: every parameter in call order, in the pattern language of
 *    param-type.ts. Parameters evaluated per row come first; parameters that
 *    must be literals ("init" arguments, such as TOPK's k) are prefixed with
 *    `literal`, e.g. `'T col, literal INTEGER k'`. One parameter may be
 *    variadic (`STRING... cols`), at any position.
 *  - `returns`: a pattern, or a function of the bound types.
 *  - `intermediate`: the SQL type of the accumulator as ksqlDB declares it
 *    (used to reject value formats that cannot hold it); defaults to the
 *    return type.
 *  - `create(ctx)`: builds an `Aggregator` for one call site, from the column
 *    argument types, the literal values and the query's config. It is also
 *    called once when the call is resolved: throw a KsqlError there for bad
 *    literal values.
 *  - `table: true` when the aggregator has `undo`, so it may aggregate a table.
 *
 * An `Aggregator` folds rows into an accumulator: `initialize`, `add` (per
 * row, with the column arguments after their casts), `undo` (table sources:
 * removes a value added before), `merge` (session windows) and `result`.
 * `add`, `undo` and `merge` may mutate the accumulator and return it.
 * Accumulators hold runtime values only (null, boolean, number, bigint,
 * string, Decimal, Buffer, arrays, plain objects, Map): the runtime stores
 * them generically. NULL arguments reach the aggregator; it applies its own
 * NULL rule (most ignore NULLs; COLLECT_LIST keeps them).
 */
import type { SqlType } from '../schema/sql-type.js';
import type { BindContext, FunctionCategory, FunctionDefinition, ParamSpec, ReturnSpec, VariantSignature } from './function-definition.js';
import { hasGenerics, parseParamType, splitTopLevel } from './param-type.js';

export interface Aggregator<A = unknown> {
  initialize(): A;
  /** `args` are the column arguments, cast to the call's parameter types. */
  add(acc: A, args: readonly unknown[]): A;
  /** Present iff the function supports table sources: removes a value added before. */
  undo?(acc: A, args: readonly unknown[]): A;
  /** Combines two accumulators (session windows merging). */
  merge(a: A, b: A): A;
  /** The output value, in the runtime value representation of its SQL type. */
  result(acc: A): unknown;
}

/**
 * An aggregator over a list that one step, `insert`, grows by a value (or
 * leaves as it is): adding is an insert, merging inserts the other list's
 * values one by one, and the result is a copy of the list.
 */
export function insertingListAggregator(insert: (acc: unknown[], value: unknown) => unknown[]): Aggregator<unknown[]> {
  return {
    initialize: () => [],
    add: (acc, [v]) => insert(acc, v ?? null),
    merge: (a, b) => b.reduce<unknown[]>(insert, a),
    result: (acc) => [...acc],
  };
}

/**
 * The query's properties (e.g. `ksql.functions.collect_list.limit`): anything
 * with a `get(name)` (the engine's KsqlConfig), or a plain record.
 */
export type AggregateConfig = { readonly get: (name: string) => unknown } | Readonly<Record<string, unknown>>;

/** One property of an AggregateConfig (undefined when absent). */
export function readConfig(config: AggregateConfig, name: string): unknown {
  const get = (config as { get?: unknown }).get;
  return typeof get === 'function' ? ((get as (n: string) => unknown).call(config, name) ?? undefined) : (config as Record<string, unknown>)[name];
}

/** What `create` gets: the column arguments' types, the literal arguments' values, the config. */
export interface AggregateBindContext {
  /** Per column argument: the type it was given with (null: untyped NULL). */
  readonly argTypes: readonly (SqlType | null)[];
  /** Per column argument: the type it is cast to before `add`. */
  readonly paramTypes: readonly (SqlType | null)[];
  /** The literal ("init") arguments' values, converted to their parameter types, in order. */
  readonly literals: readonly unknown[];
  readonly returnType: SqlType;
  readonly config: AggregateConfig;
}

export interface AggregateParamSpec extends ParamSpec {
  /** True for a parameter that must be a literal: read once at resolve time, never per row. */
  readonly literal: boolean;
}

export interface AggregateVariant extends VariantSignature {
  readonly params: readonly AggregateParamSpec[];
  /** Index of the variadic parameter, or -1. */
  readonly variadicIndex: number;
  readonly intermediate: ReturnSpec | undefined;
  readonly supportsTables: boolean;
  readonly create: (ctx: AggregateBindContext) => Aggregator;
}

export interface AggregateFunction extends FunctionDefinition<AggregateVariant> {
  readonly kind: 'aggregate';
}

export interface AggregateVariantInput {
  /** e.g. `'T col'`, `'T col, literal INTEGER n, literal BOOLEAN ignoreNulls'`, `'BIGINT a, STRING... b, literal INTEGER c'`. */
  readonly params: string;
  readonly returns: string | ((ctx: BindContext) => SqlType);
  readonly intermediate?: string | ((ctx: BindContext) => SqlType);
  readonly description?: string;
  /** True when the aggregator implements `undo`. */
  readonly table?: boolean;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly create: (ctx: AggregateBindContext) => Aggregator<any>;
}

export interface AggregateFunctionInput {
  readonly name: string;
  /** The spelling in messages; defaults to the name as given. */
  readonly displayName?: string;
  readonly description: string;
  readonly variants: readonly AggregateVariantInput[];
}

function parseAggregateParams(text: string): { params: AggregateParamSpec[]; variadicIndex: number } {
  const params: AggregateParamSpec[] = [];
  let variadicIndex = -1;
  splitTopLevel(text).forEach((raw, i) => {
    const literal = /^literal\s+/i.test(raw);
    const part = literal ? raw.replace(/^literal\s+/i, '') : raw;
    const match = /^(.*?)(\.\.\.)?\s+([A-Za-z_][A-Za-z0-9_]*)$/s.exec(part);
    if (!match) throw new Error(`bad parameter "${raw}" in "${text}"`);
    if (match[2]) {
      if (variadicIndex >= 0) throw new Error(`only one parameter may be variadic: "${text}"`);
      variadicIndex = i;
    }
    params.push({ name: match[3]!, type: parseParamType(match[1]!), literal });
  });
  return { params, variadicIndex };
}

function toReturnSpec(spec: string | ((ctx: BindContext) => SqlType)): ReturnSpec {
  return typeof spec === 'string' ? parseParamType(spec) : spec;
}

/** Builds an aggregate function definition from its catalogue entry (patterns parsed here, once). */
export function defineAggregate(input: AggregateFunctionInput): AggregateFunction {
  const variants = input.variants.map((v): AggregateVariant => {
    const { params, variadicIndex } = parseAggregateParams(v.params);
    return {
      params,
      variadic: variadicIndex >= 0,
      variadicIndex,
      returns: toReturnSpec(v.returns),
      intermediate: v.intermediate === undefined ? undefined : toReturnSpec(v.intermediate),
      description: v.description ?? input.description,
      genericCount: params.filter((p) => hasGenerics(p.type)).length,
      supportsTables: v.table ?? false,
      create: v.create,
    };
  });
  return {
    kind: 'aggregate',
    name: input.name.toUpperCase(),
    displayName: input.displayName ?? input.name,
    category: 'AGGREGATE' satisfies FunctionCategory,
    description: input.description,
    deterministic: true,
    variants,
  };
}
