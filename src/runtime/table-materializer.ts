/**
 * The materialization of a persistent query's TABLE sink: the table's current
 * rows, kept in a state store of the query beside the topic the sink writes,
 * flushed in the same commit and dropped with the query's stores. Pull
 * queries read it (src/runtime/materialized-table.ts). A table served from
 * its aggregate's store (TableSink's `servedFromAggregate`) has none.
 *
 * Layout: a key-value store for plain tables, a window store for windowed
 * ones (by the row's window bounds; time-first for TUMBLING and HOPPING). The store key is the encoded key values
 * (value-codec); the store value the encoded [timestamp, ...value columns].
 * A NULL-valued row (a tombstone) deletes the key.
 */
import type { Row } from '../expr/row.js';
import type { StreamSink } from '../planner/steps.js';
import type { TaskState } from './task-state.js';
import { encodeValue } from './value-codec.js';

/** The name of the materialization store within its query. */
export const MATERIALIZED_STORE_NAME = 'Sink-Materialize';

/** Whether rows of `sink` go to a window store. */
export function isWindowedSink(sink: StreamSink): boolean {
  return sink.window !== undefined;
}

/** A row writer that keeps `sink`'s table current in the task's store. */
export function buildTableMaterializer(sink: StreamSink, keyCount: number, state: TaskState): (row: Row) => void {
  if (isWindowedSink(sink)) {
    const store = sink.window!.type === 'SESSION' ? state.windowStore(MATERIALIZED_STORE_NAME) : state.timeWindowStore(MATERIALIZED_STORE_NAME);
    return (row) => {
      if (row.window === null) return;
      const key = encodeValue(row.values.slice(0, keyCount));
      store.put(key, row.window.start, row.window.end, row.nullValue ? null : encodeStoredRow(row, keyCount));
    };
  }
  const store = state.keyValueStore(MATERIALIZED_STORE_NAME);
  return (row) => {
    const key = encodeValue(row.values.slice(0, keyCount));
    store.put(key, row.nullValue ? null : encodeStoredRow(row, keyCount));
  };
}

function encodeStoredRow(row: Row, keyCount: number): Buffer {
  return encodeValue([row.timestamp, ...row.values.slice(keyCount)]);
}
