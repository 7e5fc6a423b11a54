/**
 * How Java's SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSS") in UTC prints a
 * java.util.Date, which is how ksqlDB's REST API writes a TIMESTAMP
 * (ApiJsonMapper's date format). Its GregorianCalendar is the Julian calendar
 * before 1582-10-15, and `yyyy` is the year of the era: 1 BC prints as 0001.
 */
import { civilFromDays, type CivilDate } from './civil-calendar.js';

const MS_PER_DAY = 86_400_000;
/** 1582-10-15, the first Gregorian day of java.util.GregorianCalendar, as days since the epoch. */
const GREGORIAN_CUTOVER_DAY = -141_427;
/** The Julian day number of 1970-01-01. */
const EPOCH_JULIAN_DAY = 2_440_588;

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** The Julian-calendar date of a day number (astronomical years: 0 is 1 BC). */
function julianFromDays(days: number): CivilDate {
  const c = days + EPOCH_JULIAN_DAY + 32_082;
  const d = Math.floor((4 * c + 3) / 1461);
  const e = c - Math.floor((1461 * d) / 4);
  const m = Math.floor((5 * e + 2) / 153);
  return {
    day: e - Math.floor((153 * m + 2) / 5) + 1,
    month: m + 3 - 12 * Math.floor(m / 10),
    year: d - 4800 + Math.floor(m / 10),
  };
}

export function formatJavaDateTime(epochMs: number): string {
  const days = Math.floor(epochMs / MS_PER_DAY);
  const ms = epochMs - days * MS_PER_DAY;
  const { year, month, day } = days < GREGORIAN_CUTOVER_DAY ? julianFromDays(days) : civilFromDays(days);
  const yearOfEra = year > 0 ? year : 1 - year;
  const time = `${pad(Math.floor(ms / 3_600_000), 2)}:${pad(Math.floor(ms / 60_000) % 60, 2)}:${pad(Math.floor(ms / 1000) % 60, 2)}.${pad(ms % 1000, 3)}`;
  return `${pad(yearOfEra, 4)}-${pad(month, 2)}-${pad(day, 2)}T${time}`;
}
