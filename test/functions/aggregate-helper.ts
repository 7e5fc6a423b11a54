/** Test helper: resolves an aggregate against the built-in registry and folds rows through it. */
import type { AggregateConfig, Aggregator } from '../../src/functions/aggregate-function.js';
import type { AggregateArgument, ResolvedAggregateCall } from '../../src/functions/resolve-aggregate.js';
import type { SqlType } from '../../src/schema/sql-type.js';
import { registry } from './call-helper.js';

export { registry };

/** A column argument of the given type. */
export const col = (type: SqlType): AggregateArgument => ({ type });
/** A literal argument. */
export const lit = (type: SqlType, constant: unknown): AggregateArgument => ({ type, constant });

export interface Folding {
  readonly call: ResolvedAggregateCall;
  readonly aggregator: Aggregator;
  /** The result after each row. */
  readonly results: unknown[];
  /** The accumulator after the last row. */
  readonly acc: unknown;
}

/** Adds each row (the column arguments) in turn, recording the result after each. */
export function fold(name: string, args: readonly AggregateArgument[], rows: readonly (readonly unknown[])[], config: AggregateConfig = {}): Folding {
  const call = registry.resolveAggregate(name, args, config);
  const aggregator = call.createAggregator();
  let acc = aggregator.initialize();
  const results: unknown[] = [];
  for (const row of rows) {
    acc = aggregator.add(acc, row);
    results.push(aggregator.result(acc));
  }
  return { call, aggregator, results, acc };
}

/** Folds two groups of rows separately and merges them (a then b). */
export function foldMerged(name: string, args: readonly AggregateArgument[], a: readonly (readonly unknown[])[], b: readonly (readonly unknown[])[]): unknown {
  const call = registry.resolveAggregate(name, args);
  const agg = call.createAggregator();
  let x = agg.initialize();
  for (const row of a) x = agg.add(x, row);
  let y = agg.initialize();
  for (const row of b) y = agg.add(y, row);
  return agg.result(agg.merge(x, y));
}

/** Adds every row then undoes the given ones; the final result. */
export function foldUndo(name: string, args: readonly AggregateArgument[], rows: readonly (readonly unknown[])[], undone: readonly (readonly unknown[])[]): unknown {
  const call = registry.resolveAggregate(name, args);
  const agg = call.createAggregator();
  if (!agg.undo) throw new Error(`${name} has no undo`);
  let acc = agg.initialize();
  for (const row of rows) acc = agg.add(acc, row);
  for (const row of undone) acc = agg.undo(acc, row);
  return agg.result(acc);
}
