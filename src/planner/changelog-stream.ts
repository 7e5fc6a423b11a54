/**
 * Beyond ksqlDB (its issue #9230): CREATE STREAM ... AS SELECT ... FROM a
 * table EMIT CHANGES writes the table's changelog as a stream, each change
 * with the row before and after it.
 */
import type { LogicalSchema } from '../schema/logical-schema.js';
import type { ExecutionStep, TableChangelogStream } from './steps.js';

export const BEFORE_COLUMN = 'BEFORE';
export const AFTER_COLUMN = 'AFTER';

/** The stream's schema: the table's key, then BEFORE and AFTER, structs of the table's value columns. */
export function changelogStreamSchema(table: LogicalSchema): LogicalSchema {
  const row = { kind: 'STRUCT' as const, fields: table.value.map((c) => ({ name: c.name, type: c.type })) };
  return {
    key: table.key,
    value: [
      { name: BEFORE_COLUMN, type: row, namespace: 'VALUE' as const },
      { name: AFTER_COLUMN, type: row, namespace: 'VALUE' as const },
    ],
  };
}

export function planChangelogStream(table: ExecutionStep, tableSchema: LogicalSchema): TableChangelogStream {
  return { kind: 'TableChangelogStream', source: table, schema: changelogStreamSchema(tableSchema) };
}
