/**
 * The one decimal.js context for SQL DECIMAL values. decimal.js's default
 * context keeps 20 significant digits in arithmetic, which would round wide
 * DECIMALs silently; this module widens it beyond ksqlDB's largest precision
 * and rounds HALF_UP, as Java's BigDecimal does in ksqlDB. Import `Decimal`
 * from here, not from 'decimal.js', so the context is always set first.
 */
import { Decimal } from 'decimal.js';

Decimal.set({ precision: 1100, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -9e15, toExpPos: 9e15 });

export { Decimal };

/** Rounds HALF_UP to `scale` digits after the point. */
export function roundDecimal(d: Decimal, scale: number): Decimal {
  // Most values already fit (an integer, a product at its result's scale): no new Decimal for them.
  if (d.isFinite() && d.decimalPlaces() <= scale) return d;
  return d.toDecimalPlaces(scale, Decimal.ROUND_HALF_UP);
}

/** Digits before the point, as precision counts them (0 for values below one). */
export function integralDigits(d: Decimal): number {
  // decimal.js's exponent `e` is that of the leading digit: |d| >= 1 has e + 1 digits before the point.
  if (!d.isFinite()) return d.abs().trunc().toFixed().length;
  return d.isZero() || d.e < 0 ? 0 : d.e + 1;
}

/** The plain text of a decimal with exactly `scale` digits after the point (BigDecimal.toPlainString). */
export function formatDecimal(d: Decimal, scale: number): string {
  return d.toFixed(scale);
}
