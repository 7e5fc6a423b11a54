/**
 * Picks the variant of a function that a call's argument types select, the
 * way ksqlDB's UdfIndex does:
 *
 *  1. Try every variant without implicit casts. If none matches,
 *  2. try again allowing implicit casts: INTEGER -> BIGINT -> DECIMAL -> DOUBLE
 *     (widening only), and STRING -> DATE / TIME / TIMESTAMP / BYTES.
 *  An untyped NULL argument matches any parameter. A generic binds to the
 *  first argument it meets; later arguments must equal it (or, in the cast
 *  pass, be castable either way, the binding widening as needed). A lambda
 *  argument matches a LAMBDA parameter of the same arity; its parameter types
 *  come from generics bound by earlier arguments.
 *  Among matches, a fixed-arity variant beats a variadic one, then the one
 *  with more parameters wins, then the one with fewer generic parameters. A
 *  tie at the top is ambiguous and an error, as in ksqlDB.
 */
import { KsqlError } from '../common/errors.js';
import { decimalType, sqlTypesEqual, arrayType, mapType, type SqlType } from '../schema/sql-type.js';
import type { BindContext, FunctionDefinition, ReturnSpec, VariantSignature } from './function-definition.js';
import { formatArgumentTypes, formatParamType, type ParamType } from './param-type.js';

/** A lambda argument as the analyzer sees it before (arity only) and after (with return type) typing its body. */
export interface LambdaArgument {
  readonly kind: 'LAMBDA';
  readonly arity: number;
  readonly returnType?: SqlType;
}

/** One argument's type: a SQL type, `null` for an untyped NULL literal, or a lambda. */
export type ArgumentType = SqlType | null | LambdaArgument;

export interface ResolvedVariant<V extends VariantSignature> {
  readonly variant: V;
  readonly context: BindContext;
  /** Undefined only when it depends on a lambda whose return type was not given. */
  readonly returnType: SqlType | undefined;
}

type Bindings = Map<string, SqlType>;

const NUMERIC_RANK: Readonly<Record<string, number>> = { INTEGER: 0, BIGINT: 1, DECIMAL: 2, DOUBLE: 3 };

export function isLambdaArgument(arg: ArgumentType): arg is LambdaArgument {
  return arg !== null && arg.kind === 'LAMBDA';
}

/** ksqlDB's implicit cast rule between base types. */
export function canImplicitlyCast(from: SqlType['kind'], to: SqlType['kind']): boolean {
  if (from === to) return true;
  const a = NUMERIC_RANK[from];
  const b = NUMERIC_RANK[to];
  if (a !== undefined && b !== undefined) return a <= b;
  return from === 'STRING' && (to === 'DATE' || to === 'TIME' || to === 'TIMESTAMP' || to === 'BYTES');
}

/** The DECIMAL an integer type widens to. */
export function decimalFor(type: SqlType): SqlType {
  if (type.kind === 'DECIMAL') return type;
  if (type.kind === 'INTEGER') return decimalType(10, 0);
  if (type.kind === 'BIGINT') return decimalType(19, 0);
  throw new Error(`no decimal for ${type.kind}`);
}

/** The smallest DECIMAL holding both. */
export function widenDecimals(a: SqlType, b: SqlType): SqlType {
  const x = decimalFor(a) as { precision: number; scale: number };
  const y = decimalFor(b) as { precision: number; scale: number };
  const scale = Math.max(x.scale, y.scale);
  return decimalType(Math.max(x.precision - x.scale, y.precision - y.scale) + scale, scale);
}

/** The common type of two numeric types (or collections of them): the wider one, or undefined. */
function widen(a: SqlType, b: SqlType): SqlType | undefined {
  if (sqlTypesEqual(a, b)) return a;
  if (a.kind === 'ARRAY' && b.kind === 'ARRAY') {
    const e = widen(a.element, b.element);
    return e && arrayType(e);
  }
  if (a.kind === 'MAP' && b.kind === 'MAP') {
    const k = widen(a.key, b.key);
    const v = widen(a.value, b.value);
    return k && v && mapType(k, v);
  }
  if (a.kind === 'STRUCT' || b.kind === 'STRUCT') return undefined;
  const ra = NUMERIC_RANK[a.kind];
  const rb = NUMERIC_RANK[b.kind];
  if (ra !== undefined && rb !== undefined) {
    const top = Math.max(ra, rb);
    if (top === 2) return widenDecimals(a, b);
    return ra >= rb ? a : b;
  }
  return undefined;
}

