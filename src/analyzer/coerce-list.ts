/**
 * The common type of a user-written expression list (IN, ARRAY[...], MAP(...)),
 * with ksqlDB's rules (docs: type-coercion.md, "Expression lists"): the first
 * typed expression sets the type; each later one must coerce to it or it to
 * that one. Literals coerce laxly (any literal to STRING, a STRING literal to a
 * number wide enough for its digits or to BOOLEAN), other expressions only
 * widen; constructors are resolved element by element, so `ARRAY['1', x]` can
 * join an ARRAY<BIGINT>. Failures read as ksqlDB's.
 */
import { KsqlError, statementError } from '../common/errors.js';
import type { Expression } from '../parser/ast/expression.js';
import { trimJava } from '../schema/java-text.js';
import {
  BIGINT, INTEGER, arrayType, decimalType, formatSqlType, isNumeric, mapType, structType, type SqlType, type StructField,
} from '../schema/sql-type.js';
import { widerNumeric } from './coercion.js';
import { formatExpressionText } from './expression-text.js';

export interface TypedItem {
  readonly expression: Expression;
  /** null for an untyped NULL literal. */
  readonly type: SqlType | null;
}

/** How the resolver learns the type of a constructor's elements. */
export type TypeOf = (e: Expression) => SqlType | null;

/** An expression whose type cannot join the list's common type. */
export class ListCoercionError extends KsqlError {
  constructor(message: string, cause?: Error) {
    super('BAD_STATEMENT', message, cause === undefined ? {} : { cause });
  }
}

/**
 * The common type of the items, or null when every item is an untyped NULL.
 * Throws a ListCoercionError when an item does not fit, and a plain statement
 * error when a STRING literal cannot be read as the type it must coerce to.
 */
export function resolveListType(items: readonly TypedItem[], typeOf: TypeOf): SqlType | null {
  let common: SqlType | null = null;
  for (const item of items) common = common === null ? item.type : joinItem(item, common, typeOf);
  return common;
}

function joinItem(item: TypedItem, target: SqlType, typeOf: TypeOf): SqlType {
  const { expression: e, type } = item;
  if (type === null) return target;
  switch (e.kind) {
    case 'ArrayConstructor':
      if (target.kind !== 'ARRAY') throw cannotCoerce(e, type, target);
      return nested(e, type, target, () => arrayType(joinElements(target.element, e.elements, typeOf)));
    case 'MapConstructor':
      if (target.kind !== 'MAP') throw cannotCoerce(e, type, target);
      return nested(e, type, target, () => mapType(
        joinElements(target.key, e.entries.map((x) => x.key), typeOf),
        joinElements(target.value, e.entries.map((x) => x.value), typeOf),
      ));
    case 'StructConstructor':
      if (target.kind !== 'STRUCT') throw cannotCoerce(e, type, target);
      return nested(e, type, target, () => {
        const names = [...new Set([...e.fields.map((f) => f.name), ...target.fields.map((f) => f.name)])];
        const fields: StructField[] = names.map((name) => {
          const source = e.fields.find((f) => f.name === name);
          const sourceType = source === undefined ? null : typeOf(source.value);
          const targetType = target.fields.find((f) => f.name === name)?.type;
          if (targetType === undefined) {
            if (sourceType === null) throw cannotCoerce(e, type, target);
            return { name, type: sourceType };
          }
          if (source === undefined || sourceType === null) return { name, type: targetType };
          return { name, type: joinItem({ expression: source.value, type: sourceType }, targetType, typeOf) };
        });
        return structType(fields);
      });
    case 'StringLiteral':
      if (isNumeric(target)) return joinNumericText(e.value, target);
      if (target.kind === 'BOOLEAN') {
        if (!isBooleanText(e.value)) throw invalidSyntax(e.value, target);
        return target;
      }
      break;
    default:
      break;
  }
  const lax = isLiteral(e);
  const common = coercibleTo(type, target, lax) ?? coercibleTo(target, type, lax);
  if (common === undefined) throw cannotCoerce(e, type, target);
  return common;
}

/** Resolves a constructor's elements; a misfit inside is reported as the whole constructor's. */
function nested(e: Expression, type: SqlType, target: SqlType, resolve: () => SqlType): SqlType {
  try {
    return resolve();
  } catch (err) {
    if (err instanceof ListCoercionError) throw cannotCoerce(e, type, target, err);
    throw err;
  }
}

function joinElements(target: SqlType, elements: readonly Expression[], typeOf: TypeOf): SqlType {
  let common = target;
  for (const expression of elements) common = joinItem({ expression, type: typeOf(expression) }, common, typeOf);
  return common;
}

function isLiteral(e: Expression): boolean {
  switch (e.kind) {
    case 'NullLiteral':
    case 'BooleanLiteral':
    case 'IntegerLiteral':
    case 'BigIntLiteral':
    case 'DecimalLiteral':
    case 'DoubleLiteral':
    case 'StringLiteral':
    case 'BytesLiteral':
    case 'TypedLiteral':
      return true;
    default:
      return false;
  }
}

/**
 * The type a value of `from` may be implicitly coerced to, to meet `to`, or
 * undefined: numbers widen (DECIMALs to a DECIMAL holding both), STRING
 * reads as a temporal type or BYTES, containers coerce element-wise and
 * STRUCTs to the union of their fields. `lax` (literals) adds any primitive
 * to STRING and STRING to BOOLEAN or a number.
 */
