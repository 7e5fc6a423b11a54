/**
 * How INSERT VALUES takes an evaluated value into its column, after ksqlDB's
 * strict coercer (DefaultSqlValueCoercer.STRICT): numbers only widen (INTEGER
 * to BIGINT, DECIMAL or DOUBLE; BIGINT to DECIMAL or DOUBLE; DECIMAL to DOUBLE)
 * and a DECIMAL must fit the column's precision and scale without rounding,
 * also inside arrays, maps and structs. A narrowing (BIGINT or DOUBLE into
 * INTEGER, DOUBLE into BIGINT...) is refused with ksqlDB's message instead of
 * wrapping or truncating the number. Other conversions are CASTs, as before.
 */
import { statementError } from '../common/errors.js';
import { buildCast, valueToText } from '../expr/cast.js';
import { Decimal, integralDigits, roundDecimal } from '../schema/decimal.js';
import { formatSqlType, isNumeric, type SqlType } from '../schema/sql-type.js';

/** The value as column `field` of `target` stores it; throws when the column's type cannot hold it exactly. */
export function coerceInsertValue(value: unknown, from: SqlType | null, to: SqlType, target: string, field: string): unknown {
  if (value !== null && from !== null && !fits(value, from, to)) {
    throw statementError(
      `Failed to insert values into '${target}'. Expected type ${formatSqlType(to)} for field ${field} but got ${from.kind}(${valueToText(value, from)})`,
    );
  }
  return buildCast(from, to)(value);
}

function fits(value: unknown, from: SqlType, to: SqlType): boolean {
  if (value === null) return true;
  if (isNumeric(from) && isNumeric(to)) return numberFits(value, from, to);
  if (from.kind === 'ARRAY' && to.kind === 'ARRAY') return (value as unknown[]).every((v) => fits(v, from.element, to.element));
  if (from.kind === 'MAP' && to.kind === 'MAP') {
    for (const [k, v] of value as Map<unknown, unknown>) {
      if (!fits(k, from.key, to.key) || !fits(v, from.value, to.value)) return false;
    }
    return true;
  }
  if (from.kind === 'STRUCT' && to.kind === 'STRUCT') {
    const struct = value as Record<string, unknown>;
    return to.fields.every((f) => {
      const source = from.fields.find((g) => g.name === f.name);
      return source === undefined || fits(struct[source.name] ?? null, source.type, f.type);
    });
  }
  return true;
}

/** Widening only; into a DECIMAL the value must keep every digit. */
function numberFits(value: unknown, from: SqlType, to: SqlType): boolean {
  switch (to.kind) {
    case 'INTEGER':
      return from.kind === 'INTEGER';
    case 'BIGINT':
      return from.kind === 'INTEGER' || from.kind === 'BIGINT';
    case 'DOUBLE':
      return true;
    case 'DECIMAL': {
      if (from.kind === 'DOUBLE') return false;
      const d = from.kind === 'DECIMAL' ? (value as Decimal) : new Decimal(String(value));
      return roundDecimal(d, to.scale).eq(d) && integralDigits(d) <= to.precision - to.scale;
    }
    default:
      return false;
  }
}
