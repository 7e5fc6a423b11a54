/**
 * What a function is, for the registry: a name, a kind, a category for SHOW
 * FUNCTIONS, and one or more variants (overloads), each with a parameter
 * signature written in the pattern language of `param-type.ts`.
 *
 * Scalar variants carry their implementation: either a plain `impl`, or a
 * `bind` factory that is called once per call site with the bound argument
 * types and returns the implementation (so type-dependent choices, such as a
 * DECIMAL's scale, are made once and never per record). Aggregate and table
 * functions use the same definition shape with their own variant payloads.
 */
import type { SqlType } from '../schema/sql-type.js';
import { hasGenerics, parseParamType, splitTopLevel, type ParamType } from './param-type.js';

export type FunctionKind = 'scalar' | 'aggregate' | 'table';

/** SHOW FUNCTIONS categories, spelled as ksqlDB lists them. */
export type FunctionCategory =
  | 'STRING'
  | 'MATHEMATICAL'
  | 'CONDITIONAL'
  | 'JSON'
  | 'DATE / TIME'
  | 'ARRAY'
  | 'MAP'
  | 'LAMBDA'
  | 'URL'
  | 'REGULAR EXPRESSION'
  | 'CONVERSIONS'
  | 'OTHER'
  | 'AGGREGATE'
  | 'TABLE';

export interface ParamSpec {
  readonly name: string;
  readonly type: ParamType;
}

/** The bound types of one call, handed to `bind` and to computed return types. */
export interface BindContext {
  /** The argument types as the caller gave them (null: untyped NULL; lambdas as bound lambda types). */
  readonly argTypes: readonly (SqlType | null)[];
  /** The type each argument is converted to before the call (one entry per argument). */
  readonly paramTypes: readonly (SqlType | null)[];
  /** For lambda arguments, the bound types of the lambda's parameters. */
  readonly lambdaParamTypes: readonly (readonly SqlType[] | null)[];
}

/** A return type: a pattern over the generics, or a function of the bound call. */
export type ReturnSpec = ParamType | ((ctx: BindContext) => SqlType);

/** A runtime implementation over the value representation of sql-type.ts. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ScalarImpl = (...args: any[]) => unknown;

export interface VariantSignature {
  readonly params: readonly ParamSpec[];
  /** The last parameter may repeat zero or more times. */
  readonly variadic: boolean;
  readonly returns: ReturnSpec;
  readonly description: string;
  /** How many parameters mention a generic (ksqlDB prefers fewer). */
  readonly genericCount: number;
}

export interface ScalarVariant extends VariantSignature {
  /** Builds the implementation for one call site. */
  readonly bind: (ctx: BindContext, returnType: SqlType | undefined) => ScalarImpl;
}

export interface FunctionDefinition<V extends VariantSignature = VariantSignature> {
  readonly kind: FunctionKind;
  /** Upper-case lookup name. */
  readonly name: string;
  /** The spelling ksqlDB uses in its messages (often lower case). */
  readonly displayName: string;
  readonly category: FunctionCategory;
  readonly description: string;
  /** False for functions whose result varies between calls with equal arguments (RANDOM, UUID, now...): never constant-fold them. */
  readonly deterministic: boolean;
  readonly variants: readonly V[];
}

export interface ScalarFunction extends FunctionDefinition<ScalarVariant> {
  readonly kind: 'scalar';
}

/** How a scalar variant is written in the catalogue files. */
export interface ScalarVariantInput {
  /** e.g. `'STRING str, INTEGER pos'`, `'T first, T... others'`, `'ARRAY<T> list, LAMBDA(T) -> BOOLEAN fn'`. */
  readonly params: string;
  readonly returns: string | ((ctx: BindContext) => SqlType);
  readonly description?: string;
  readonly impl?: ScalarImpl;
  readonly bind?: (ctx: BindContext, returnType: SqlType | undefined) => ScalarImpl;
}

export interface ScalarFunctionInput {
  readonly name: string;
  readonly displayName?: string;
  readonly category: FunctionCategory;
  readonly description: string;
  /** Defaults to true. */
  readonly deterministic?: boolean;
  readonly variants: readonly ScalarVariantInput[];
}

/** Parses a parameter list such as `'STRING s, INTEGER... rest'`. */
export function parseParamList(text: string): { params: ParamSpec[]; variadic: boolean } {
  const parts = splitTopLevel(text);
  const params: ParamSpec[] = [];
  let variadic = false;
  parts.forEach((part, i) => {
    const match = /^(.*?)(\.\.\.)?\s+([A-Za-z_][A-Za-z0-9_]*)$/s.exec(part);
    if (!match) throw new Error(`bad parameter "${part}" in "${text}"`);
    if (match[2]) {
      if (i !== parts.length - 1) throw new Error(`only the last parameter may be variadic: "${text}"`);
      variadic = true;
    }
    params.push({ name: match[3]!, type: parseParamType(match[1]!) });
  });
  return { params, variadic };
}

/** Builds a scalar function definition from its catalogue entry (patterns parsed here, once). */
export function defineScalar(input: ScalarFunctionInput): ScalarFunction {
  const variants = input.variants.map((v): ScalarVariant => {
    const { params, variadic } = parseParamList(v.params);
    const impl = v.impl;
    const bind = v.bind ?? (impl ? () => impl : undefined);
    if (!bind) throw new Error(`variant ${input.name}(${v.params}) has neither impl nor bind`);
    return {
      params,
      variadic,
      returns: typeof v.returns === 'string' ? parseParamType(v.returns) : v.returns,
      description: v.description ?? input.description,
      genericCount: params.filter((p) => hasGenerics(p.type)).length,
      bind,
    };
  });
  return {
    kind: 'scalar',
    name: input.name.toUpperCase(),
    displayName: input.displayName ?? input.name.toLowerCase(),
    category: input.category,
    description: input.description,
    deterministic: input.deterministic ?? true,
    variants,
  };
}
