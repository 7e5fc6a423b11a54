/**
 * Java's toString of the values ksqlDB hands its test functions, which some
 * of them return as text: String.valueOf of boxed numbers and booleans,
 * BigDecimal, Kafka Connect's Struct ("Struct{A=x,B=1}", NULL fields left
 * out), List ("[a, b]") and Map ("{k=v}").
 */
import { formatDecimal, type Decimal } from '../schema/decimal.js';
import { formatJavaDouble } from '../schema/java-text.js';
import type { SqlType } from '../schema/sql-type.js';

export function javaToString(value: unknown, type: SqlType | null): string {
  if (value === null || value === undefined || type === null) return 'null';
  switch (type.kind) {
    case 'DOUBLE':
      return formatJavaDouble(value as number);
    case 'DECIMAL':
      return formatDecimal(value as Decimal, type.scale);
    case 'ARRAY':
      return `[${(value as unknown[]).map((v) => javaToString(v, type.element)).join(', ')}]`;
    case 'MAP':
      return `{${[...(value as Map<unknown, unknown>)].map(([k, v]) => `${javaToString(k, type.key)}=${javaToString(v, type.value)}`).join(', ')}}`;
    case 'STRUCT': {
      const struct = value as Record<string, unknown>;
      const fields = type.fields.filter((f) => struct[f.name] !== null && struct[f.name] !== undefined);
      return `Struct{${fields.map((f) => `${f.name}=${javaToString(struct[f.name], f.type)}`).join(',')}}`;
    }
    default:
      return String(value);
  }
}
