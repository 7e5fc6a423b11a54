/**
 * Java DateTimeFormatter patterns (the subset ksqlDB users write), compiled
 * once per pattern text into a formatter and a case-insensitive parser.
 *
 * Letters: G u y D M L d E a h K k H m s S n A z O VV X x Z, quoted 'text',
 * '' for a quote, and [optional] sections. Text fields use English names.
 * Formatting also knows Q q (quarter), N (nano of day) and the week fields
 * of the US locale Java defaults to (weeks start on Sunday, week 1 holds
 * January 1st): e c (day of week), w W (week of year, of month), Y (week-based year).
 * Numeric fields follow Java's widths: one letter is "as many digits as
 * needed", two letters exactly two (yy is 2000-2099), more letters pad; a
 * field followed directly by another numeric field takes exactly its width.
 */
import { ZoneOffset, type ZoneId } from '@js-joda/core';
import { findZone, zoneName } from './time-zones.js';

/** Fields of the value being formatted; a DATE has no time fields and a TIME no date fields (using them fails, as in Java). */
export interface FormatFields {
  readonly year?: number;
  readonly month?: number;
  readonly day?: number;
  readonly dayOfYear?: number;
  /** 1 = Monday ... 7 = Sunday. */
  readonly dayOfWeek?: number;
  readonly hour?: number;
  readonly minute?: number;
  readonly second?: number;
  readonly nano?: number;
  /** Absent for DATE and TIME values (zone letters then fail, as in Java). */
  readonly zone?: ZoneId;
  readonly offsetSeconds?: number;
  readonly epochMs?: number;
}

export interface ParsedFields {
  year?: number;
  yearOfEra?: number;
  era?: number;
  reducedYear?: number;
  month?: number;
  day?: number;
  dayOfYear?: number;
  hour?: number;
  clockHour24?: number;
  hourOfAmPm?: number;
  clockHourOfAmPm?: number;
  amPm?: number;
  minute?: number;
  second?: number;
  nano?: number;
  milliOfDay?: number;
  zone?: ZoneId;
}

type Token =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'field'; readonly letter: string; readonly count: number }
  | { readonly kind: 'optional'; readonly tokens: readonly Token[] };

export class PatternError extends Error {}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const LETTERS = new Set('GuyDMLdQqYwWEecFaBhKkHmsSAnNVvzOXxZ'.split(''));
const SUPPORTED = new Set('GuyDMLdQqYwWEecahKkHmsSAnNVzOXxZ'.split(''));
const NUMERIC = new Set('uyDMLdhKkHmsSAn'.split(''));

function tokenize(pattern: string): Token[] {
  const stack: Token[][] = [[]];
  let i = 0;
  const push = (t: Token) => stack[stack.length - 1]!.push(t);
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === "'") {
      const close = pattern.indexOf("'", i + 1);
      if (close === i + 1) {
        push({ kind: 'literal', text: "'" });
        i += 2;
        continue;
      }
      let text = '';
      let j = i + 1;
      for (;;) {
        if (j >= pattern.length) throw new PatternError(`Pattern ends with an incomplete string literal: ${pattern}`);
        if (pattern[j] === "'") {
          if (pattern[j + 1] === "'") {
            text += "'";
            j += 2;
            continue;
          }
          break;
        }
        text += pattern[j];
        j++;
      }
      push({ kind: 'literal', text });
      i = j + 1;
    } else if (c === '[') {
      stack.push([]);
      i++;
    } else if (c === ']') {
      if (stack.length === 1) throw new PatternError(`Pattern invalid as it contains ] without previous [: ${pattern}`);
      const tokens = stack.pop()!;
      push({ kind: 'optional', tokens });
      i++;
    } else if (LETTERS.has(c)) {
      let j = i;
      while (pattern[j] === c) j++;
      if (!SUPPORTED.has(c)) throw new PatternError(`Unsupported pattern letter: ${c}`);
      push({ kind: 'field', letter: c, count: j - i });
      i = j;
    } else if (/[A-Za-z]/.test(c)) {
      throw new PatternError(`Unknown pattern letter: ${c}`);
    } else {
      push({ kind: 'literal', text: c });
      i++;
    }
  }
  if (stack.length !== 1) throw new PatternError(`Pattern has an unclosed [: ${pattern}`);
  return stack[0]!;
}

