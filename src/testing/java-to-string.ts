/**
 * Java's toString of the values ksqlDB hands its test functions, which some
 * of them return as text: "null" for a missing value or type, otherwise the
 * Java-style text CAST(x AS STRING) gives (valueToText: boxed numbers,
 * BigDecimal, Connect's "Struct{A=x,B=1}", List "[a, b]", Map "{k=v}").
 */
import { valueToText } from '../expr/cast.js';
import type { SqlType } from '../schema/sql-type.js';

export function javaToString(value: unknown, type: SqlType | null): string {
  return value === null || value === undefined || type === null ? 'null' : valueToText(value, type);
}
