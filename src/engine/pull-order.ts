/**
 * ORDER BY and OFFSET of pull queries (beyond ksqlDB): the rows a pull query
 * produces are sorted, skipped and limited before they reach the client.
 *
 * ORDER BY names columns of the result (by name, or by 1-based position), in
 * SQL's order: ascending by default, NULLs last when ascending and first when
 * descending unless NULLS FIRST/LAST says otherwise; rows that tie keep the
 * order they were read in. Memory is bounded: with a LIMIT only the best
 * OFFSET + LIMIT rows are kept (at most MAX_SORTED_ROWS); without one, a
 * result of more than MAX_SORTED_ROWS rows fails the query.
 */
import type { AnalyzedQuery } from '../analyzer/query-analyzer.js';
import { KsqlError, statementError } from '../common/errors.js';
import type { SortItem } from '../parser/ast/query.js';
import { formatSqlType } from '../schema/sql-type.js';
import { compareValues } from '../schema/value-compare.js';
import type { ResultColumn, RowSink } from './result-rows.js';

export const MAX_SORTED_ROWS = 100_000;

const ORDERED_KINDS: ReadonlySet<string> = new Set(['INTEGER', 'BIGINT', 'DOUBLE', 'DECIMAL', 'STRING', 'BOOLEAN', 'DATE', 'TIME', 'TIMESTAMP', 'BYTES']);

interface SortKey {
  readonly index: number;
  /** 1 ascending, -1 descending. */
  readonly sign: 1 | -1;
  readonly nullsFirst: boolean;
}

/** How a pull query's rows reach its client: sorted by `keys`, `offset` skipped, at most `limit`. */
export interface PullOrder {
  readonly keys: readonly SortKey[];
  readonly offset: number;
  readonly limit: number | undefined;
}

/** The rows the query itself must produce: all of them to sort, or OFFSET + LIMIT. */
export function fetchLimit(analysis: AnalyzedQuery): number | undefined {
  if (analysis.orderBy.length > 0 || analysis.limit === undefined) return undefined;
  return analysis.limit + (analysis.offset ?? 0);
}

/** Refuses ORDER BY and OFFSET on a push query, which emits rows as they happen. */
export function checkPushOrder(analysis: AnalyzedQuery): void {
  if (analysis.orderBy.length === 0 && analysis.offset === undefined) return;
  const clause = analysis.orderBy.length > 0 ? 'ORDER BY' : 'OFFSET';
  throw statementError(`${clause} is only supported in pull queries: a push query emits its rows as they happen, with no end to sort or skip at. Remove EMIT CHANGES to run a pull query.`);
}

/** The pull query's order over its result columns, or undefined when it has neither ORDER BY nor OFFSET. */
export function resolvePullOrder(analysis: AnalyzedQuery, columns: readonly ResultColumn[]): PullOrder | undefined {
  if (analysis.orderBy.length === 0 && analysis.offset === undefined) return undefined;
  const keys = analysis.orderBy.map((item) => sortKey(item, columns));
  if (keys.length > 0 && analysis.limit !== undefined && analysis.limit + (analysis.offset ?? 0) > MAX_SORTED_ROWS) {
    throw statementError(`ORDER BY keeps at most ${MAX_SORTED_ROWS} rows: LIMIT plus OFFSET must not exceed it.`);
  }
  return { keys, offset: analysis.offset ?? 0, limit: analysis.limit };
}

function sortKey(item: SortItem, columns: readonly ResultColumn[]): SortKey {
  const e = item.expression;
  let index = -1;
  if (e.kind === 'ColumnRef' && e.source === undefined) index = columns.findIndex((c) => c.name === e.name);
  else if (e.kind === 'IntegerLiteral' && e.value >= 1 && e.value <= columns.length) index = e.value - 1;
  const names = columns.map((c) => c.name).join(', ');
  if (index < 0) {
    throw statementError(`ORDER BY in a pull query sorts by columns of its result, by name or by position 1 to ${columns.length}: ${printed(item)} is not one of them (${names}).`);
  }
  const column = columns[index]!;
  if (!ORDERED_KINDS.has(column.type.kind)) {
    throw statementError(`ORDER BY cannot sort by ${column.name}: values of type ${formatSqlType(column.type)} have no order.`);
  }
  return { index, sign: item.descending ? -1 : 1, nullsFirst: item.nullsFirst ?? item.descending };
}

function printed(item: SortItem): string {
  const e = item.expression;
  if (e.kind === 'ColumnRef') return e.source === undefined ? e.name : `${e.source}.${e.name}`;
  if (e.kind === 'IntegerLiteral') return String(e.value);
  return 'an expression';
}

/** A sink that sorts, skips and limits the rows before passing them on at the end. */
export function orderedSink(sink: RowSink, order: PullOrder): RowSink {
  if (order.keys.length === 0) return skippingSink(sink, order.offset);
  const compare = (a: readonly unknown[], b: readonly unknown[]): number => {
    for (const key of order.keys) {
      const x = a[key.index] ?? null;
      const y = b[key.index] ?? null;
      if (x === null || y === null) {
        if (x === y) continue;
        return (x === null) === key.nullsFirst ? -1 : 1;
      }
      const c = key.sign * compareValues(x, y);
      if (c !== 0) return c;
    }
    return 0;
  };
  const keep = order.limit === undefined ? undefined : order.offset + order.limit;
  let rows: (readonly unknown[])[] = [];
  let failed = false;
  return {
    row(values) {
      if (failed) return;
      rows.push(values);
      if (keep !== undefined && rows.length >= 2 * keep + 1024) rows = rows.sort(compare).slice(0, keep);
      else if (keep === undefined && rows.length > MAX_SORTED_ROWS) failed = true;
    },
    end(end) {
      if (failed) {
        rows = [];
        sink.end({ kind: 'failed', error: new KsqlError('BAD_STATEMENT', `ORDER BY without LIMIT sorts at most ${MAX_SORTED_ROWS} rows, and this result has more: add a LIMIT.`) });
        return;
      }
      if (end.kind === 'complete' || end.kind === 'limit') {
        const sorted = rows.sort(compare);
        const stop = keep === undefined ? sorted.length : Math.min(keep, sorted.length);
        for (let i = order.offset; i < stop; i++) sink.row(sorted[i]!);
      }
      rows = [];
      sink.end(end);
    },
  };
}

function skippingSink(sink: RowSink, offset: number): RowSink {
  let skipped = 0;
  return {
    row(values, tombstone) {
      if (skipped < offset) skipped++;
      else sink.row(values, tombstone);
    },
    end: (end) => sink.end(end),
  };
}

/** Passes the first `limit` rows on and drops the rest (rows of several partitions merged, each of which kept its own LIMIT). */
export function limitedSink(sink: RowSink, limit: number): RowSink {
  let passed = 0;
  return {
    row(values, tombstone) {
      if (passed < limit) {
        passed++;
        sink.row(values, tombstone);
      }
    },
    end: (end) => sink.end(end),
  };
}
