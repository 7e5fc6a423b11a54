/**
 * A source's logical schema: key columns, then value columns (headers columns
 * are value-side columns that are filled from record headers, as in ksqlDB).
 */
import { formatSqlType, quoteIdentifier, type SqlType } from './sql-type.js';

export type ColumnNamespace = 'KEY' | 'VALUE' | 'HEADERS';

export interface Column {
  /** The column name as stored: upper case unless it was quoted. */
  readonly name: string;
  readonly type: SqlType;
  readonly namespace: ColumnNamespace;
  /** For `HEADER('k')` columns: the one header key the column reads. */
  readonly headerKey?: string;
}

export interface LogicalSchema {
  readonly key: readonly Column[];
  readonly value: readonly Column[];
}

export function logicalSchema(key: readonly Column[], value: readonly Column[]): LogicalSchema {
  return { key, value };
}

export function allColumns(schema: LogicalSchema): readonly Column[] {
  return [...schema.key, ...schema.value];
}

export function findColumn(schema: LogicalSchema, name: string): Column | undefined {
  return schema.key.find((c) => c.name === name) ?? schema.value.find((c) => c.name === name);
}

/**
 * ksqlDB's one-line schema text, e.g. "`ID` INTEGER KEY, `NAME` STRING",
 * as DESCRIBE, the REST API and the test suite print it. Tables say PRIMARY KEY.
 */
export function formatLogicalSchema(schema: LogicalSchema, options: { primaryKey?: boolean } = {}): string {
  const keyWord = options.primaryKey ? 'PRIMARY KEY' : 'KEY';
  const parts = schema.key.map((c) => `${quoteIdentifier(c.name)} ${formatSqlType(c.type)} ${keyWord}`);
  for (const c of schema.value) {
    let text = `${quoteIdentifier(c.name)} ${formatSqlType(c.type)}`;
    if (c.namespace === 'HEADERS') {
      text += c.headerKey === undefined ? ' HEADERS' : ` HEADER('${c.headerKey.replace(/'/g, "''")}')`;
    }
    parts.push(text);
  }
  return parts.join(', ');
}