function pad(n: number, width: number): string {
  const s = String(Math.abs(n)).padStart(width, '0');
  return n < 0 ? '-' + s : s;
}

function formatOffset(seconds: number, withColon: boolean, zeroText: string, optionalMinutes = false): string {
  if (seconds === 0 && zeroText !== '') return zeroText;
  const sign = seconds < 0 ? '-' : '+';
  const abs = Math.abs(seconds);
  const h = pad(Math.floor(abs / 3600), 2);
  const m = pad(Math.floor(abs / 60) % 60, 2);
  if (optionalMinutes && m === '00') return sign + h;
  return sign + h + (withColon ? ':' : '') + m;
}

function requireZoneFields(f: FormatFields, letter: string): { zone: ZoneId; offset: number; epochMs: number } {
  if (f.zone === undefined || f.offsetSeconds === undefined || f.epochMs === undefined) {
    throw new PatternError(`Unable to extract ZoneId from temporal (pattern letter ${letter})`);
  }
  return { zone: f.zone, offset: f.offsetSeconds, epochMs: f.epochMs };
}

function need(value: number | undefined, field: string): number {
  if (value === undefined) throw new PatternError(`Unsupported field: ${field}`);
  return value;
}

/** The US locale's day of week: Sunday 1 .. Saturday 7 (from ISO Monday 1 .. Sunday 7). */
function localDayOfWeek(isoDay: number): number {
  return (isoDay % 7) + 1;
}

/** Java WeekFields' week number of a day in a period (month or year), for weeks of minimal length 1. */
function weekOf(dayInPeriod: number, localDow: number): number {
  const weekStart = (((dayInPeriod - localDow) % 7) + 7) % 7;
  const offset = weekStart > 0 ? 7 - weekStart : 0;
  return Math.floor((7 + offset + dayInPeriod - 1) / 7);
}

/** The US week-based year and week of it: the days of December in the week holding January 1st belong to the next year. */
function weekBasedYear(fields: FormatFields): { year: number; week: number } {
  const year = need(fields.year, 'WeekBasedYear');
  const doy = need(fields.dayOfYear, 'WeekOfWeekBasedYear');
  const dow = localDayOfWeek(need(fields.dayOfWeek, 'DayOfWeek'));
  const week = weekOf(doy, dow);
  const yearLength = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 366 : 365;
  const weekStart = (((doy - dow) % 7) + 7) % 7;
  const offset = weekStart > 0 ? 7 - weekStart : 0;
  const newYearWeek = Math.floor((7 + offset + yearLength) / 7);
  return week >= newYearWeek ? { year: year + 1, week: week - newYearWeek + 1 } : { year, week };
}

function tooMany(letter: string, count: number, max: number): void {
  if (count > max) throw new PatternError(`Too many pattern letters: ${letter}`);
}

const QUARTER_ORDINALS = ['1st', '2nd', '3rd', '4th'];

