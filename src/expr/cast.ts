/**
 * CAST between SQL types with ksqlDB's (Java's) semantics, built once per
 * (from, to) pair: integers narrow by keeping the low bits, DOUBLE to an
 * integer truncates and saturates, text parses strictly (but any text is a
 * BOOLEAN), DECIMALs round HALF_UP to the target scale and fail when the
 * integral digits do not fit.
 */
import { KsqlError } from '../common/errors.js';
import { decodeBase64, formatJavaDouble, parseJavaDecimal, parseJavaDouble, parseJavaInt, parseJavaLong, trimJava } from '../schema/java-text.js';
import { formatIsoDate, formatIsoTime, formatIsoTimestamp } from '../schema/iso-time-text.js';
import { Decimal, formatDecimal, integralDigits, roundDecimal } from '../schema/decimal.js';
import { formatSqlType, sqlTypesEqual, type SqlType } from '../schema/sql-type.js';

export type Caster = (value: unknown) => unknown;

const MS_PER_DAY = 86_400_000;
const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

function castError(text: unknown, to: SqlType): KsqlError {
  return new KsqlError('BAD_STATEMENT', `invalid input syntax for type ${formatSqlType(to)}: "${String(text)}"`);
}

/** Java's `(int) double`: NaN is 0, out-of-range values saturate. */
function doubleToInt(d: number): number {
  if (Number.isNaN(d)) return 0;
  if (d >= INT_MAX) return INT_MAX;
  if (d <= INT_MIN) return INT_MIN;
  return Math.trunc(d);
}

const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

function doubleToLong(d: number): bigint {
  if (Number.isNaN(d)) return 0n;
  if (d >= 9223372036854775807) return LONG_MAX;
  if (d <= -9223372036854775808) return LONG_MIN;
  return BigInt(Math.trunc(d));
}

export function parseIntegerText(text: string, to: SqlType): number {
  const n = parseJavaInt(trimJava(text));
  if (n === undefined) throw castError(text, to);
  return n;
}

export function parseBigintText(text: string, to: SqlType): bigint {
  const n = parseJavaLong(trimJava(text));
  if (n === undefined) throw castError(text, to);
  return n;
}

export function parseDoubleText(text: string, to: SqlType): number {
  const n = parseJavaDouble(text);
  if (n === undefined) throw castError(text, to);
  return n;
}

function isSafeBigint(v: bigint): boolean {
  return v >= -9007199254740991n && v <= 9007199254740991n;
}

/** Rounds to the type's scale and checks that the integral digits fit its precision. */
export function fitDecimal(d: Decimal, to: SqlType & { kind: 'DECIMAL' }): Decimal {
  const r = roundDecimal(d, to.scale);
  if (integralDigits(r) > to.precision - to.scale) {
    throw new KsqlError('BAD_STATEMENT', `Cannot fit decimal '${d.toFixed()}' into DECIMAL(${to.precision}, ${to.scale}) without rounding.`);
  }
  return r;
}

function parseDecimalText(text: string, to: SqlType & { kind: 'DECIMAL' }): Decimal {
  const d = parseJavaDecimal(trimJava(text));
  if (d === undefined) throw castError(text, to);
  return fitDecimal(d, to);
}

/** CAST's reading of text as BOOLEAN (ksqlDB's SqlBooleans.parseBoolean): a prefix of true or yes, in any case; anything else is false. */
function castTextToBoolean(text: string): boolean {
  const t = trimJava(text).toLowerCase();
  return t.length > 0 && ('true'.startsWith(t) || 'yes'.startsWith(t));
}

