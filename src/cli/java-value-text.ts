/**
 * A query result value as ksqlDB's CLI prints it in a table: the CLI reads the
 * row's JSON with Jackson (objects as maps, arrays as lists, every fraction as
 * a BigDecimal) and prints each column with Java's toString, so a struct or
 * map is `{C=v1, D=5}`, an array `[2, 3]`, `2.50` keeps its digits and strings
 * inside them have no quotes.
 */
import { LosslessNumber } from '../formats/index.js';
import { javaBigDecimalText } from '../schema/java-text.js';

export function javaValueText(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return value;
  if (value instanceof LosslessNumber) return value.isInteger ? javaIntegerText(value.text) : javaBigDecimalText(value.text);
  if (Array.isArray(value)) return `[${value.map(javaValueText).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k}=${javaValueText(v)}`).join(', ')}}`;
  }
  return String(value);
}

/** Jackson reads an integer literal as an Integer, Long or BigInteger: `-0` prints as `0`. */
function javaIntegerText(text: string): string {
  return text === '-0' ? '0' : text;
}