function formatField(letter: string, count: number, fields: FormatFields): string {
  switch (letter) {
    case 'G': {
      const year = need(fields.year, 'Era');
      return count === 4 ? (year > 0 ? 'Anno Domini' : 'Before Christ') : count === 5 ? (year > 0 ? 'A' : 'B') : year > 0 ? 'AD' : 'BC';
    }
    case 'u':
    case 'y': {
      const raw = need(fields.year, letter === 'y' ? 'YearOfEra' : 'Year');
      const year = letter === 'y' && raw <= 0 ? 1 - raw : raw;
      if (count === 2) return pad(((year % 100) + 100) % 100, 2);
      return pad(year, count);
    }
    case 'D':
      return pad(need(fields.dayOfYear, 'DayOfYear'), count);
    case 'M':
    case 'L': {
      const month = need(fields.month, 'MonthOfYear');
      if (count >= 3) {
        const name = MONTHS[month - 1]!;
        return count === 3 ? name.slice(0, 3) : count === 4 ? name : name[0]!;
      }
      return pad(month, count);
    }
    case 'd':
      return pad(need(fields.day, 'DayOfMonth'), count);
    case 'E': {
      const name = DAYS[need(fields.dayOfWeek, 'DayOfWeek') - 1]!;
      return count <= 3 ? name.slice(0, 3) : count === 4 ? name : name[0]!;
    }
    case 'Q':
    case 'q': {
      tooMany(letter, count, 5);
      const quarter = Math.floor((need(fields.month, 'QuarterOfYear') - 1) / 3) + 1;
      return count === 3 ? `Q${quarter}` : count === 4 ? `${QUARTER_ORDINALS[quarter - 1]} quarter` : pad(quarter, count === 2 ? 2 : 1);
    }
    case 'e':
    case 'c': {
      tooMany(letter, count, 5);
      if (letter === 'c' && count === 2) throw new PatternError(`Invalid pattern "cc"`);
      const iso = need(fields.dayOfWeek, 'DayOfWeek');
      if (count <= 2) return pad(localDayOfWeek(iso), count);
      const name = DAYS[iso - 1]!;
      return count === 3 ? name.slice(0, 3) : count === 4 ? name : name[0]!;
    }
    case 'w':
      tooMany(letter, count, 2);
      return pad(weekBasedYear(fields).week, count);
    case 'W':
      tooMany(letter, count, 1);
      return String(weekOf(need(fields.day, 'WeekOfMonth'), localDayOfWeek(need(fields.dayOfWeek, 'DayOfWeek'))));
    case 'Y': {
      const year = weekBasedYear(fields).year;
      if (count === 2) return pad(((year % 100) + 100) % 100, 2);
      return pad(year, count);
    }
    case 'N': {
      const hour = need(fields.hour, 'NanoOfDay');
      return pad(((hour * 60 + fields.minute!) * 60 + fields.second!) * 1e9 + fields.nano!, count);
    }
    case 'a':
      return need(fields.hour, 'AmPmOfDay') < 12 ? 'AM' : 'PM';
    case 'h': {
      const hour = need(fields.hour, 'ClockHourOfAmPm');
      return pad(hour % 12 === 0 ? 12 : hour % 12, count);
    }
    case 'K':
      return pad(need(fields.hour, 'HourOfAmPm') % 12, count);
    case 'k': {
      const hour = need(fields.hour, 'ClockHourOfDay');
      return pad(hour === 0 ? 24 : hour, count);
    }
    case 'H':
      return pad(need(fields.hour, 'HourOfDay'), count);
    case 'm':
      return pad(need(fields.minute, 'MinuteOfHour'), count);
    case 's':
      return pad(need(fields.second, 'SecondOfMinute'), count);
    case 'S':
      return String(need(fields.nano, 'NanoOfSecond')).padStart(9, '0').slice(0, count).padEnd(count, '0');
    case 'n':
      return pad(need(fields.nano, 'NanoOfSecond'), count);
    case 'A': {
      const hour = need(fields.hour, 'MilliOfDay');
      return pad(((hour * 60 + fields.minute!) * 60 + fields.second!) * 1000 + Math.floor(fields.nano! / 1e6), count);
    }
    case 'V': {
      const z = requireZoneFields(fields, letter);
      return z.zone.id();
    }
    case 'z': {
      const z = requireZoneFields(fields, letter);
      return zoneName(z.zone, z.epochMs, count >= 4 ? 'long' : 'short');
    }
    case 'O': {
      const z = requireZoneFields(fields, letter);
      if (z.offset === 0) return 'GMT';
      const sign = z.offset < 0 ? '-' : '+';
      const abs = Math.abs(z.offset);
      const h = Math.floor(abs / 3600);
      const m = Math.floor(abs / 60) % 60;
      return count === 1 ? `GMT${sign}${h}${m === 0 ? '' : ':' + pad(m, 2)}` : `GMT${sign}${pad(h, 2)}:${pad(m, 2)}`;
    }
    case 'X':
    case 'x': {
      const z = requireZoneFields(fields, letter);
      const zero = letter === 'X' ? 'Z' : '';
      if (count === 1) return formatOffset(z.offset, false, zero, true);
      return formatOffset(z.offset, count === 3 || count === 5, zero);
    }
    case 'Z': {
      const z = requireZoneFields(fields, letter);
      if (count <= 3) return formatOffset(z.offset, false, '');
      if (count === 4) return z.offset === 0 ? 'GMT' : 'GMT' + formatOffset(z.offset, true, '');
      return formatOffset(z.offset, true, 'Z');
    }
    default:
      throw new PatternError(`Unsupported pattern letter: ${letter}`);
  }
}

