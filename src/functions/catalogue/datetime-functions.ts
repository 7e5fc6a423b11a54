/**
 * Date and time functions. DATE is days since the epoch, TIME milliseconds
 * of the day, TIMESTAMP epoch milliseconds (UTC). Patterns are Java
 * DateTimeFormatter patterns, compiled once per pattern text; parsing is case
 * insensitive and missing fields default to 1970-01-01T00:00:00, as in ksqlDB.
 * Time zones are Java zone ids; the default is UTC.
 *
 * The time unit of DATEADD & co. (a keyword in SQL: DAYS, HOURS...) is passed
 * as a STRING argument holding the unit's name.
 */
import type { ZoneId } from '@js-joda/core';
import { defineScalar, type ScalarFunction, type ScalarVariantInput } from '../function-definition.js';
import { compilePattern, PatternError, type CompiledPattern, type FormatFields, type ParsedFields } from './datetime-pattern.js';
import { civilFromDays, daysFromCivil, daysInMonth, isLeapYear } from '../../schema/civil-calendar.js';
import { localToEpochMs, offsetSecondsAt, requireZone, UTC_ZONE } from './time-zones.js';
import { strict, TextCache, valueError } from './value-support.js';

const MS_PER_DAY = 86_400_000;

const patternCache = new TextCache<CompiledPattern | PatternError>((p) => {
  try {
    return compilePattern(p);
  } catch (e) {
    if (e instanceof PatternError) return e;
    throw e;
  }
});

function pattern(functionName: string, text: string): CompiledPattern {
  const compiled = patternCache.get(text);
  if (compiled instanceof PatternError) throw valueError(functionName, `Invalid format '${text}': ${compiled.message}`);
  return compiled;
}

function dateParts(days: number): { year: number; month: number; day: number; dayOfYear: number; dayOfWeek: number } {
  const { year, month, day } = civilFromDays(days);
  return {
    year,
    month,
    day,
    dayOfYear: days - daysFromCivil(year, 1, 1) + 1,
    dayOfWeek: ((((days + 3) % 7) + 7) % 7) + 1,
  };
}

function timeParts(msOfDay: number): { hour: number; minute: number; second: number; nano: number } {
  return {
    hour: Math.floor(msOfDay / 3_600_000),
    minute: Math.floor(msOfDay / 60_000) % 60,
    second: Math.floor(msOfDay / 1000) % 60,
    nano: (msOfDay % 1000) * 1_000_000,
  };
}

function timestampFields(epochMs: number, zone: ZoneId): FormatFields {
  const offsetSeconds = offsetSecondsAt(zone, epochMs);
  const local = epochMs + offsetSeconds * 1000;
  const days = Math.floor(local / MS_PER_DAY);
  const date = dateParts(days);
  const msOfDay = local - days * MS_PER_DAY;
  return {
    year: date.year,
    month: date.month,
    day: date.day,
    dayOfYear: date.dayOfYear,
    dayOfWeek: date.dayOfWeek,
    hour: Math.floor(msOfDay / 3_600_000),
    minute: Math.floor(msOfDay / 60_000) % 60,
    second: Math.floor(msOfDay / 1000) % 60,
    nano: (msOfDay % 1000) * 1_000_000,
    zone,
    offsetSeconds,
    epochMs,
  };
}

function resolveDate(f: ParsedFields): { year: number; month: number; day: number } {
  const year = f.year ?? (f.yearOfEra !== undefined ? (f.era === 0 ? 1 - f.yearOfEra : f.yearOfEra) : f.reducedYear ?? 1970);
  if (f.dayOfYear !== undefined && f.month === undefined && f.day === undefined) {
    const length = isLeapYear(year) ? 366 : 365;
    if (f.dayOfYear < 1 || f.dayOfYear > length) throw new PatternError(`Invalid day of year ${f.dayOfYear}`);
    return civilFromDays(daysFromCivil(year, 1, 1) + f.dayOfYear - 1);
  }
  const month = f.month ?? 1;
  const day = f.day ?? 1;
  if (month < 1 || month > 12) throw new PatternError(`Invalid value for MonthOfYear (valid values 1 - 12): ${month}`);
  if (day < 1 || day > 31) throw new PatternError(`Invalid value for DayOfMonth (valid values 1 - 28/31): ${day}`);
  return { year, month, day: Math.min(day, daysInMonth(year, month)) };
}

