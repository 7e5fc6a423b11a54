/**
 * The DELIMITED separator: one character, or the words TAB and SPACE
 * (a literal space or tab is refused, as ksqlDB does). Errors carry ksqlDB's
 * wording; the statement layer may prefix "Failed to prepare statement: ".
 */
import { KsqlError } from '../../common/errors.js';

export const DEFAULT_DELIMITER = ',';
const EXAMPLE = "\nExample valid value: ';'";

/**
 * Resolves a KEY_DELIMITER / VALUE_DELIMITER value to the separator character.
 * `propertyName` only shapes the error message.
 */
export function parseDelimiter(text: string, propertyName = 'VALUE_DELIMITER'): string {
  const upper = text.toUpperCase();
  if (upper === 'TAB') return '\t';
  if (upper === 'SPACE') return ' ';
  const prefix = `Configuration ${propertyName} is invalid: `;
  if (text.trim() === '') {
    throw new KsqlError(
      'BAD_STATEMENT',
      prefix +
        "Delimiter cannot be empty, if you meant to have a tab or space for delimiter, please use the special values 'TAB' or 'SPACE'" +
        EXAMPLE,
    );
  }
  if ([...text].length !== 1) {
    throw new KsqlError(
      'BAD_STATEMENT',
      `${prefix}Invalid delimiter value: '${text}'. Delimiter must be a single character or TAB,SPACE${EXAMPLE}`,
    );
  }
  return text;
}