class ParseFailure extends Error {
  constructor(readonly index: number) {
    super('parse failure');
  }
}

interface ParseState {
  readonly text: string;
  pos: number;
  fields: ParsedFields;
}

function matchName(state: ParseState, names: readonly string[]): number {
  const rest = state.text.slice(state.pos).toLowerCase();
  let best = -1;
  let bestLength = 0;
  names.forEach((name, i) => {
    if (name.length > bestLength && rest.startsWith(name.toLowerCase())) {
      best = i;
      bestLength = name.length;
    }
  });
  if (best < 0) throw new ParseFailure(state.pos);
  state.pos += bestLength;
  return best;
}

function readDigits(state: ParseState, min: number, max: number, signed: boolean): number {
  const t = state.text;
  let i = state.pos;
  let negative = false;
  if (signed && (t[i] === '-' || t[i] === '+')) {
    negative = t[i] === '-';
    i++;
  }
  const start = i;
  while (i < t.length && i - start < max && t.charCodeAt(i) >= 48 && t.charCodeAt(i) <= 57) i++;
  if (i - start < min) throw new ParseFailure(state.pos);
  const value = Number(t.slice(start, i));
  state.pos = i;
  return negative ? -value : value;
}

function readOffset(state: ParseState, allowZ: boolean): number {
  const t = state.text;
  if (allowZ && (t[state.pos] === 'Z' || t[state.pos] === 'z')) {
    state.pos++;
    return 0;
  }
  const sign = t[state.pos];
  if (sign !== '+' && sign !== '-') throw new ParseFailure(state.pos);
  state.pos++;
  const h = readDigits(state, 1, 2, false);
  let m = 0;
  let s = 0;
  const save = state.pos;
  try {
    if (t[state.pos] === ':') state.pos++;
    m = readDigits(state, 2, 2, false);
    const save2 = state.pos;
    try {
      if (t[state.pos] === ':') state.pos++;
      s = readDigits(state, 2, 2, false);
    } catch {
      state.pos = save2;
    }
  } catch {
    state.pos = save;
  }
  const total = h * 3600 + m * 60 + s;
  return sign === '-' ? -total : total;
}

function readZoneText(state: ParseState): ZoneId {
  const match = /^[A-Za-z][A-Za-z0-9_/+\-:]*/.exec(state.text.slice(state.pos));
  if (!match) throw new ParseFailure(state.pos);
  // Longest prefix that names a zone.
  for (let len = match[0].length; len > 0; len--) {
    const zone = findZone(match[0].slice(0, len));
    if (zone !== null) {
      state.pos += len;
      return zone;
    }
  }
  throw new ParseFailure(state.pos);
}

