/**
 * Push queries of one shape share their work per record: a thousand
 * subscribers of `SELECT ... FROM S EMIT CHANGES` read each new record once
 * (the transient queries' shared fetch hands them the same record objects in
 * the same turn), and with this they also process it once. The first query of
 * a shape to process a record remembers what came out (its rows, and each
 * row's selected values); the others replay that instead of deserializing
 * and running their operators, and hand the same values arrays on, so that
 * the server writes each row's bytes once (stream-query.ts).
 *
 * Only what gives the same output for the same record may share: a plan
 * over a stream without state (no aggregation, join or table function) whose
 * functions are all deterministic; the shape is the statement, its properties
 * and the catalog's version. A record whose processing logged an error is
 * not remembered, so every query still logs its own. What is remembered
 * lasts one turn of the event loop, as the shared fetch does.
 */
import type { AnalyzedQuery } from '../analyzer/query-analyzer.js';
import type { ConsumedRecord } from '../broker/broker.js';
import type { Row } from '../expr/row.js';
import type { FunctionRegistry } from '../functions/registry.js';
import type { Expression } from '../parser/ast/expression.js';
import { walkExpression } from '../parser/ast/traverse.js';
import type { ProcessingLogEntry } from '../runtime/processing-log.js';
import type { RecordProcessor, TaskOutput } from '../runtime/task.js';

/** What one record gave. */
type Outcome = readonly Row[];

const turns = new WeakMap<object, Map<string, WeakMap<ConsumedRecord, Outcome>>>();

/** The selected values of a row a shared processor made, shared by every query of its shape. */
const selectedValues = new WeakMap<Row, unknown[]>();

/** Those values arrays: a server may write each one's bytes once for all its queries. */
const sharedArrays = new WeakSet<readonly unknown[]>();

/** A shared row's values, as its shape selects them; undefined for a row no shared processor made. */
export function sharedValuesOf(row: Row): unknown[] | undefined {
  return selectedValues.get(row);
}

/** Whether every query of a shape is handed this values array (the same values, columns and types). */
export function isSharedValues(values: readonly unknown[]): boolean {
  return sharedArrays.has(values);
}

/** Whether a push query's operators give the same rows for the same record whatever query runs them. */
export function sharesOutcomes(analysis: AnalyzedQuery, functions: FunctionRegistry): boolean {
  if (analysis.aggregation !== undefined || analysis.source.join !== undefined || analysis.tableFunctions.length > 0 || analysis.source.windowed) return false;
  const expressions: Expression[] = analysis.values.map((v) => v.expression);
  if (analysis.where !== undefined) expressions.push(analysis.where);
  if (analysis.partitionBy !== undefined) expressions.push(...analysis.partitionBy.expressions);
  let deterministic = true;
  for (const e of expressions) {
    walkExpression(e, (node) => {
      if (node.kind === 'FunctionCall' && functions.lookup(node.name)?.deterministic !== true) deterministic = false;
    });
  }
  return deterministic;
}

/**
 * Wraps `build` (a query's record processor) so that queries of the same
 * `shape` in the same `scope` (the engine) share each record's outcome;
 * `select` makes a row's values.
 */
export function sharedProcessor(
  scope: object, shape: string, select: (row: Row) => unknown[],
  build: (output: TaskOutput, onRow: (row: Row) => void) => RecordProcessor,
): (output: TaskOutput, onRow: (row: Row) => void) => RecordProcessor {
  return (output, onRow) => {
    let rows: Row[] | undefined;
    let logged = false;
    const inner = build({
      emit: (topic, record) => output.emit(topic, record),
      logError: (entry: ProcessingLogEntry) => {
        logged = true;
        output.logError(entry);
      },
    }, (row) => {
      const selected = select(row);
      selectedValues.set(row, selected);
      sharedArrays.add(selected);
      rows?.push(row);
      onRow(row);
    });
    return {
      process(record) {
        const outcomes = outcomesOf(scope, shape);
        const known = outcomes.get(record);
        if (known !== undefined) {
          for (const row of known) onRow(row);
          return;
        }
        rows = [];
        logged = false;
        try {
          inner.process(record);
          if (!logged) outcomes.set(record, rows);
        } finally {
          rows = undefined;
        }
      },
      close: () => inner.close?.(),
    };
  };
}

/** This turn's outcomes of a shape. */
function outcomesOf(scope: object, shape: string): WeakMap<ConsumedRecord, Outcome> {
  let byShape = turns.get(scope);
  if (byShape === undefined) {
    const fresh = new Map<string, WeakMap<ConsumedRecord, Outcome>>();
    turns.set(scope, byShape = fresh);
    setImmediate(() => {
      if (turns.get(scope) === fresh) turns.delete(scope);
    }).unref();
  }
  let outcomes = byShape.get(shape);
  if (outcomes === undefined) byShape.set(shape, outcomes = new WeakMap());
  return outcomes;
}