function resolveTime(f: ParsedFields): { hour: number; minute: number; second: number; nano: number } {
  let hour = f.hour;
  if (hour === undefined && f.clockHour24 !== undefined) hour = f.clockHour24 % 24;
  if (hour === undefined && (f.hourOfAmPm !== undefined || f.clockHourOfAmPm !== undefined)) {
    hour = ((f.hourOfAmPm ?? f.clockHourOfAmPm!) % 12) + (f.amPm === 1 ? 12 : 0);
  }
  if (hour === undefined && f.milliOfDay !== undefined) {
    const t = timeParts(f.milliOfDay);
    return t;
  }
  const out = { hour: hour ?? 0, minute: f.minute ?? 0, second: f.second ?? 0, nano: f.nano ?? 0 };
  if (out.hour > 23) throw new PatternError(`Invalid value for HourOfDay (valid values 0 - 23): ${out.hour}`);
  if (out.minute > 59) throw new PatternError(`Invalid value for MinuteOfHour (valid values 0 - 59): ${out.minute}`);
  if (out.second > 59) throw new PatternError(`Invalid value for SecondOfMinute (valid values 0 - 59): ${out.second}`);
  return out;
}

function daysOf(date: { year: number; month: number; day: number }): number {
  return daysFromCivil(date.year, date.month, date.day);
}

function parseWith<T>(functionName: string, what: string, text: string, format: string, resolve: (f: ParsedFields) => T, prefix = false): T {
  const compiled = pattern(functionName, format);
  try {
    return resolve(compiled.parse(text, prefix));
  } catch (e) {
    if (e instanceof PatternError) throw valueError(functionName, `Failed to parse ${what} '${text}' with formatter '${format}': ${e.message}`);
    throw e;
  }
}

function formatWith(functionName: string, format: string, fields: FormatFields): string {
  const compiled = pattern(functionName, format);
  try {
    return compiled.format(fields);
  } catch (e) {
    if (e instanceof PatternError) throw valueError(functionName, `Failed to format with '${format}': ${e.message}`);
    throw e;
  }
}

/**
 * Text to days since the epoch. With `prefix`, text after what the pattern
 * covers is ignored: PARSE_DATE does so, as ksqlDB's (a SimpleDateFormat) does.
 */
export function parseDate(functionName: string, text: string, format: string, prefix = false): number {
  return parseWith(functionName, 'date', text, format, (f) => daysOf(resolveDate(f)), prefix);
}

export function parseTime(functionName: string, text: string, format: string): number {
  return parseWith(functionName, 'time', text, format, (f) => {
    const t = resolveTime(f);
    return ((t.hour * 60 + t.minute) * 60 + t.second) * 1000 + Math.floor(t.nano / 1_000_000);
  });
}

export function parseTimestamp(functionName: string, text: string, format: string, zone: ZoneId): number {
  return parseWith(functionName, 'timestamp', text, format, (f) => {
    const d = resolveDate(f);
    const t = resolveTime(f);
    return localToEpochMs({ year: d.year, month: d.month, day: d.day, hour: t.hour, minute: t.minute, second: t.second, nano: t.nano }, f.zone ?? zone);
  });
}

export function formatDate(functionName: string, days: number, format: string): string {
  const d = dateParts(days);
  return formatWith(functionName, format, {
    year: d.year, month: d.month, day: d.day, dayOfYear: d.dayOfYear, dayOfWeek: d.dayOfWeek,
  });
}

