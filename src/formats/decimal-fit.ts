/** Checking that a DECIMAL read from a record fits its column type, as ksqlDB does (no rounding). */
import type { Decimal } from '../schema/decimal.js';
import { CoercionError } from './serde-errors.js';

/**
 * Builds ksqlDB's DecimalUtil.ensureFit for DECIMAL(precision, scale): the value is
 * returned unchanged when it fits exactly; an integer part too large or more
 * fractional digits than the scale are errors (ksqlDB never rounds on read).
 */
export function compileDecimalFit(precision: number, scale: number): (value: Decimal) => Decimal {
  const digits = precision - scale;
  return (value) => {
    // `e` is the power of ten of the leading digit: |value| < 10^digits iff e < digits (or zero).
    if (value.e >= digits && !value.isZero()) {
      throw new CoercionError(
        `Numeric field overflow: A field with precision ${precision} and scale ${scale} ` +
          `must round to an absolute value less than 10^${digits}. Got ${value.toFixed()}`,
      );
    }
    const places = value.decimalPlaces();
    if (places > scale) {
      throw new CoercionError(
        `Cannot fit decimal '${value.toFixed()}' into DECIMAL(${precision}, ${scale}) without rounding. ` +
          `(Requires ${value.isZero() ? 1 : value.precision(true)},${places})`,
      );
    }
    return value;
  };
}
