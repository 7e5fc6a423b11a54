/**
 * The one function registry: scalar, aggregate and table functions, all in
 * the same map and resolved by the same rules.
 *
 * How the analyzer and the expression compiler use it:
 *
 *   const call = registry.resolve('SUBSTRING', [STRING, INTEGER]);
 *   call.paramTypes   // the type each argument must be cast to (null: leave the NULL as is)
 *   call.returnType   // the call's SQL type
 *   call.implementation(value0, value1)   // plain synchronous JS function
 *
 * Arguments are SqlTypes, `null` for an untyped NULL literal, or
 * `{ kind: 'LAMBDA', arity }` for a lambda. For a lambda, resolve first with
 * the arity only: `call.lambdaParamTypes[i]` gives the types of the lambda's
 * parameters, so the analyzer can type the body; then resolve again with
 * `{ kind: 'LAMBDA', arity, returnType }` to get the final return type. At run
 * time a lambda argument is passed as a plain JS function of its parameters.
 * Variadic arguments are passed spread, in order, like the others.
 *
 * `resolve` builds the implementation for the call site (a variant's `bind`
 * runs here, once), so nothing is looked up or type-tested per record.
 * Errors are KsqlError('BAD_STATEMENT') worded as ksqlDB words them.
 *
 * Aggregates: `resolveAggregate(name, args, config)` (see resolve-aggregate.ts
 * and aggregate-function.ts) gives the column arguments to evaluate per row,
 * their casts, the return and intermediate types and an aggregator factory.
 * Table functions: `resolveTableFunction(name, argTypes)` gives an
 * implementation returning the list of values to emit, one row each.
 * User-defined aggregates are registered with `registerAggregate(input)`, the
 * same definition shape as the built-ins (src/functions/aggregates/).
 */
import { KsqlError } from '../common/errors.js';
import type { SqlType } from '../schema/sql-type.js';
import type {
  BindContext,
  FunctionCategory,
  FunctionDefinition,
  FunctionKind,
  ScalarFunction,
  ScalarImpl,
  ScalarVariant,
  VariantSignature,
} from './function-definition.js';
import { defineAggregate, type AggregateConfig, type AggregateFunction, type AggregateFunctionInput } from './aggregate-function.js';
import { formatParamType } from './param-type.js';
import { resolveAggregateCall, type AggregateArgument, type ResolvedAggregateCall } from './resolve-aggregate.js';
import { resolveTableFunctionCall, type ResolvedTableFunctionCall, type TableFunction } from './table-function.js';
import { resolveVariant, type ArgumentType, type ResolvedVariant } from './resolve-variant.js';

export interface FunctionSummary {
  readonly name: string;
  readonly category: FunctionCategory;
  readonly kind: FunctionKind;
}

export interface VariantDescription {
  readonly arguments: readonly { readonly name: string; readonly type: string; readonly variadic: boolean }[];
  readonly returnType: string;
  readonly description: string;
}

export interface FunctionDescription {
  readonly name: string;
  readonly kind: FunctionKind;
  readonly category: FunctionCategory;
  readonly description: string;
  readonly variants: readonly VariantDescription[];
}

export interface ResolvedScalarCall {
  readonly function: ScalarFunction;
  readonly variant: ScalarVariant;
  /** Per argument: the type to cast it to before the call; null leaves an untyped NULL as is. */
  readonly paramTypes: readonly (SqlType | null)[];
  /** Per argument: for a lambda, the types of its parameters; otherwise null. */
  readonly lambdaParamTypes: readonly (readonly SqlType[] | null)[];
  /** Undefined only while a lambda argument's return type is not yet given. */
  readonly returnType: SqlType | undefined;
  readonly implementation: ScalarImpl;
}

/** Where a user function came from (see src/functions/user): DESCRIBE FUNCTION shows it. */
export interface FunctionOrigin {
  readonly path: string;
  readonly author: string;
  readonly version: string;
}

export class FunctionRegistry {
  /**
   * Copy-on-write: a snapshot shares the map until either side changes, so
   * a query's snapshot keeps the functions it was built with while user
   * functions are reloaded.
   */
  private functions: Map<string, FunctionDefinition>;
  private origins: Map<string, FunctionOrigin>;
  private shared = false;
  /** Changes whenever the user functions change (caches of analysed statements compare it). */
  version = 0;
  /** What is wrong with the extension directory's modules now (SHOW FUNCTIONS shows it). */
  userFunctionWarnings: readonly string[] = [];

  constructor(functions = new Map<string, FunctionDefinition>(), origins = new Map<string, FunctionOrigin>()) {
    this.functions = functions;
    this.origins = origins;
  }

  /** Adds a function; a name may be registered once. */
  register(def: FunctionDefinition): void {
    if (this.functions.has(def.name)) throw new Error(`function ${def.name} is already registered`);
    this.writable().set(def.name, def);
  }

  /** The functions as they are now, unaffected by later changes to this registry. */
  snapshot(): FunctionRegistry {
    this.shared = true;
    const copy = new FunctionRegistry(this.functions, this.origins);
    copy.shared = true;
    copy.version = this.version;
    return copy;
  }

