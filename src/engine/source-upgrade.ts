/**
 * CREATE OR REPLACE of a stream or table: whether the new declaration can
 * take the place of the existing one (ksqlDB's DataSource.canUpgradeTo).
 * Name, kind, topic (name, formats and window) and timestamp column must stay;
 * columns may only be added at the end: none dropped, renamed, retyped or
 * moved, and the key columns exactly as they were.
 */
import { statementError } from '../common/errors.js';
import type { Column, LogicalSchema } from '../schema/logical-schema.js';
import { formatLogicalSchema } from '../schema/logical-schema.js';
import { formatSqlType, quoteIdentifier } from '../schema/sql-type.js';
import type { DataSource, FormatInfo, TimestampColumn } from '../catalog/data-source.js';

/** Throws ksqlDB's "Cannot upgrade data source" error when `next` cannot replace `existing`. */
export function checkSourceUpgrade(existing: DataSource, next: DataSource): void {
  const issues: string[] = [];
  const property = (name: string, render: (s: DataSource) => string): void => {
    const before = render(existing);
    const after = render(next);
    if (before !== after) issues.push(incompatible(existing, name, before, after));
  };
  property('name', (s) => s.name);
  property('type', (s) => (s.kind === 'STREAM' ? 'KSTREAM' : 'KTABLE'));
  property('topic', renderTopic);
  property('timestampColumn', (s) => renderTimestamp(s.timestampColumn));
  const schemaIssue = checkSchemas(existing.schema, next.schema);
  if (schemaIssue !== undefined) {
    issues.push(`${incompatible(existing, 'schema', formatLogicalSchema(existing.schema), formatLogicalSchema(next.schema))}. (${schemaIssue})`);
  }
  if (issues.length > 0) throw statementError(`Cannot upgrade data source: ${issues.join('\n\tAND ')}`);
}

function incompatible(existing: DataSource, property: string, before: string, after: string): string {
  return `DataSource '${quoteIdentifier(existing.name)}' has ${property} = ${before} which is not upgradeable to ${after}`;
}

/**
 * The columns of `before` missing from `after` at the same position with the
 * same name, type and namespace; key columns must also gain none.
 */
function checkSchemas(before: LogicalSchema, after: LogicalSchema): string | undefined {
  const keyLost = missing(before.key, after.key);
  const keyChanged = keyLost.length > 0 ? keyLost : missing(after.key, before.key);
  if (keyChanged.length > 0) {
    return `Key columns must be identical. The following key columns are changed, missing or reordered: [${keyChanged.map(renderColumn).join(', ')}]`;
  }
  const lost = missing(before.value, after.value);
  if (lost.length === 0) return undefined;
  return `The following columns are changed, missing or reordered: [${lost.map(renderColumn).join(', ')}]`;
}

function missing(columns: readonly Column[], others: readonly Column[]): Column[] {
  return columns.filter((c, i) => {
    const other = others[i];
    return other === undefined || renderColumn(other) !== renderColumn(c);
  });
}

function renderColumn(c: Column): string {
  const text = `${quoteIdentifier(c.name)} ${formatSqlType(c.type)}`;
  if (c.namespace === 'KEY') return `${text} KEY`;
  if (c.namespace === 'HEADERS') return c.headerKey === undefined ? `${text} HEADERS` : `${text} HEADER('${c.headerKey}')`;
  return text;
}

function renderTopic(s: DataSource): string {
  const window = s.window === undefined ? '' : `, window=${s.window.type}${s.window.sizeMs === undefined ? '' : `(${s.window.sizeMs} ms)`}`;
  return `KsqlTopic{name=${s.topic}, keyFormat=${renderFormat(s.keyFormat)}${window}, valueFormat=${renderFormat(s.valueFormat)}}`;
}

function renderFormat(f: FormatInfo): string {
  const properties = Object.entries(f.properties).map(([k, v]) => `${k}=${v}`).sort();
  const features = f.features.length === 0 ? '' : `, features=[${[...f.features].sort().join(', ')}]`;
  return `${f.format}${properties.length === 0 ? '' : `(${properties.join(', ')})`}${features}`;
}

function renderTimestamp(column: TimestampColumn | undefined): string {
  if (column === undefined) return 'Optional.empty';
  return `Optional[${quoteIdentifier(column.column)}${column.format === undefined ? '' : ` (format ${column.format})`}]`;
}