export function formatTime(functionName: string, msOfDay: number, format: string): string {
  const t = timeParts(msOfDay);
  return formatWith(functionName, format, {
    hour: t.hour, minute: t.minute, second: t.second, nano: t.nano,
  });
}

export function formatTimestamp(functionName: string, epochMs: number, format: string, zone: ZoneId): string {
  return formatWith(functionName, format, timestampFields(epochMs, zone));
}

/** Milliseconds per Java TimeUnit name (plural or singular). */
const UNIT_MS: Readonly<Record<string, number>> = {
  NANOSECONDS: 1e-6, MICROSECONDS: 1e-3, MILLISECONDS: 1, SECONDS: 1000, MINUTES: 60_000, HOURS: 3_600_000, DAYS: MS_PER_DAY,
  NANOSECOND: 1e-6, MICROSECOND: 1e-3, MILLISECOND: 1, SECOND: 1000, MINUTE: 60_000, HOUR: 3_600_000, DAY: MS_PER_DAY,
};

function unitMs(functionName: string, unit: string): number {
  const ms = UNIT_MS[unit.toUpperCase()];
  if (ms === undefined) throw valueError(functionName, `Unknown time unit ${unit}`);
  return ms;
}

/** Java TimeUnit.toMillis / toDays: truncating conversions. */
function toUnits(functionName: string, unit: string, interval: number, targetMs: number): number {
  return Math.trunc((interval * unitMs(functionName, unit)) / targetMs);
}

function timestampVariants(name: string, kind: 'format' | 'parse', legacy: boolean): ScalarVariantInput[] {
  if (kind === 'format') {
    const input = legacy ? 'BIGINT epochMilli' : 'TIMESTAMP timestamp';
    const toMs = (v: number | bigint) => Number(v);
    return [
      {
        params: `${input}, STRING formatPattern`,
        returns: 'STRING',
        impl: strict((ts: number | bigint, fmt: string) => formatTimestamp(name, toMs(ts), fmt, UTC_ZONE)),
      },
      {
        params: `${input}, STRING formatPattern, STRING timeZone`,
        returns: 'STRING',
        impl: strict((ts: number | bigint, fmt: string, tz: string) => formatTimestamp(name, toMs(ts), fmt, requireZone(tz, name))),
      },
    ];
  }
  const out = legacy ? (ms: number) => BigInt(ms) : (ms: number) => ms;
  const returns = legacy ? 'BIGINT' : 'TIMESTAMP';
  return [
    {
      params: 'STRING formattedTimestamp, STRING formatPattern',
      returns,
      impl: strict((text: string, fmt: string) => out(parseTimestamp(name, text, fmt, UTC_ZONE))),
    },
    {
      params: 'STRING formattedTimestamp, STRING formatPattern, STRING timeZone',
      returns,
      impl: strict((text: string, fmt: string, tz: string) => out(parseTimestamp(name, text, fmt, requireZone(tz, name)))),
    },
  ];
}

function arithmetic(name: string, type: 'DATE' | 'TIME' | 'TIMESTAMP', sign: 1 | -1, description: string): ScalarFunction {
  const apply =
    type === 'DATE'
      ? (unit: string, interval: number, date: number) => date + sign * toUnits(name, unit, interval, MS_PER_DAY)
      : type === 'TIME'
        ? (unit: string, interval: number, time: number) => {
            const moved = (time + sign * toUnits(name, unit, interval, 1)) % MS_PER_DAY;
            return moved < 0 ? moved + MS_PER_DAY : moved;
          }
        : (unit: string, interval: number, ts: number) => ts + sign * toUnits(name, unit, interval, 1);
  return defineScalar({
    name,
    category: 'DATE / TIME',
    description,
    variants: [{ params: `STRING unit, INTEGER interval, ${type} ${type.toLowerCase()}`, returns: type, impl: strict(apply) }],
  });
}

function localToday(): number {
  const now = Date.now();
  return Math.floor((now - new Date(now).getTimezoneOffset() * 60_000) / MS_PER_DAY);
}

