/**
 * Which columns of a step's output the steps above it read, as the builders
 * of filters and projections note them: a join's repartition writes NULL in
 * place of the columns nothing after the join reads (build-join.ts), so a
 * wide source row re-keyed for a join costs what its read columns cost.
 * Only filters and projections note what they read; a step read by
 * anything else (a sink, an aggregation, another join) is read whole.
 */
import type { BoundExpression } from '../analyzer/bound-expression.js';
import type { ExecutionStep } from '../planner/steps.js';

interface Reader {
  readonly step: ExecutionStep;
  /** Indexes of the source's output (key columns, then value columns) the reader reads itself. */
  readonly columns: ReadonlySet<number>;
  /** A filter: its rows are its source's, so whatever reads it reads its source's columns at the same indexes. */
  readonly passesThrough: boolean;
}

export class ColumnReads {
  private readonly readers = new Map<ExecutionStep, Reader>();

  /** `step` reads `columns` of `source`'s output, and (when it passes its rows through) what its own readers read. */
  note(source: ExecutionStep, step: ExecutionStep, columns: ReadonlySet<number>, passesThrough: boolean): void {
    this.readers.set(source, { step, columns, passesThrough });
  }

  /** The indexes of `step`'s output that are read after it; undefined when all may be. */
  of(step: ExecutionStep): ReadonlySet<number> | undefined {
    const reader = this.readers.get(step);
    if (reader === undefined) return undefined;
    if (!reader.passesThrough) return reader.columns;
    const above = this.of(reader.step);
    return above === undefined ? undefined : new Set([...above, ...reader.columns]);
  }
}

/** Adds the indexes of the columns `e` reads to `into`. */
export function addColumnsRead(e: BoundExpression, into: Set<number>): void {
  const all = (list: readonly BoundExpression[]): void => {
    for (const x of list) addColumnsRead(x, into);
  };
  switch (e.kind) {
    case 'ColumnAccess':
      into.add(e.index);
      return;
    case 'Constant':
    case 'LiteralText':
    case 'PseudoColumn':
    case 'LambdaParam':
      return;
    case 'Arithmetic':
    case 'Concat':
    case 'Compare':
    case 'Logical':
    case 'IsDistinct':
      all([e.left, e.right]);
      return;
    case 'Negate':
    case 'Not':
    case 'IsNull':
    case 'Cast':
      addColumnsRead(e.operand, into);
      return;
    case 'In':
      all([e.operand, ...e.list]);
      return;
    case 'Between':
      all([e.operand, e.low, e.high]);
      return;
    case 'Like':
      all([e.operand, e.pattern]);
      return;
    case 'Case':
      for (const w of e.whens) all([w.condition, w.result]);
      if (e.otherwise !== undefined) addColumnsRead(e.otherwise, into);
      return;
    case 'MakeArray':
      all(e.elements);
      return;
    case 'MakeMap':
      all([...e.keys, ...e.values]);
      return;
    case 'MakeStruct':
      all(e.values);
      return;
    case 'Call':
      all(e.args);
      return;
    case 'Lambda':
      addColumnsRead(e.body, into);
      return;
    case 'Subscript':
      all([e.base, e.index]);
      return;
    case 'Field':
      addColumnsRead(e.base, into);
      return;
  }
}
