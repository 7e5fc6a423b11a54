/** ksqlDB cannot re-key a windowed source (a join on another key, a PARTITION BY of another key). */
import { statementError } from '../common/errors.js';

export function windowedRepartitionError(): Error {
  return statementError('Implicit repartitioning of windowed sources is not supported. See https://github.com/confluentinc/ksql/issues/4385.');
}