export const DATETIME_FUNCTIONS: readonly ScalarFunction[] = [
  defineScalar({
    name: 'FORMAT_TIMESTAMP',
    category: 'DATE / TIME',
    description: 'Formats a TIMESTAMP with a Java DateTimeFormatter pattern, in UTC or a given time zone.',
    variants: timestampVariants('FORMAT_TIMESTAMP', 'format', false),
  }),
  defineScalar({
    name: 'PARSE_TIMESTAMP',
    category: 'DATE / TIME',
    description: 'Parses a TIMESTAMP with a Java DateTimeFormatter pattern, in UTC or a given time zone.',
    variants: timestampVariants('PARSE_TIMESTAMP', 'parse', false),
  }),
  defineScalar({
    name: 'TIMESTAMPTOSTRING',
    category: 'DATE / TIME',
    description: 'Formats epoch milliseconds with a Java DateTimeFormatter pattern (deprecated: use FORMAT_TIMESTAMP).',
    variants: timestampVariants('TIMESTAMPTOSTRING', 'format', true),
  }),
  defineScalar({
    name: 'STRINGTOTIMESTAMP',
    category: 'DATE / TIME',
    description: 'Parses text into epoch milliseconds (deprecated: use PARSE_TIMESTAMP).',
    variants: timestampVariants('STRINGTOTIMESTAMP', 'parse', true),
  }),
  defineScalar({
    name: 'FORMAT_DATE',
    category: 'DATE / TIME',
    description: 'Formats a DATE with a Java DateTimeFormatter pattern.',
    variants: [{ params: 'DATE date, STRING formatPattern', returns: 'STRING', impl: strict((d: number, f: string) => formatDate('FORMAT_DATE', d, f)) }],
  }),
  defineScalar({
    name: 'PARSE_DATE',
    category: 'DATE / TIME',
    description: 'Parses a DATE with a Java DateTimeFormatter pattern.',
    variants: [{ params: 'STRING formattedDate, STRING formatPattern', returns: 'DATE', impl: strict((s: string, f: string) => parseDate('PARSE_DATE', s, f, true)) }],
  }),
  defineScalar({
    name: 'DATETOSTRING',
    category: 'DATE / TIME',
    description: 'Formats days since the epoch with a pattern (deprecated: use FORMAT_DATE).',
    variants: [{ params: 'INTEGER epochDays, STRING formatPattern', returns: 'STRING', impl: strict((d: number, f: string) => formatDate('DATETOSTRING', d, f)) }],
  }),
  defineScalar({
    name: 'STRINGTODATE',
    category: 'DATE / TIME',
    description: 'Parses text into days since the epoch (deprecated: use PARSE_DATE).',
    variants: [{ params: 'STRING formattedDate, STRING formatPattern', returns: 'INTEGER', impl: strict((s: string, f: string) => parseDate('STRINGTODATE', s, f)) }],
  }),
  defineScalar({
    name: 'FORMAT_TIME',
    category: 'DATE / TIME',
    description: 'Formats a TIME with a Java DateTimeFormatter pattern.',
    variants: [{ params: 'TIME time, STRING formatPattern', returns: 'STRING', impl: strict((t: number, f: string) => formatTime('FORMAT_TIME', t, f)) }],
  }),
  defineScalar({
    name: 'PARSE_TIME',
    category: 'DATE / TIME',
    description: 'Parses a TIME with a Java DateTimeFormatter pattern.',
    variants: [{ params: 'STRING formattedTime, STRING formatPattern', returns: 'TIME', impl: strict((s: string, f: string) => parseTime('PARSE_TIME', s, f)) }],
  }),
  defineScalar({
    name: 'CONVERT_TZ',
    category: 'DATE / TIME',
    description: 'Shifts a TIMESTAMP from one time zone to another.',
    variants: [
      {
        params: 'TIMESTAMP timestamp, STRING fromTimeZone, STRING toTimeZone',
        returns: 'TIMESTAMP',
        impl: strict((ts: number, from: string, to: string) => {
          const fromZone = requireZone(from, 'CONVERT_TZ');
          const toZone = requireZone(to, 'CONVERT_TZ');
          return ts + (offsetSecondsAt(toZone, ts) - offsetSecondsAt(fromZone, ts)) * 1000;
        }),
      },
    ],
  }),
  defineScalar({
    name: 'UNIX_DATE',
    deterministic: false,
    category: 'DATE / TIME',
    description: 'Days since the epoch of a DATE, or of today (server local time).',
    variants: [
      { params: '', returns: 'INTEGER', impl: localToday },
      { params: 'DATE date', returns: 'INTEGER', impl: (d: number | null) => d },
    ],
  }),
  defineScalar({
    name: 'UNIX_TIMESTAMP',
    deterministic: false,
    category: 'DATE / TIME',
    description: 'Epoch milliseconds of a TIMESTAMP, or of now.',
    variants: [
      { params: '', returns: 'BIGINT', impl: () => BigInt(Date.now()) },
      { params: 'TIMESTAMP timestamp', returns: 'BIGINT', impl: strict((ts: number) => BigInt(ts)) },
    ],
  }),
  defineScalar({
    name: 'FROM_UNIXTIME',
    category: 'DATE / TIME',
    description: 'The TIMESTAMP of epoch milliseconds.',
    variants: [{ params: 'BIGINT epochMilli', returns: 'TIMESTAMP', impl: strict((ms: bigint) => Number(ms)) }],
  }),
  defineScalar({
    name: 'FROM_DAYS',
    category: 'DATE / TIME',
    description: 'The DATE of a number of days since the epoch.',
    variants: [{ params: 'INTEGER days', returns: 'DATE', impl: (d: number | null) => d }],
  }),
  arithmetic('DATEADD', 'DATE', 1, 'Adds an interval (whole days of it) to a DATE.'),
  arithmetic('DATESUB', 'DATE', -1, 'Subtracts an interval (whole days of it) from a DATE.'),
  arithmetic('TIMEADD', 'TIME', 1, 'Adds an interval to a TIME, wrapping around midnight.'),
  arithmetic('TIMESUB', 'TIME', -1, 'Subtracts an interval from a TIME, wrapping around midnight.'),
  arithmetic('TIMESTAMPADD', 'TIMESTAMP', 1, 'Adds an interval to a TIMESTAMP.'),
  arithmetic('TIMESTAMPSUB', 'TIMESTAMP', -1, 'Subtracts an interval from a TIMESTAMP.'),
];

