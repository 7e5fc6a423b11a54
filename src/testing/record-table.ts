/**
 * The table a failed ASSERT VALUES prints, as ksqlDB's test runner prints
 * it: a header of `.`, ROWTIME, the key and the value columns, then an
 * EXPECTED row and the ACTUAL rows. A column the assertion did not name is
 * blank in the EXPECTED row (it is not compared).
 */
import { valueToJsonText } from '../formats/index.js';
import type { Column } from '../schema/logical-schema.js';
import type { SqlType } from '../schema/sql-type.js';

export interface TableRow {
  readonly label: string;
  /** Per column of the header: the value, or undefined for a blank cell. */
  readonly cells: readonly unknown[];
}

const ROWTIME: Column = { name: 'ROWTIME', type: { kind: 'BIGINT' }, namespace: 'KEY' } as Column;

/** ROWTIME, then the key columns, then the value columns. */
export function tableColumns(key: readonly Column[], value: readonly Column[]): Column[] {
  return [ROWTIME, ...key, ...value];
}

export function renderRecordTable(columns: readonly Column[], rows: readonly TableRow[]): string {
  const header = ['.', ...columns.map((c) => c.name)];
  const body = rows.map((r) => [r.label, ...columns.map((c, i) => cellText(r.cells[i], c.type))]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)) + 1);
  const line = (cells: readonly string[]): string => `|${cells.map((c, i) => c.padEnd(widths[i]!)).join('|')}|`;
  const rule = `+${widths.map((w) => '-'.repeat(w)).join('+')}+`;
  return [rule, line(header), rule, ...body.map(line), rule].join('\n');
}

function cellText(value: unknown, type: SqlType): string {
  if (value === undefined) return '';
  if (value === null) return 'null';
  if (typeof value === 'string') return value;
  return valueToJsonText(value, type);
}
