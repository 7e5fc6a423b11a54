/** How ksqlDB prints column lists in format errors: "[`K` INTEGER KEY, `V` STRING]". */
import type { Column } from '../schema/logical-schema.js';
import { formatSqlType, quoteIdentifier, type SqlType } from '../schema/sql-type.js';
import type { SerdeTarget } from './serde.js';

export function formatColumnList(columns: readonly Column[], target: SerdeTarget): string {
  const suffix = target === 'key' ? ' KEY' : '';
  return `[${columns.map((c) => `${quoteIdentifier(c.name)} ${formatSqlType(c.type)}${suffix}`).join(', ')}]`;
}

/** Whether a type is, or contains, a given kind anywhere in its tree. */
export function typeContains(type: SqlType, test: (t: SqlType) => boolean): boolean {
  if (test(type)) return true;
  switch (type.kind) {
    case 'ARRAY':
      return typeContains(type.element, test);
    case 'MAP':
      return typeContains(type.key, test) || typeContains(type.value, test);
    case 'STRUCT':
      return type.fields.some((f) => typeContains(f.type, test));
    default:
      return false;
  }
}
