/**
 * The aggregate calls of an Aggregate step, ready to run: each call's
 * aggregator and a reader of its per-row arguments from a grouped row
 * (key columns, then the internal columns), cast to the types the function
 * takes. Accumulators of one key travel together as an array, one entry per
 * call, stored with the timestamp of the key's latest result.
 *
 * A user function's exception (UserFunctionError) goes to `onUserError` and
 * leaves that call's accumulator as it was (its result reads NULL); any
 * other exception propagates and stops the query, as in ksqlDB.
 */
import { bindExpression } from '../analyzer/bind-expression.js';
import { scopeOf } from '../analyzer/source-scope.js';
import { buildCast } from '../expr/cast.js';
import type { Row } from '../expr/row.js';
import type { Aggregator } from '../functions/aggregate-function.js';
import type { ResolvedAggregateCall } from '../functions/resolve-aggregate.js';
import { UserFunctionError } from '../functions/user/user-function-error.js';
import type { Aggregate } from '../planner/steps.js';
import type { SqlType } from '../schema/sql-type.js';
import type { TopologyContext } from './guarded-expression.js';

export interface AggregateCalls {
  readonly aggregators: readonly Aggregator[];
  initialize(): unknown[];
  /** Folds a row into `accs` (in place). */
  add(accs: unknown[], row: Row): void;
  /** Takes a row out of `accs` (in place): table aggregation. */
  undo(accs: unknown[], row: Row): void;
  /** Merges `from` into `into` (in place): session windows. */
  merge(into: unknown[], from: readonly unknown[]): void;
  results(accs: readonly unknown[]): unknown[];
}

/** An Aggregate step's calls resolved once per query; `build` makes a task's (its own aggregators, which may keep state). */
export interface BoundAggregateCalls {
  build(onUserError: (error: UserFunctionError, row: Row | null) => void): AggregateCalls;
}

/**
 * Resolves the calls of `step` once per query: their arguments are bound
 * over the GroupBy's source for their types and literals; a call's per-row
 * arguments are the GroupBy's internal columns, of `internalTypes` (as the
 * GroupBy bound them; null for an untyped NULL).
 */
export function bindAggregateCalls(step: Aggregate, internalTypes: readonly (SqlType | null)[], ctx: TopologyContext): BoundAggregateCalls {
  const scope = scopeOf(step.inputSchema, undefined, false, ctx.functions, ctx.lookupType, 'SELECT');
  const keyCount = step.source.schema.key.length;
  const internalNames = step.source.internals.map((i) => i.name);
  const resolved = step.calls.map((call): { readonly call: ResolvedAggregateCall; readonly readers: readonly ((row: Row) => unknown)[] } => {
    const resolvedCall = ctx.functions.resolveAggregate(call.functionName, call.args.map((a) => {
      const bound = bindExpression(a, scope);
      return bound.kind === 'Constant' ? { type: bound.type, constant: bound.value } : { type: bound.type };
    }), ctx.config);
    const readers = call.columnArgNames.map((name, j) => {
      const k = internalNames.indexOf(name);
      const cast = buildCast(internalTypes[k] ?? null, resolvedCall.paramTypes[j] ?? internalTypes[k] ?? { kind: 'STRING' });
      const index = keyCount + k;
      return (row: Row) => cast(row.values[index] ?? null);
    });
    return { call: resolvedCall, readers };
  });
  return { build: (onUserError) => buildCalls(resolved.map((r) => ({ aggregator: r.call.createAggregator(), readers: r.readers })), onUserError) };
}

function buildCalls(
  calls: readonly { readonly aggregator: Aggregator; readonly readers: readonly ((row: Row) => unknown)[] }[],
  onUserError: (error: UserFunctionError, row: Row | null) => void,
): AggregateCalls {
  const argsOf = (readers: readonly ((row: Row) => unknown)[], row: Row): unknown[] => readers.map((r) => r(row));
  /** `f()`, or `fallback` after reporting a user function's exception. */
  const guarded = <T>(f: () => T, fallback: T, row: Row | null): T => {
    try {
      return f();
    } catch (error) {
      if (!(error instanceof UserFunctionError)) throw error;
      onUserError(error, row);
      return fallback;
    }
  };
  return {
    aggregators: calls.map((c) => c.aggregator),
    initialize: () => calls.map((c) => guarded(() => c.aggregator.initialize(), null, null)),
    add(accs, row) {
      for (let i = 0; i < calls.length; i++) {
        const { aggregator, readers } = calls[i]!;
        accs[i] = guarded(() => aggregator.add(accs[i], argsOf(readers, row)), accs[i], row);
      }
    },
    undo(accs, row) {
      for (let i = 0; i < calls.length; i++) {
        const { aggregator, readers } = calls[i]!;
        if (aggregator.undo !== undefined) accs[i] = guarded(() => aggregator.undo!(accs[i], argsOf(readers, row)), accs[i], row);
      }
    },
    merge(into, from) {
      for (let i = 0; i < calls.length; i++) into[i] = guarded(() => calls[i]!.aggregator.merge(into[i], from[i]), into[i], null);
    },
    results: (accs) => calls.map((c, i) => guarded(() => c.aggregator.result(accs[i]), null, null)),
  };
}
