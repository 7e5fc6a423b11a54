/**
 * ISO-8601 text of DATE, TIME and TIMESTAMP values, as java.time prints them
 * (LocalDate, LocalTime and ksqlDB's UTC timestamp text).
 */
import { civilFromDays } from './civil-calendar.js';

const MS_PER_DAY = 86_400_000;

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** yyyy-MM-dd of a day count since the epoch (years beyond 9999 get a sign, as in Java). */
export function formatIsoDate(days: number): string {
  const { year: y, month, day } = civilFromDays(days);
  const year = y >= 0 && y <= 9999 ? pad(y, 4) : (y < 0 ? '-' : '+') + pad(Math.abs(y), 4);
  return `${year}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** LocalTime.toString: HH:mm, then :ss when seconds or fractions exist, then .SSS when millis exist. */
export function formatIsoTime(msOfDay: number): string {
  const h = Math.floor(msOfDay / 3_600_000);
  const m = Math.floor(msOfDay / 60_000) % 60;
  const s = Math.floor(msOfDay / 1000) % 60;
  const ms = msOfDay % 1000;
  let out = `${pad(h, 2)}:${pad(m, 2)}`;
  if (s !== 0 || ms !== 0) out += `:${pad(s, 2)}`;
  if (ms !== 0) out += `.${pad(ms, 3)}`;
  return out;
}

/** yyyy-MM-ddTHH:mm:ss.SSS in UTC, as ksqlDB prints TIMESTAMPs. */
export function formatIsoTimestamp(epochMs: number): string {
  const days = Math.floor(epochMs / MS_PER_DAY);
  const ms = epochMs - days * MS_PER_DAY;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor(ms / 60_000) % 60;
  const s = Math.floor(ms / 1000) % 60;
  return `${formatIsoDate(days)}T${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}.${pad(ms % 1000, 3)}`;
}