/**
 * For other layers (e.g. a source's TIMESTAMP_FORMAT): epoch millis of text in
 * a Java pattern, in the given zone id unless the text carries one. Throws KsqlError.
 */
export function parseTimestampText(text: string, format: string, zoneId = 'UTC'): number {
  return parseTimestamp('PARSE_TIMESTAMP', text, format, zoneId === 'UTC' ? UTC_ZONE : requireZone(zoneId, 'PARSE_TIMESTAMP'));
}

/**
 * For other layers: why Java's DateTimeFormatter would refuse `format` (an
 * unknown letter, a stray `]`, an unclosed quote), or undefined. Letters Java
 * knows but this compiler does not are not refused here.
 */
export function javaPatternError(format: string): string | undefined {
  const compiled = patternCache.get(format);
  if (!(compiled instanceof PatternError)) return undefined;
  const javaRefuses = /^(Unknown pattern letter|Pattern invalid as it contains \]|Pattern ends with an incomplete string literal)/;
  return javaRefuses.test(compiled.message) ? compiled.message : undefined;
}

/** For other layers: epoch millis as text in a Java pattern and zone id. Throws KsqlError. */
export function formatTimestampText(epochMs: number, format: string, zoneId = 'UTC'): string {
  return formatTimestamp('FORMAT_TIMESTAMP', epochMs, format, zoneId === 'UTC' ? UTC_ZONE : requireZone(zoneId, 'FORMAT_TIMESTAMP'));
}