  /**
   * Replaces the user functions that came from `path` with `defs`. A name
   * taken by a built-in or by another file's function is refused: the
   * refusals are returned and the other functions are registered.
   */
  replaceUserFunctions(
    path: string, defs: readonly { readonly def: FunctionDefinition; readonly origin: FunctionOrigin }[],
  ): { readonly name: string; readonly reason: string }[] {
    const functions = this.writable();
    for (const [name, origin] of this.origins) {
      if (origin.path === path) {
        functions.delete(name);
        this.origins.delete(name);
      }
    }
    const refused: { name: string; reason: string }[] = [];
    for (const { def, origin } of defs) {
      const existing = this.origins.get(def.name);
      if (existing !== undefined) refused.push({ name: def.name, reason: `${def.name} is already defined by ${existing.path}` });
      else if (functions.has(def.name)) refused.push({ name: def.name, reason: `${def.name} is a built-in function` });
      else {
        functions.set(def.name, def);
        this.origins.set(def.name, origin);
      }
    }
    this.version++;
    return refused;
  }

  /** A user function's origin; undefined for a built-in. */
  originOf(name: string): FunctionOrigin | undefined {
    return this.origins.get(name.toUpperCase());
  }

  private writable(): Map<string, FunctionDefinition> {
    if (this.shared) {
      this.functions = new Map(this.functions);
      this.origins = new Map(this.origins);
      this.shared = false;
    }
    return this.functions;
  }

  /** Case-insensitive lookup. */
  lookup(name: string): FunctionDefinition | undefined {
    return this.functions.get(name.toUpperCase());
  }

  /** True when a function of this name exists (of any kind). */
  has(name: string): boolean {
    return this.functions.has(name.toUpperCase());
  }

  /** Every function, sorted by name, for SHOW FUNCTIONS. */
  list(): FunctionSummary[] {
    return [...this.functions.values()]
      .map((f) => ({ name: f.name, category: f.category, kind: f.kind }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** DESCRIBE FUNCTION: every variant with its argument names and types. */
  describe(name: string): FunctionDescription {
    const def = this.require(name);
    return {
      name: def.name,
      kind: def.kind,
      category: def.category,
      description: def.description,
      variants: def.variants.map((v) => ({
        arguments: v.params.map((p, i) => ({
          name: p.name,
          type: formatParamType(p.type),
          variadic: 'variadicIndex' in v ? v.variadicIndex === i : v.variadic && i === v.params.length - 1,
        })),
        returnType: typeof v.returns === 'function' ? 'computed from the arguments' : formatParamType(v.returns),
        description: v.description,
      })),
    };
  }

  /** Resolves a call of any kind to its variant and bound types (no implementation). */
  resolveSignature(name: string, args: readonly ArgumentType[]): ResolvedVariant<VariantSignature> & { function: FunctionDefinition } {
    const def = this.require(name);
    return { function: def, ...resolveVariant(def, args) };
  }

  /** Resolves a scalar function call and builds its implementation for this call site. */
  resolve(name: string, args: readonly ArgumentType[]): ResolvedScalarCall {
    const def = this.require(name);
    if (def.kind !== 'scalar') {
      throw new KsqlError('BAD_STATEMENT', `Function '${def.displayName}' is not a scalar function.`);
    }
    const scalar = def as ScalarFunction;
    const resolved = resolveVariant(scalar, args);
    const ctx: BindContext = resolved.context;
    return {
      function: scalar,
      variant: resolved.variant,
      paramTypes: ctx.paramTypes,
      lambdaParamTypes: ctx.lambdaParamTypes,
      returnType: resolved.returnType,
      implementation: resolved.variant.bind(ctx, resolved.returnType),
    };
  }

  /** Adds a user-defined aggregate, written like the built-ins (see aggregate-function.ts). */
  registerAggregate(input: AggregateFunctionInput): AggregateFunction {
    const def = defineAggregate(input);
    this.register(def);
    return def;
  }

  /** True when `name` is a registered aggregate function. */
  isAggregate(name: string): boolean {
    return this.lookup(name)?.kind === 'aggregate';
  }

  /** True when `name` is a registered table function. */
  isTableFunction(name: string): boolean {
    return this.lookup(name)?.kind === 'table';
  }

  /** Resolves an aggregate call; `config` holds the query's properties (collection limits...). */
  resolveAggregate(name: string, args: readonly AggregateArgument[], config: AggregateConfig = {}): ResolvedAggregateCall {
    const def = this.require(name);
    if (def.kind !== 'aggregate') {
      throw new KsqlError('BAD_STATEMENT', `Function '${def.displayName}' is not an aggregate function.`);
    }
    return resolveAggregateCall(def as AggregateFunction, args, config);
  }

  /** Resolves a table function call and builds its implementation for this call site. */
  resolveTableFunction(name: string, args: readonly ArgumentType[]): ResolvedTableFunctionCall {
    const def = this.require(name);
    if (def.kind !== 'table') {
      throw new KsqlError('BAD_STATEMENT', `Function '${def.displayName}' is not a table function.`);
    }
    return resolveTableFunctionCall(def as TableFunction, args);
  }

  private require(name: string): FunctionDefinition {
    const def = this.lookup(name);
    if (!def) throw new KsqlError('BAD_STATEMENT', `Can't find any functions with the name '${name}'`);
    return def;
  }
}
