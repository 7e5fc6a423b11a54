/**
 * A column or `*` qualified by a name that is no source of the query. ksqlDB
 * finds it while preparing the statement, and frames it so.
 */
import { statementError, type KsqlError, type SourcePosition } from '../common/errors.js';

export function unknownQualifierError(qualifier: string, position?: SourcePosition): KsqlError {
  return statementError(`Failed to prepare statement: '${qualifier}' is not a valid stream/table name or alias.`, position === undefined ? undefined : { position });
}
