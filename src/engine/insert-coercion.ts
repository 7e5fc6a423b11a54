/**
 * How INSERT VALUES takes an evaluated value into its column, after ksqlDB's
 * strict coercer (DefaultSqlValueCoercer.STRICT): numbers only widen (INTEGER
 * to BIGINT, DECIMAL or DOUBLE; BIGINT to DECIMAL or DOUBLE; DECIMAL to DOUBLE)
 * and a DECIMAL must fit the column's precision and scale without rounding;
 * text reads as a DATE, TIME, TIMESTAMP or base64 BYTES; anything else must
 * already have the column's type, also inside arrays, maps and structs. A
 * value it refuses (a narrowing, a number for a STRING, text for a number or
 * BOOLEAN, text that does not parse) fails with ksqlDB's message.
 */
import { statementError } from '../common/errors.js';
import { buildCast, valueToText } from '../expr/cast.js';
import { Decimal, integralDigits, roundDecimal } from '../schema/decimal.js';
import { formatSqlType, isNumeric, type SqlType } from '../schema/sql-type.js';

/**
 * The value as column `field` stores it; throws when the column's type cannot
 * hold it exactly, with `failed` (what the statement failed to do, e.g.
 * "Failed to insert values into 'T'.") before the reason.
 */
export function coerceInsertValue(value: unknown, from: SqlType | null, to: SqlType, failed: string, field: string): unknown {
  if (value === null || from === null) return null;
  const refused = () => statementError(
    `${failed} Expected type ${formatSqlType(to)} for field ${field} but got ${from.kind}(${valueToText(value, from)})`,
  );
  if (!fits(value, from, to)) throw refused();
  try {
    return buildCast(from, to)(value);
  } catch {
    throw refused();
  }
}

/** The conversions of one value the strict coercer makes besides numbers and containers. */
function strictlyConvertible(from: SqlType, to: SqlType): boolean {
  if (from.kind === to.kind) return true;
  return from.kind === 'STRING' && (to.kind === 'TIMESTAMP' || to.kind === 'DATE' || to.kind === 'TIME' || to.kind === 'BYTES');
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
  return strictlyConvertible(from, to);
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