function parseField(letter: string, count: number, state: ParseState, adjacent: boolean): void {
  const f = state.fields;
  const fixed = (n: number) => readDigits(state, n, n, false);
  const width = (oneMax: number) => (count === 1 ? readDigits(state, 1, adjacent ? 1 : oneMax, false) : count === 2 ? fixed(2) : readDigits(state, count, adjacent ? count : 19, false));
  switch (letter) {
    case 'G': {
      const i = matchName(state, ['BC', 'AD', 'Before Christ', 'Anno Domini']);
      f.era = i % 2;
      return;
    }
    case 'u':
    case 'y': {
      if (count === 2) {
        f.reducedYear = 2000 + fixed(2);
        return;
      }
      const value = count === 1 ? readDigits(state, 1, adjacent ? 1 : 10, true) : readDigits(state, count, adjacent ? count : 10, count > 3);
      if (letter === 'u') f.year = value;
      else f.yearOfEra = value;
      return;
    }
    case 'D':
      f.dayOfYear = count === 3 ? fixed(3) : readDigits(state, count, 3, false);
      return;
    case 'M':
    case 'L':
      if (count >= 3) {
        const names = count === 3 ? MONTHS.map((m) => m.slice(0, 3)) : count === 4 ? MONTHS : MONTHS.map((m) => m[0]!);
        f.month = matchName(state, names) + 1;
      } else f.month = width(2);
      return;
    case 'd':
      f.day = width(2);
      return;
    case 'E':
      matchName(state, count <= 3 ? DAYS.map((d) => d.slice(0, 3)) : DAYS);
      return;
    case 'a':
      f.amPm = matchName(state, ['AM', 'PM']);
      return;
    case 'h':
      f.clockHourOfAmPm = width(2);
      return;
    case 'K':
      f.hourOfAmPm = width(2);
      return;
    case 'k':
      f.clockHour24 = width(2);
      return;
    case 'H':
      f.hour = width(2);
      return;
    case 'm':
      f.minute = width(2);
      return;
    case 's':
      f.second = width(2);
      return;
    case 'S': {
      const start = state.pos;
      readDigits(state, count, count, false);
      f.nano = Number(state.text.slice(start, state.pos).padEnd(9, '0').slice(0, 9));
      return;
    }
    case 'n':
      f.nano = width(9);
      return;
    case 'A':
      f.milliOfDay = width(8);
      return;
    case 'V':
    case 'z':
      f.zone = readZoneText(state);
      return;
    case 'O': {
      if (!state.text.slice(state.pos, state.pos + 3).toUpperCase().startsWith('GMT')) throw new ParseFailure(state.pos);
      state.pos += 3;
      const c = state.text[state.pos];
      f.zone = c === '+' || c === '-' ? ZoneOffset.ofTotalSeconds(readOffset(state, false)) : ZoneOffset.UTC;
      return;
    }
    case 'X':
    case 'x':
    case 'Z': {
      if (letter === 'Z' && count === 4) {
        if (!state.text.slice(state.pos, state.pos + 3).toUpperCase().startsWith('GMT')) throw new ParseFailure(state.pos);
        state.pos += 3;
      }
      f.zone = ZoneOffset.ofTotalSeconds(readOffset(state, letter === 'X' || count >= 4));
      return;
    }
    default:
      throw new PatternError(`Unsupported pattern letter: ${letter}`);
  }
}

function parseTokens(tokens: readonly Token[], state: ParseState): void {
  tokens.forEach((token, i) => {
    switch (token.kind) {
      case 'literal': {
        const piece = state.text.slice(state.pos, state.pos + token.text.length);
        if (piece.toLowerCase() !== token.text.toLowerCase()) throw new ParseFailure(state.pos);
        state.pos += token.text.length;
        return;
      }
      case 'field': {
        const next = tokens[i + 1];
        const adjacent = next !== undefined && next.kind === 'field' && NUMERIC.has(next.letter) && NUMERIC.has(token.letter) && !(token.letter === 'M' && token.count >= 3);
        parseField(token.letter, token.count, state, adjacent);
        return;
      }
      case 'optional': {
        const saved = { pos: state.pos, fields: { ...state.fields } };
        try {
          parseTokens(token.tokens, state);
        } catch (e) {
          if (!(e instanceof ParseFailure)) throw e;
          state.pos = saved.pos;
          state.fields = saved.fields;
        }
        return;
      }
    }
  });
}

export interface CompiledPattern {
  readonly pattern: string;
  format(fields: FormatFields): string;
  /**
   * Parses the whole text, or with `prefix` only as much of it as the
   * pattern covers (java.text.SimpleDateFormat's parse ignores what follows);
   * throws PatternError naming the failing index.
   */
  parse(text: string, prefix?: boolean): ParsedFields;
}

function formatTokens(tokens: readonly Token[], fields: FormatFields): string {
  let out = '';
  for (const t of tokens) {
    if (t.kind === 'literal') out += t.text;
    else if (t.kind === 'field') out += formatField(t.letter, t.count, fields);
    else out += formatTokens(t.tokens, fields);
  }
  return out;
}

/** Compiles a pattern; throws PatternError for letters Java rejects. */
export function compilePattern(pattern: string): CompiledPattern {
  const tokens = tokenize(pattern);
  return {
    pattern,
    format: (fields) => formatTokens(tokens, fields),
    parse: (text, prefix = false) => {
      const state: ParseState = { text, pos: 0, fields: {} };
      try {
        parseTokens(tokens, state);
      } catch (e) {
        if (e instanceof ParseFailure) throw new PatternError(`Text '${text}' could not be parsed at index ${e.index}`);
        throw e;
      }
      if (!prefix && state.pos !== text.length) throw new PatternError(`Text '${text}' could not be parsed, unparsed text found at index ${state.pos}`);
      return state.fields;
    },
  };
}