export function coercibleTo(from: SqlType, to: SqlType, lax: boolean): SqlType | undefined {
  if (lax && to.kind === 'STRING' && from.kind !== 'BYTES' && from.kind !== 'ARRAY' && from.kind !== 'MAP' && from.kind !== 'STRUCT') {
    return to;
  }
  switch (from.kind) {
    case 'INTEGER':
    case 'BIGINT':
    case 'DECIMAL':
    case 'DOUBLE': {
      if (!isNumeric(to)) return undefined;
      const rank = NUMERIC_RANK[from.kind];
      if (NUMERIC_RANK[to.kind as keyof typeof NUMERIC_RANK] < rank) return undefined;
      return to.kind === 'DECIMAL' ? widerNumeric(from, to) : to;
    }
    case 'STRING':
      switch (to.kind) {
        case 'STRING':
        case 'TIMESTAMP':
        case 'TIME':
        case 'DATE':
        case 'BYTES':
          return to;
        case 'BOOLEAN':
        case 'INTEGER':
        case 'BIGINT':
        case 'DECIMAL':
        case 'DOUBLE':
          return lax ? to : undefined;
        default:
          return undefined;
      }
    case 'ARRAY': {
      if (to.kind !== 'ARRAY') return undefined;
      const element = coercibleTo(from.element, to.element, lax);
      return element && arrayType(element);
    }
    case 'MAP': {
      if (to.kind !== 'MAP') return undefined;
      const key = coercibleTo(from.key, to.key, lax);
      const value = coercibleTo(from.value, to.value, lax);
      return key && value && mapType(key, value);
    }
    case 'STRUCT': {
      if (to.kind !== 'STRUCT') return undefined;
      const names = [...new Set([...from.fields.map((f) => f.name), ...to.fields.map((f) => f.name)])];
      const fields: StructField[] = [];
      for (const name of names) {
        const f = from.fields.find((x) => x.name === name);
        const t = to.fields.find((x) => x.name === name);
        if (f === undefined || t === undefined) {
          fields.push({ name, type: (f ?? t)!.type });
          continue;
        }
        const common = coercibleTo(f.type, t.type, lax);
        if (common === undefined) return undefined;
        fields.push({ name, type: common });
      }
      return structType(fields);
    }
    default:
      return from.kind === to.kind ? to : undefined;
  }
}

const NUMERIC_RANK = { INTEGER: 0, BIGINT: 1, DECIMAL: 2, DOUBLE: 3 } as const;

/** The numeric type a list takes when a STRING literal holding a number joins `target`. */
function joinNumericText(text: string, target: SqlType): SqlType {
  const source = numericTextType(text);
  if (source === undefined) throw invalidSyntax(text, target);
  if (target.kind === 'DOUBLE') return target;
  if (source.kind === 'DECIMAL' || target.kind === 'DECIMAL') return widerNumeric(source, target);
  return source.kind === 'INTEGER' || target.kind === 'BIGINT' ? target : source;
}

const DECIMAL_TEXT = /^[+-]?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const INT_MIN = -2147483648n;
const INT_MAX = 2147483647n;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

/**
 * The type of a number written as text: INTEGER or BIGINT for whole numbers
 * strictly inside their range and written without a point or exponent, else
 * the DECIMAL of its digits (BigDecimal's precision and scale, a negative
 * scale made 0, values between -1 and 1 given one integral digit).
 */
export function numericTextType(text: string): SqlType | undefined {
  const t = trimJava(text);
  const m = DECIMAL_TEXT.exec(t);
  if (m === null) return undefined;
  const intDigits = m[1] ?? '';
  const fracDigits = m[2] ?? '';
  if (intDigits.length + fracDigits.length === 0) return undefined;
  if (!/[.eE]/.test(t)) {
    const n = BigInt(t);
    if (n > INT_MIN && n < INT_MAX) return INTEGER;
    if (n > LONG_MIN && n < LONG_MAX) return BIGINT;
  }
  let digits = (intDigits + fracDigits).replace(/^0+/, '');
  let scale = fracDigits.length - Number(m[3] ?? 0);
  if (scale < 0) {
    digits += digits.length === 0 ? '' : '0'.repeat(-scale);
    scale = 0;
  }
  if (digits.length <= scale) return decimalType(scale + 1, scale);
  return decimalType(Math.max(digits.length, 1), scale);
}

const BOOLEAN_WORDS = ['true', 'false', 'yes', 'no'];

/** ksqlDB's boolean text: true, false, yes, no or a prefix of one, any case. */
export function isBooleanText(text: string): boolean {
  const t = text.trim().toLowerCase();
  return t.length > 0 && BOOLEAN_WORDS.some((w) => w.startsWith(t));
}

function invalidSyntax(text: string, target: SqlType): KsqlError {
  return statementError(`invalid input syntax for type ${target.kind}: "${text}".`);
}

function cannotCoerce(e: Expression, source: SqlType, target: SqlType, cause?: Error): ListCoercionError {
  return new ListCoercionError(
    `operator does not exist: ${formatSqlType(target)} = ${formatSqlType(source)} (${formatExpressionText(e)})\n`
    + 'Hint: You might need to add explicit type casts.',
    cause,
  );
}