// A partial date (`2020`, `2020-05`) means its first day, as ksqlDB completes it.
const DATE_TEXT = /^([+-]?\d{4,})(?:-(\d{2})(?:-(\d{2}))?)?$/;
const TIME_TEXT = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/;
const TIMESTAMP_TEXT = /^([+-]?\d{4,})(?:-(\d{2})(?:-(\d{2}))?)?(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/;

export function parseDateText(text: string, to: SqlType): number {
  const m = DATE_TEXT.exec(text.trim());
  if (!m) throw castError(text, to);
  const ms = Date.UTC(Number(m[1]), Number(m[2] ?? '01') - 1, Number(m[3] ?? '01'));
  if (Number.isNaN(ms)) throw castError(text, to);
  return Math.floor(ms / MS_PER_DAY);
}

export function parseTimeText(text: string, to: SqlType): number {
  const m = TIME_TEXT.exec(text.trim());
  if (!m) throw castError(text, to);
  const h = Number(m[1]);
  const min = Number(m[2]);
  const s = Number(m[3] ?? 0);
  if (h > 23 || min > 59 || s > 59) throw castError(text, to);
  return ((h * 60 + min) * 60 + s) * 1000 + Number((m[4] ?? '0').padEnd(3, '0').slice(0, 3));
}

export function parseTimestampText(text: string, to: SqlType): number {
  const m = TIMESTAMP_TEXT.exec(text.trim());
  if (!m) throw castError(text, to);
  const ms = Date.UTC(Number(m[1]), Number(m[2] ?? '01') - 1, Number(m[3] ?? '01'), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0),
    Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3)));
  if (Number.isNaN(ms)) throw castError(text, to);
  const zone = m[8];
  if (zone === undefined || zone === 'Z') return ms;
  const zm = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone)!;
  const offset = (Number(zm[2]) * 60 + Number(zm[3] ?? 0)) * 60_000;
  return zm[1] === '+' ? ms - offset : ms + offset;
}

/** Java-style text of any value, as CAST(x AS STRING) gives it. */
export function valueToText(value: unknown, type: SqlType): string {
  switch (type.kind) {
    case 'DOUBLE':
      return formatJavaDouble(value as number);
    case 'DECIMAL':
      return formatDecimal(value as Decimal, type.scale);
    case 'DATE':
      return formatIsoDate(value as number);
    case 'TIME':
      return formatIsoTime(value as number);
    case 'TIMESTAMP':
      return formatIsoTimestamp(value as number);
    case 'BYTES':
      return (value as Buffer).toString('base64');
    case 'ARRAY':
      return '[' + (value as unknown[]).map((v) => (v === null ? 'null' : valueToText(v, type.element))).join(', ') + ']';
    case 'MAP':
      return '{' + [...(value as Map<unknown, unknown>)].map(([k, v]) =>
        `${k === null ? 'null' : valueToText(k, type.key)}=${v === null ? 'null' : valueToText(v, type.value)}`).join(', ') + '}';
    case 'STRUCT': {
      const o = value as Record<string, unknown>;
      return 'Struct{' + type.fields.filter((f) => o[f.name] !== null && o[f.name] !== undefined)
        .map((f) => `${f.name}=${valueToText(o[f.name], f.type)}`).join(',') + '}';
    }
    default:
      return String(value);
  }
}

/** Builds the cast of non-null values from `from` to `to`; NULL always casts to NULL. */
export function buildCast(from: SqlType | null, to: SqlType): Caster {
  if (from === null) return () => null;
  if (sqlTypesEqual(from, to)) return (v) => v;
  const inner = buildNonNullCast(from, to);
  return (v) => (v === null ? null : inner(v));
}

