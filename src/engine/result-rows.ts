/** The columns and rows a transient (push or pull) query gives its caller. */
import type { TransientEnd } from '../runtime/transient-query.js';
import type { SqlType } from '../schema/sql-type.js';

export interface ResultColumn {
  readonly name: string;
  readonly type: SqlType;
  /** A key column of a pull query's result (its header says KEY). */
  readonly key?: boolean;
}

/** Where a query's output goes. */
export interface RowSink {
  /**
   * One result row: values in the order of the columns. `tombstone`: a
   * table's row was deleted (only key columns have values).
   */
  row(values: readonly unknown[], tombstone?: boolean): void;
  end(end: TransientEnd): void;
}