function accepts(param: ParamType, arg: ArgumentType, bindings: Bindings, allowCasts: boolean): boolean {
  if (arg === null) return true;
  if (isLambdaArgument(arg)) {
    if (param.kind !== 'LAMBDA' || param.params.length !== arg.arity) return false;
    if (arg.returnType === undefined) return true;
    return accepts(param.returns, arg.returnType, bindings, allowCasts);
  }
  switch (param.kind) {
    case 'LAMBDA':
      return false;
    case 'GENERIC': {
      const bound = bindings.get(param.name);
      if (bound === undefined) {
        bindings.set(param.name, arg);
        return true;
      }
      if (sqlTypesEqual(bound, arg)) return true;
      if (!allowCasts) return false;
      const wider = widen(bound, arg);
      if (wider === undefined) return false;
      bindings.set(param.name, wider);
      return true;
    }
    case 'ARRAY':
      return arg.kind === 'ARRAY' && accepts(param.element, arg.element, bindings, allowCasts);
    case 'MAP':
      return arg.kind === 'MAP' && accepts(param.key, arg.key, bindings, allowCasts) && accepts(param.value, arg.value, bindings, allowCasts);
    case 'STRUCT':
      return arg.kind === 'STRUCT';
    case 'ANY':
      return true;
    case 'DECIMAL':
      return arg.kind === 'DECIMAL' || (allowCasts && (arg.kind === 'INTEGER' || arg.kind === 'BIGINT'));
    default:
      return arg.kind === param.kind || (allowCasts && canImplicitlyCast(arg.kind, param.kind));
  }
}

function paramAt(variant: VariantSignature, i: number): ParamType {
  const n = variant.params.length;
  return variant.variadic && i >= n - 1 ? variant.params[n - 1]!.type : variant.params[i]!.type;
}

function matchVariant(variant: VariantSignature, args: readonly ArgumentType[], allowCasts: boolean): Bindings | undefined {
  const n = variant.params.length;
  if (variant.variadic ? args.length < n - 1 : args.length !== n) return undefined;
  const bindings: Bindings = new Map();
  for (let i = 0; i < args.length; i++) {
    if (!accepts(paramAt(variant, i), args[i]!, bindings, allowCasts)) return undefined;
  }
  return bindings;
}

/** Instantiates a pattern with the bindings; `arg` supplies what the pattern leaves open (DECIMAL, STRUCT). */
export function instantiate(type: ParamType, bindings: ReadonlyMap<string, SqlType>, arg: SqlType | null): SqlType | null {
  switch (type.kind) {
    case 'GENERIC':
      return bindings.get(type.name) ?? arg;
    case 'DECIMAL':
      return arg === null ? null : arg.kind === 'DECIMAL' || arg.kind === 'INTEGER' || arg.kind === 'BIGINT' ? decimalFor(arg) : null;
    case 'STRUCT':
      return arg !== null && arg.kind === 'STRUCT' ? arg : null;
    case 'ANY':
      return arg;
    case 'ARRAY': {
      const e = instantiate(type.element, bindings, arg !== null && arg.kind === 'ARRAY' ? arg.element : null);
      return e === null ? null : arrayType(e);
    }
    case 'MAP': {
      const k = instantiate(type.key, bindings, arg !== null && arg.kind === 'MAP' ? arg.key : null);
      const v = instantiate(type.value, bindings, arg !== null && arg.kind === 'MAP' ? arg.value : null);
      return k === null || v === null ? null : mapType(k, v);
    }
    case 'LAMBDA':
      return instantiate(type.returns, bindings, arg);
    default:
      return { kind: type.kind };
  }
}

function compareVariants(a: VariantSignature, b: VariantSignature): number {
  return (a.variadic ? 0 : 1) - (b.variadic ? 0 : 1) || a.params.length - b.params.length || b.genericCount - a.genericCount;
}

