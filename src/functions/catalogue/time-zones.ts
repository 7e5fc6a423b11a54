/**
 * Time zones for the date/time functions: Java-style zone ids resolved by
 * js-joda (with the IANA database), offsets at an instant, local date-times
 * to instants (gaps shift forward, overlaps take the earlier offset, as
 * java.time does), and the short zone names Java prints for pattern letter z.
 */
import { Instant, LocalDateTime, ZoneId, ZoneOffset } from '@js-joda/core';
import '@js-joda/timezone';
import { daysFromCivil } from '../../schema/civil-calendar.js';
import { valueError, TextCache } from './value-support.js';

/** Common zone abbreviations and the region whose rules they stand for (Java parses these for `z`). */
const ABBREVIATIONS: Readonly<Record<string, string>> = {
  PST: 'America/Los_Angeles', PDT: 'America/Los_Angeles', PT: 'America/Los_Angeles',
  MST: 'America/Denver', MDT: 'America/Denver', MT: 'America/Denver',
  CST: 'America/Chicago', CDT: 'America/Chicago', CT: 'America/Chicago',
  EST: 'America/New_York', EDT: 'America/New_York', ET: 'America/New_York',
  AKST: 'America/Anchorage', AKDT: 'America/Anchorage', HST: 'Pacific/Honolulu',
  GMT: 'GMT', UTC: 'UTC', UT: 'UTC', Z: 'Z',
  BST: 'Europe/London', IST: 'Asia/Kolkata', CET: 'Europe/Paris', CEST: 'Europe/Paris',
  EET: 'Europe/Helsinki', EEST: 'Europe/Helsinki', WET: 'Europe/Lisbon', WEST: 'Europe/Lisbon',
  MSK: 'Europe/Moscow', JST: 'Asia/Tokyo', KST: 'Asia/Seoul', HKT: 'Asia/Hong_Kong', SGT: 'Asia/Singapore',
  AEST: 'Australia/Sydney', AEDT: 'Australia/Sydney', ACST: 'Australia/Adelaide', ACDT: 'Australia/Adelaide',
  AWST: 'Australia/Perth', NZST: 'Pacific/Auckland', NZDT: 'Pacific/Auckland',
};

function buildZone(id: string): ZoneId | null {
  try {
    return ZoneId.of(id);
  } catch {
    const region = ABBREVIATIONS[id.toUpperCase()];
    return region === undefined ? null : ZoneId.of(region);
  }
}

const zoneCache = new TextCache(buildZone);

/** The zone of zone text being parsed (pattern letter z): a Java zone id or a common abbreviation; null if unknown. */
export function findZone(id: string): ZoneId | null {
  return zoneCache.get(id);
}

function ofId(id: string): ZoneId | null {
  try {
    return ZoneId.of(id);
  } catch {
    return null;
  }
}

const argumentZoneCache = new TextCache(ofId);

/**
 * The zone a function's time-zone argument names, read as Java's ZoneId.of
 * reads it (what ksqlDB calls): region ids are case-sensitive, EST/MST/HST
 * are fixed offsets, and abbreviations such as PST are unknown, an error.
 */
export function requireZone(id: string, functionName: string): ZoneId {
  const zone = argumentZoneCache.get(id);
  if (zone === null) throw valueError(functionName, `Unknown time-zone ID: ${id}`);
  return zone;
}

export const UTC_ZONE: ZoneId = ZoneOffset.UTC;

export function offsetSecondsAt(zone: ZoneId, epochMs: number): number {
  if (zone instanceof ZoneOffset) return zone.totalSeconds();
  return zone.rules().offset(Instant.ofEpochMilli(epochMs)).totalSeconds();
}

export interface LocalDateTimeFields {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly nano: number;
}

/** Epoch millis of a local date-time in a zone. */
export function localToEpochMs(f: LocalDateTimeFields, zone: ZoneId): number {
  const utc = utcEpochMs(f);
  if (zone instanceof ZoneOffset) return utc - zone.totalSeconds() * 1000;
  return LocalDateTime.of(f.year, f.month, f.day, f.hour, f.minute, f.second, f.nano).atZone(zone).toInstant().toEpochMilli();
}

/** Epoch millis of a local date-time read as UTC. */
export function utcEpochMs(f: LocalDateTimeFields): number {
  return daysFromCivil(f.year, f.month, f.day) * 86_400_000 + ((f.hour * 60 + f.minute) * 60 + f.second) * 1000 + Math.floor(f.nano / 1_000_000);
}

function intlZoneName(zoneId: string, epochMs: number, locale: string, style: 'short' | 'long'): string | null {
  try {
    const parts = new Intl.DateTimeFormat(locale, { timeZone: zoneId, timeZoneName: style }).formatToParts(new Date(epochMs));
    return parts.find((p) => p.type === 'timeZoneName')?.value ?? null;
  } catch {
    return null;
  }
}

/** The zone name Java prints for `z` (short) or `zzzz` (long). */
export function zoneName(zone: ZoneId, epochMs: number, style: 'short' | 'long'): string {
  if (zone instanceof ZoneOffset) return zone.id();
  const id = zone.id();
  if (id === 'UTC' || id === 'GMT' || id === 'UT') return style === 'short' ? id : id === 'GMT' ? 'Greenwich Mean Time' : 'Coordinated Universal Time';
  const us = intlZoneName(id, epochMs, 'en-US', style);
  if (us !== null && !/^GMT[+-]/.test(us)) return us;
  const gb = intlZoneName(id, epochMs, 'en-GB', style);
  if (gb !== null && !/^GMT[+-]/.test(gb)) return gb;
  return us ?? gb ?? id;
}