function buildNonNullCast(from: SqlType, to: SqlType): Caster {
  switch (to.kind) {
    case 'STRING':
      return (v) => valueToText(v, from);
    case 'INTEGER':
      switch (from.kind) {
        case 'BIGINT': return (v) => Number(BigInt.asIntN(32, v as bigint));
        case 'DOUBLE': return (v) => doubleToInt(v as number);
        case 'DECIMAL': return (v) => Number(BigInt.asIntN(32, BigInt((v as Decimal).trunc().toFixed())));
        case 'STRING': return (v) => parseIntegerText(v as string, to);
      }
      break;
    case 'BIGINT':
      switch (from.kind) {
        case 'INTEGER': return (v) => BigInt(v as number);
        case 'DOUBLE': return (v) => doubleToLong(v as number);
        case 'DECIMAL': return (v) => BigInt.asIntN(64, BigInt((v as Decimal).trunc().toFixed()));
        case 'STRING': return (v) => parseBigintText(v as string, to);
      }
      break;
    case 'DOUBLE':
      switch (from.kind) {
        case 'INTEGER': return (v) => v;
        case 'BIGINT': return (v) => Number(v as bigint);
        case 'DECIMAL': return (v) => (v as Decimal).toNumber();
        case 'STRING': return (v) => parseDoubleText(v as string, to);
      }
      break;
    case 'DECIMAL':
      switch (from.kind) {
        // decimal.js reads a small integer number without going through its text.
        // An integer has no fraction to round; one of at most 10 (INT) or 19 (BIGINT) digits needs no check where the type has room for them.
        case 'INTEGER': return to.precision - to.scale >= 10
          ? (v) => new Decimal((v as number) | 0)
          : (v) => fitDecimal(new Decimal((v as number) | 0), to);
        case 'BIGINT': return to.precision - to.scale >= 19
          ? (v) => new Decimal(isSafeBigint(v as bigint) ? Number(v) : String(v))
          : (v) => fitDecimal(new Decimal(isSafeBigint(v as bigint) ? Number(v) : String(v)), to);
        case 'DOUBLE': return (v) => {
          const d = v as number;
          if (!Number.isFinite(d)) throw castError(d, to);
          return fitDecimal(new Decimal(String(d)), to);
        };
        case 'DECIMAL': return (v) => fitDecimal(v as Decimal, to);
        case 'STRING': return (v) => parseDecimalText(v as string, to);
      }
      break;
    case 'BOOLEAN':
      if (from.kind === 'STRING') return (v) => castTextToBoolean(v as string);
      break;
    case 'TIMESTAMP':
      if (from.kind === 'STRING') return (v) => parseTimestampText(v as string, to);
      if (from.kind === 'DATE') return (v) => (v as number) * MS_PER_DAY;
      break;
    case 'DATE':
      if (from.kind === 'STRING') return (v) => parseDateText(v as string, to);
      if (from.kind === 'TIMESTAMP') return (v) => Math.floor((v as number) / MS_PER_DAY);
      break;
    case 'TIME':
      if (from.kind === 'STRING') return (v) => parseTimeText(v as string, to);
      if (from.kind === 'TIMESTAMP') return (v) => (((v as number) % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY;
      break;
    case 'BYTES':
      // ksqlDB decodes the trimmed text as base64.
      if (from.kind === 'STRING') {
        return (v) => {
          const bytes = decodeBase64(trimJava(v as string));
          if (bytes === undefined) throw castError(v, to);
          return bytes;
        };
      }
      break;
    case 'ARRAY':
      if (from.kind === 'ARRAY') {
        const element = buildCast(from.element, to.element);
        return (v) => (v as unknown[]).map(element);
      }
      break;
    case 'MAP':
      if (from.kind === 'MAP') {
        const key = buildCast(from.key, to.key);
        const value = buildCast(from.value, to.value);
        return (v) => {
          const out = new Map<unknown, unknown>();
          for (const [k, x] of v as Map<unknown, unknown>) out.set(key(k), value(x));
          return out;
        };
      }
      break;
    case 'STRUCT':
      if (from.kind === 'STRUCT') {
        const fields = to.fields.map((f) => {
          const source = from.fields.find((g) => g.name === f.name);
          return { name: f.name, source: source?.name, cast: source ? buildCast(source.type, f.type) : () => null };
        });
        return (v) => {
          const o = v as Record<string, unknown>;
          const out: Record<string, unknown> = {};
          for (const f of fields) out[f.name] = f.source === undefined ? null : f.cast(o[f.source] ?? null);
          return out;
        };
      }
      break;
  }
  if (to.kind === 'INTEGER' && from.kind === 'INTEGER') return (v) => v;
  return () => {
    throw new KsqlError('BAD_STATEMENT', `Cast of ${formatSqlType(from)} to ${formatSqlType(to)} is not supported`);
  };
}
