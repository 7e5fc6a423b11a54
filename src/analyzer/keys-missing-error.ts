/**
 * ksqlDB's one message for a persistent query whose projection lacks its
 * key (PlanNode.throwKeysNotIncludedError): the key columns of its source,
 * its grouping or partitioning expressions or its join expressions (any one of these);
 * and its advice for a projection that names a key column twice.
 */
import { andList } from '../common/and-list.js';
import { statementError } from '../common/errors.js';
import { quoteIdentifier } from '../schema/sql-type.js';

/** ksqlDB's advice when a projection names a key column more than once. */
export const COPY_KEY_HINT = 'Each key column must only be in the projection once. If you intended to copy the key into the value, '
  + 'then consider using the AS_VALUE function to indicate which key reference should be copied.';

const SYNTHETIC_JOIN_KEY_DOC_URL = 'https://cnfl.io/2LV7ouS';

export type MissingKeyKind = 'key column' | 'grouping expression' | 'partitioning expression' | 'join expression';

/** `anyOne` (join expressions): one of `keys` is enough; else all are needed. */
export function keysMissingError(sinkName: string, kind: MissingKeyKind, keys: readonly string[], anyOne = false, synthetic = false): Error {
  const plural = keys.length > 1;
  const list = anyOne && plural ? `${keys.slice(0, -1).join(', ')} or ${keys[keys.length - 1]}` : andList(keys);
  const example = anyOne ? keys[0] : keys.join(', ');
  const see = synthetic ? `See ${SYNTHETIC_JOIN_KEY_DOC_URL}.` : '';
  const why = synthetic
    ? `\n${keys[0]} was added as a synthetic key column because the join criteria did not match any source column. `
      + 'This expression must be included in the projection and may be aliased. '
    : '';
  return statementError(`Key${!anyOne && plural ? 's' : ''} missing from projection (ie, SELECT). ${see}\n`
    + `The query used to build ${quoteIdentifier(sinkName)} must include the ${kind}${plural ? 's' : ''} ${list} `
    + `in its projection (eg, SELECT ${example}...).${why}`);
}
