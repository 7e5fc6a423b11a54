/**
 * Where an operator sends its changes: each row with the row it replaces
 * (`old`, null for none). Some sinks never read `old` (a sink topic's
 * writer, a projection in front of one): an operator feeding one need not
 * compute the row a change replaces, which an aggregate would otherwise
 * build (and a projection evaluate) for every update of a key.
 */
import type { Row } from '../expr/row.js';

export type RowSink = (row: Row, old: Row | null) => void;

const ignoring = new WeakSet<RowSink>();

/** Marks `sink` as one that never reads `old`; returns it. */
export function ignoringOld(sink: RowSink): RowSink {
  ignoring.add(sink);
  return sink;
}

/** Whether `sink` never reads `old`. */
export function ignoresOld(sink: RowSink): boolean {
  return ignoring.has(sink);
}