/** `name(TYPE param, ...)`, as ksqlDB lists the valid alternatives. */
export function formatVariant(displayName: string, variant: VariantSignature): string {
  const params = variant.params.map((p, i) => {
    const last = variant.variadic && i === variant.params.length - 1;
    return `${formatParamType(p.type)}${last ? '...' : ''} ${p.name}`;
  });
  return `${displayName}(${params.join(', ')})`;
}

function alternatives(def: FunctionDefinition): string {
  return def.variants.map((v) => formatVariant(def.displayName, v)).join('\n');
}

/** Resolves a call against a function's variants (any kind), or throws ksqlDB's error. */
export function resolveVariant<V extends VariantSignature>(def: FunctionDefinition<V>, args: readonly ArgumentType[]): ResolvedVariant<V> {
  for (const allowCasts of [false, true]) {
    const matches: { variant: V; bindings: Bindings }[] = [];
    for (const variant of def.variants) {
      const bindings = matchVariant(variant, args, allowCasts);
      if (bindings) matches.push({ variant, bindings });
    }
    if (matches.length === 0) continue;
    matches.sort((a, b) => compareVariants(b.variant, a.variant));
    if (matches.length > 1 && compareVariants(matches[0]!.variant, matches[1]!.variant) === 0) {
      throw new KsqlError(
        'BAD_STATEMENT',
        `Function '${def.displayName}' cannot be resolved due to ambiguous method parameters ${formatArgumentTypes(args)}.\n` +
          'Use CAST() to explicitly cast your parameters to one of the supported function calls.\n' +
          `Valid function calls are:\n${alternatives(def)}\n` +
          'For detailed information on a function run: DESCRIBE FUNCTION <Function-Name>;',
      );
    }
    return bindCall(def, matches[0]!.variant, matches[0]!.bindings, args);
  }
  throw new KsqlError(
    'BAD_STATEMENT',
    `Function '${def.displayName}' does not accept parameters ${formatArgumentTypes(args)}.\n` +
      `Valid alternatives are:\n${alternatives(def)}\n` +
      'For detailed information on a function run: DESCRIBE FUNCTION <Function-Name>;',
  );
}

function bindCall<V extends VariantSignature>(
  def: FunctionDefinition<V>,
  variant: V,
  bindings: Bindings,
  args: readonly ArgumentType[],
): ResolvedVariant<V> {
  const argTypes: (SqlType | null)[] = [];
  const paramTypes: (SqlType | null)[] = [];
  const lambdaParamTypes: (readonly SqlType[] | null)[] = [];
  let lambdaPending = false;
  args.forEach((arg, i) => {
    const param = paramAt(variant, i);
    if (isLambdaArgument(arg) && param.kind === 'LAMBDA') {
      const types = param.params.map((p) => instantiate(p, bindings, null));
      if (types.some((t) => t === null)) {
        throw new KsqlError('BAD_STATEMENT', `Function '${def.displayName}' cannot type the parameters of its lambda argument ${i + 1}: bind them with a typed argument first.`);
      }
      lambdaParamTypes.push(types as SqlType[]);
      if (arg.returnType === undefined) lambdaPending = true;
      const ret = arg.returnType ?? null;
      argTypes.push(ret);
      paramTypes.push(instantiate(param.returns, bindings, ret));
      return;
    }
    const sqlArg = arg as SqlType | null;
    argTypes.push(sqlArg);
    lambdaParamTypes.push(null);
    paramTypes.push(instantiate(param, bindings, sqlArg));
  });
  const context: BindContext = { argTypes, paramTypes, lambdaParamTypes };
  return { variant, context, returnType: computeReturnType(def, variant.returns, bindings, context, lambdaPending) };
}

function computeReturnType(
  def: FunctionDefinition,
  returns: ReturnSpec,
  bindings: Bindings,
  ctx: BindContext,
  lambdaPending: boolean,
): SqlType | undefined {
  if (typeof returns === 'function') return lambdaPending ? undefined : returns(ctx);
  const type = instantiate(returns, bindings, null);
  if (type !== null) return type;
  if (lambdaPending) return undefined;
  throw new KsqlError(
    'BAD_STATEMENT',
    `Function '${def.displayName}' cannot infer its return type ${formatParamType(returns)} from parameters ${formatArgumentTypes(ctx.argTypes)}. Cast NULL arguments to a type.`,
  );
}
