/**
 * The one decimal.js context for SQL DECIMAL values. decimal.js's default
 * context keeps 20 significant digits, which would round wide DECIMALs
 * silently; this one keeps more than ksqlDB's largest precision and rounds
 * HALF_UP, as Java's BigDecimal does in ksqlDB. Build every DECIMAL value
 * with `SqlDecimal` (or `toSqlDecimal`), never with the default export.
 */
import Decimal from 'decimal.js';

export const SqlDecimal = Decimal.clone({
  precision: 1100,
  rounding: Decimal.ROUND_HALF_UP,
  toExpNeg: -9e15,
  toExpPos: 9e15,
});
export type SqlDecimal = Decimal;

export function isDecimal(v: unknown): v is Decimal {
  return Decimal.isDecimal(v);
}

/** Rounds HALF_UP to `scale` digits after the point. */
export function roundDecimal(d: Decimal, scale: number): Decimal {
  return d.toDecimalPlaces(scale, Decimal.ROUND_HALF_UP);
}

/** Digits before the point (at least 1 for values below one), as precision counts them. */
export function integralDigits(d: Decimal): number {
  const abs = d.abs();
  return abs.lt(1) ? 0 : abs.trunc().toFixed().length;
}

/** The plain text of a decimal with exactly `scale` digits after the point (BigDecimal.toPlainString). */
export function formatDecimal(d: Decimal, scale: number): string {
  return d.toFixed(scale);
}
