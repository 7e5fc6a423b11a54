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
  /** Writes the results of `accs` into `out` from index `at` (a result row's values, after its key). */
  resultsInto(accs: readonly unknown[], out: unknown[], at: number): void;
  /** How many calls (results) there are. */
  readonly count: number;
}

/** An Aggregate step's calls resolved once per query; `build` makes a task's (its own aggregators, which may keep state). */
export interface BoundAggregateCalls {
  build(onUserError: (error: UserFunctionError, row: Row | null) => void): AggregateCalls;
}

/**
 * Resolves the calls of `step` once per query: their arguments are bound
 * over the GroupBy's source (a windowed source's rows carry their bounds) for their types and literals; a call's per-row
 * arguments are the GroupBy's internal columns, of `internalTypes` (as the
 * GroupBy bound them; null for an untyped NULL).
 */
export function bindAggregateCalls(step: Aggregate, internalTypes: readonly (SqlType | null)[], inputWindowed: boolean, ctx: TopologyContext): BoundAggregateCalls {
  const scope = scopeOf(step.inputSchema, undefined, inputWindowed, ctx.functions, ctx.lookupType, 'SELECT');
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

/** The arguments of a call without any (COUNT(*)): one frozen array for every record. */
const NO_ARGS: readonly unknown[] = Object.freeze([]);

function buildCalls(
  calls: readonly { readonly aggregator: Aggregator; readonly readers: readonly ((row: Row) => unknown)[] }[],
  onUserError: (error: UserFunctionError, row: Row | null) => void,
): AggregateCalls {
  // Per record: no closure per call (try/catch in the loops), one array of arguments per call.
  const aggregators = calls.map((c) => c.aggregator);
  const readers = calls.map((c) => c.readers);
  const count = calls.length;
  const argsOf = (i: number, row: Row): readonly unknown[] => {
    const of = readers[i]!;
    if (of.length === 0) return NO_ARGS;
    const args = new Array<unknown>(of.length);
    for (let j = 0; j < of.length; j++) args[j] = of[j]!(row);
    return args;
  };
  /** Reports a user function's exception; any other propagates. */
  const reported = (error: unknown, row: Row | null): void => {
    if (!(error instanceof UserFunctionError)) throw error;
    onUserError(error, row);
  };
  const resultsInto = (accs: readonly unknown[], out: unknown[], at: number): void => {
    for (let i = 0; i < count; i++) {
      try {
        out[at + i] = aggregators[i]!.result(accs[i]);
      } catch (error) {
        reported(error, null);
        out[at + i] = null;
      }
    }
  };
  return {
    aggregators,
    count,
    initialize() {
      const accs = new Array<unknown>(count);
      for (let i = 0; i < count; i++) {
        try {
          accs[i] = aggregators[i]!.initialize();
        } catch (error) {
          reported(error, null);
          accs[i] = null;
        }
      }
      return accs;
    },
    add(accs, row) {
      for (let i = 0; i < count; i++) {
        try {
          accs[i] = aggregators[i]!.add(accs[i], argsOf(i, row));
        } catch (error) {
          reported(error, row);
        }
      }
    },
    undo(accs, row) {
      for (let i = 0; i < count; i++) {
        const aggregator = aggregators[i]!;
        if (aggregator.undo === undefined) continue;
        try {
          accs[i] = aggregator.undo(accs[i], argsOf(i, row));
        } catch (error) {
          reported(error, row);
        }
      }
    },
    merge(into, from) {
      for (let i = 0; i < count; i++) {
        try {
          into[i] = aggregators[i]!.merge(into[i], from[i]);
        } catch (error) {
          reported(error, null);
        }
      }
    },
    results(accs) {
      const out = new Array<unknown>(count);
      resultsInto(accs, out, 0);
      return out;
    },
    resultsInto,
  };
}
