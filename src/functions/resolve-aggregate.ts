/**
 * Resolves an aggregate call: picks the variant with the scalar rules of
 * resolve-variant.ts (a variadic parameter may sit anywhere: it is expanded
 * to the call's argument count first), checks that literal parameters got
 * literals, converts those literals, and binds the aggregator factory.
 */
import { KsqlError } from '../common/errors.js';
import { Decimal } from '../schema/decimal.js';
import type { SqlType } from '../schema/sql-type.js';
import type { AggregateConfig, AggregateFunction, AggregateParamSpec, AggregateVariant, Aggregator } from './aggregate-function.js';
import type { BindContext, FunctionDefinition } from './function-definition.js';
import { formatArgumentTypes, formatParamType } from './param-type.js';
import { instantiate, resolveVariant } from './resolve-variant.js';

/** One argument of an aggregate call. */
export interface AggregateArgument {
  /** Null for an untyped NULL literal. */
  readonly type: SqlType | null;
  /** Present when the argument is a literal: its runtime value. */
  readonly constant?: unknown;
  /** The argument's SQL text, for messages (e.g. a non-literal where a literal is needed). */
  readonly text?: string;
}

export interface ResolvedAggregateCall {
  readonly function: AggregateFunction;
  readonly variant: AggregateVariant;
  /** Indexes of the arguments evaluated per row, in order. */
  readonly columnArgs: readonly number[];
  /** Per column argument: the type to cast it to first (null leaves an untyped NULL as is). */
  readonly paramTypes: readonly (SqlType | null)[];
  readonly returnType: SqlType;
  /** The accumulator's SQL type as ksqlDB declares it (formats that cannot hold it are refused). */
  readonly intermediateType: SqlType;
  /** ksqlDB allows it over a table source (its aggregator has `undo`). */
  readonly supportsTables: boolean;
  /** Once per call site per task. */
  createAggregator(): Aggregator;
}

interface Expanded {
  readonly original: AggregateVariant;
  readonly params: readonly AggregateParamSpec[];
}

/** The variant's parameters for `count` arguments (the variadic one repeated), or undefined. */
function expand(variant: AggregateVariant, count: number): Expanded | undefined {
  const n = variant.params.length;
  if (variant.variadicIndex < 0) return count === n ? { original: variant, params: variant.params } : undefined;
  const repeat = count - (n - 1);
  if (repeat < 0) return undefined;
  const v = variant.variadicIndex;
  const params = [...variant.params.slice(0, v), ...Array<AggregateParamSpec>(repeat).fill(variant.params[v]!), ...variant.params.slice(v + 1)];
  return { original: variant, params };
}

function formatAggregateVariant(def: AggregateFunction, variant: AggregateVariant): string {
  const params = variant.params.map((p, i) => `${formatParamType(p.type)}${i === variant.variadicIndex ? '...' : ''} ${p.name}`);
  return `${def.displayName}(${params.join(', ')})`;
}

function noMatch(def: AggregateFunction, types: readonly (SqlType | null)[]): KsqlError {
  return new KsqlError(
    'BAD_STATEMENT',
    `Function '${def.displayName}' does not accept parameters ${formatArgumentTypes(types)}.\n` +
      `Valid alternatives are:\n${def.variants.map((v) => formatAggregateVariant(def, v)).join('\n')}\n` +
      'For detailed information on a function run: DESCRIBE FUNCTION <Function-Name>;',
  );
}

/** Converts a literal's value to the runtime representation of its parameter's type. */
function convertLiteral(value: unknown, type: SqlType | null): unknown {
  if (value === null || value === undefined || type === null) return value ?? null;
  switch (type.kind) {
    case 'INTEGER':
      return typeof value === 'bigint' ? Number(BigInt.asIntN(32, value)) : value;
    case 'BIGINT':
      return typeof value === 'number' ? BigInt(Math.trunc(value)) : value;
    case 'DOUBLE':
      return typeof value === 'bigint' ? Number(value) : value instanceof Decimal ? value.toNumber() : value;
    case 'DECIMAL':
      return typeof value === 'number' || typeof value === 'bigint' ? new Decimal(value.toString()) : value;
    default:
      return value;
  }
}

export function resolveAggregateCall(def: AggregateFunction, args: readonly AggregateArgument[], config: AggregateConfig): ResolvedAggregateCall {
  const types = args.map((a) => a.type);
  const expanded: Expanded[] = [];
  for (const variant of def.variants) {
    const e = expand(variant, args.length);
    if (e) expanded.push(e);
  }
  // Each expanded variant keeps the original's `variadic` flag, so ranking (fixed arity first) is unchanged.
  const synthetic: FunctionDefinition<AggregateVariant & { readonly expandedFrom: Expanded }> = {
    ...def,
    variants: expanded.map((e) => ({ ...e.original, params: e.params, variadicIndex: -1, expandedFrom: e })),
  };
  let resolved;
  try {
    resolved = resolveVariant(synthetic, types);
  } catch (e) {
    if (e instanceof KsqlError && e.message.includes('does not accept parameters')) throw noMatch(def, types);
    throw e;
  }
  const { variant: chosen, context } = resolved;
  const original = chosen.expandedFrom.original;
  const columnArgs: number[] = [];
  const paramTypes: (SqlType | null)[] = [];
  const argTypes: (SqlType | null)[] = [];
  const literals: unknown[] = [];
  chosen.params.forEach((param, i) => {
    const arg = args[i]!;
    if (param.literal) {
      if (!('constant' in arg) || arg.constant === undefined) {
        throw new KsqlError(
          'BAD_STATEMENT',
          `Parameter ${i + 1} passed to function ${def.name} must be a literal constant, but was expression: '${arg.text ?? '?'}'`,
        );
      }
      literals.push(convertLiteral(arg.constant, context.paramTypes[i] ?? null));
    } else {
      columnArgs.push(i);
      paramTypes.push(context.paramTypes[i] ?? null);
      argTypes.push(arg.type);
    }
  });
  const returnType = resolved.returnType;
  if (returnType === undefined) throw new Error(`aggregate ${def.name} has no return type`);
  const intermediateType = original.intermediate === undefined ? returnType : computeType(def, original.intermediate, context);
  const ctx = { argTypes, paramTypes, literals, returnType, config };
  original.create(ctx); // once now, so that bad literal values are reported when the statement is analyzed
  return {
    function: def,
    variant: original,
    columnArgs,
    paramTypes,
    returnType,
    intermediateType,
    supportsTables: original.supportsTables,
    createAggregator: () => original.create(ctx),
  };
}

function computeType(def: AggregateFunction, spec: NonNullable<AggregateVariant['intermediate']>, ctx: BindContext): SqlType {
  if (typeof spec === 'function') return spec(ctx);
  const t = instantiate(spec, new Map(), null);
  if (t === null) throw new Error(`aggregate ${def.name}: intermediate type ${formatParamType(spec)} must be concrete or computed`);
  return t;
}
