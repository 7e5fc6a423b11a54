/**
 * A row in flight between operators: the column values of the current step's
 * schema (key columns first, then value columns, as the step's LogicalSchema
 * lists them), and the record's metadata, which the pseudo columns ROWTIME,
 * ROWPARTITION, ROWOFFSET, WINDOWSTART and WINDOWEND read.
 */
import type { RecordHeader } from '../broker/broker.js';

export interface WindowBounds {
  readonly start: number;
  readonly end: number;
}

export interface Row {
  readonly values: unknown[];
  readonly timestamp: number;
  readonly partition: number;
  readonly offset: number;
  readonly headers: readonly RecordHeader[];
  readonly window: WindowBounds | null;
  /**
   * The record's value was NULL: value columns are all NULL and the sink
   * writes a NULL value. Streams project such records; filters drop them.
   */
  readonly nullValue: boolean;
  /**
   * The record's key was NULL (its key columns read as NULL) and the sink
   * writes a NULL key. A key the query computes (PARTITION BY) is never NULL
   * as a whole, even when all its columns are: ksqlDB writes it as a key of
   * NULL columns.
   */
  readonly nullKey?: boolean;
}

/** A row with other values and the same metadata. */
export function withValues(row: Row, values: unknown[]): Row {
  return { values, timestamp: row.timestamp, partition: row.partition, offset: row.offset, headers: row.headers, window: row.window, nullValue: row.nullValue, nullKey: row.nullKey };
}
