/**
 * ksqlDB refuses every query of a source with a value column named like a
 * pseudo column (ROWTIME, ROWPARTITION, ROWOFFSET): such a column can only
 * come from ALTER ... ADD COLUMN or an older version, and the engine could
 * not tell the two apart (QueryValidatorUtil).
 */
import { statementError } from '../common/errors.js';
import type { LogicalSchema } from '../schema/logical-schema.js';
import { quoteIdentifier } from '../schema/sql-type.js';

const ROW_PSEUDO_COLUMNS: ReadonlySet<string> = new Set(['ROWTIME', 'ROWPARTITION', 'ROWOFFSET']);

export function checkNoPseudoColumnClash(schemas: readonly LogicalSchema[]): void {
  const clashes = schemas.flatMap((s) => s.value.filter((c) => ROW_PSEUDO_COLUMNS.has(c.name)).map((c) => quoteIdentifier(c.name)));
  if (clashes.length > 0) {
    throw statementError('Your stream/table has columns with the same name as newly introduced pseudocolumns in ksqlDB, '
      + `and cannot be queried as a result. The conflicting names are: ${clashes.join(', ')}.\n`);
  }
}
