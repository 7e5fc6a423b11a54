/**
 * ksqlDB's implicit type coercion (docs: type-coercion.md): numeric widening
 * INTEGER -> BIGINT -> DECIMAL -> DOUBLE, element-wise for ARRAY and MAP,
 * field-wise for STRUCT; literals coerce more freely (see coerceLiteral).
 */
import { Decimal } from '../schema/decimal.js';
import {
  BIGINT, decimalType, DOUBLE, formatSqlType, INTEGER, isNumeric, sqlTypesEqual, type SqlType,
} from '../schema/sql-type.js';

/** The DECIMAL an integer type widens to. */
export function integerAsDecimal(t: SqlType): SqlType {
  if (t.kind === 'INTEGER') return decimalType(10, 0);
  if (t.kind === 'BIGINT') return decimalType(19, 0);
  return t;
}

const NUMERIC_RANK: Partial<Record<SqlType['kind'], number>> = { INTEGER: 0, BIGINT: 1, DECIMAL: 2, DOUBLE: 3 };

/** The narrowest numeric type both operands widen to. */
export function widerNumeric(a: SqlType, b: SqlType): SqlType {
  const ra = NUMERIC_RANK[a.kind]!;
  const rb = NUMERIC_RANK[b.kind]!;
  if (ra === 3 || rb === 3) return DOUBLE;
  if (ra === 2 || rb === 2) {
    const da = integerAsDecimal(a);
    const db = integerAsDecimal(b);
    if (da.kind !== 'DECIMAL' || db.kind !== 'DECIMAL') return DOUBLE;
    const scale = Math.max(da.scale, db.scale);
    const integral = Math.max(da.precision - da.scale, db.precision - db.scale);
    return decimalType(Math.min(integral + scale, 1000), scale);
  }
  return ra === 1 || rb === 1 ? BIGINT : INTEGER;
}

/** Whether a value of type `from` may be used where `to` is expected, without a CAST. */
export function canWiden(from: SqlType, to: SqlType): boolean {
  if (sqlTypesEqual(from, to)) return true;
  if (isNumeric(from) && isNumeric(to)) {
    const rf = NUMERIC_RANK[from.kind]!;
    const rt = NUMERIC_RANK[to.kind]!;
    if (rf > rt) return false;
    if (to.kind === 'DECIMAL') {
      const d = integerAsDecimal(from);
      if (d.kind !== 'DECIMAL') return false;
      return d.scale <= to.scale && d.precision - d.scale <= to.precision - to.scale;
    }
    return true;
  }
  if (from.kind === 'ARRAY' && to.kind === 'ARRAY') return canWiden(from.element, to.element);
  if (from.kind === 'MAP' && to.kind === 'MAP') return canWiden(from.key, to.key) && canWiden(from.value, to.value);
  if (from.kind === 'STRUCT' && to.kind === 'STRUCT') {
    return from.fields.every((f) => {
      const target = to.fields.find((g) => g.name === f.name);
      return target === undefined || canWiden(f.type, target.type);
    });
  }
  return false;
}

/**
 * The common type of several expression types, following ksqlDB's rules for
 * expression lists (IN, ARRAY[...], CASE results): decided by the first
 * non-null type; numbers widen; containers combine element-wise. Returns
 * undefined when there is none. `null` entries are untyped NULLs.
 */
export function commonType(types: readonly (SqlType | null)[]): SqlType | null | undefined {
  let result: SqlType | null = null;
  for (const t of types) {
    if (t === null) continue;
    if (result === null) {
      result = t;
      continue;
    }
    const combined = combine(result, t);
    if (combined === undefined) return undefined;
    result = combined;
  }
  return result;
}

function combine(a: SqlType, b: SqlType): SqlType | undefined {
  if (sqlTypesEqual(a, b)) return a;
  if (isNumeric(a) && isNumeric(b)) return widerNumeric(a, b);
  if (a.kind === 'ARRAY' && b.kind === 'ARRAY') {
    const e = combine(a.element, b.element);
    return e && { kind: 'ARRAY', element: e };
  }
  if (a.kind === 'MAP' && b.kind === 'MAP') {
    const k = combine(a.key, b.key);
    const v = combine(a.value, b.value);
    return k && v && { kind: 'MAP', key: k, value: v };
  }
  if (a.kind === 'STRUCT' && b.kind === 'STRUCT') {
    const fields = [...a.fields];
    for (const f of b.fields) {
      const i = fields.findIndex((g) => g.name === f.name);
      if (i < 0) {
        fields.push(f);
        continue;
      }
      const t = combine(fields[i]!.type, f.type);
      if (t === undefined) return undefined;
      fields[i] = { name: f.name, type: t };
    }
    return { kind: 'STRUCT', fields };
  }
  return undefined;
}

/**
 * The precision and scale of a decimal literal's digits, as ksqlDB's
 * DecimalUtil.fromValue gives them: a value between -1 and 1 counts one
 * integral digit, so "-0.050" is DECIMAL(4, 3) and "0.0" DECIMAL(2, 1).
 */
export function decimalLiteralType(text: string): SqlType {
  const digits = text.replace(/^[-+]/, '');
  const [intPart = '', fracPart = ''] = digits.split('.');
  const scale = fracPart.length;
  const intDigits = intPart.replace(/^0+/, '').length;
  return decimalType(intDigits === 0 ? scale + 1 : intDigits + scale, scale);
}

/** The smallest DECIMAL type that holds `d` exactly. */
export function decimalTypeOf(d: Decimal): SqlType {
  return decimalLiteralType(d.toFixed());
}

export function describeType(t: SqlType | null): string {
  return t === null ? 'null' : formatSqlType(t);
}
