/**
 * Beyond ksqlDB: time windows aligned to a time zone's local days
 * (`WINDOW TUMBLING (SIZE 1 DAY, TIMEZONE='Europe/Paris')`). Windows are
 * spans of local wall-clock time laid out from the local epoch, as Kafka
 * Streams lays out UTC windows, so a one-day window runs from local midnight
 * to local midnight: 23 or 25 hours across a daylight-saving change. Sizes
 * and advances are whole days, so every start is a local midnight and the
 * end of a window follows from its start (keys store only the start).
 */
import { Instant, LocalDateTime, ZoneId, ZoneOffset } from '@js-joda/core';
import '@js-joda/timezone';

export const DAY_MS = 86_400_000;

const zones = new Map<string, ZoneId>();

function zoneOf(id: string): ZoneId {
  let zone = zones.get(id);
  if (zone === undefined) {
    zone = ZoneId.of(id);
    zones.set(id, zone);
  }
  return zone;
}

/** Whether `id` names a zone (a region such as Europe/Paris, an offset, UTC). */
export function isTimeZoneId(id: string): boolean {
  try {
    zoneOf(id);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock time at instant `t`, as epoch ms read as UTC. */
function localMs(t: number, zone: ZoneId): number {
  return t + zone.rules().offset(Instant.ofEpochMilli(t)).totalSeconds() * 1000;
}

/** The instant of a wall-clock time (a gap shifts forward, an overlap takes the earlier offset, as java.time does). */
function instantOf(local: number, zone: ZoneId): number {
  const seconds = Math.floor(local / 1000);
  return LocalDateTime.ofEpochSecond(seconds, (local - seconds * 1000) * 1_000_000, ZoneOffset.UTC).atZone(zone).toInstant().toEpochMilli();
}

/** The windows that contain `t`, as Kafka Streams' TimeWindows.windowsFor, over local time. */
export function zonedWindowsFor(t: number, sizeMs: number, advanceMs: number, id: string): { start: number; end: number }[] {
  const zone = zoneOf(id);
  const local = localMs(t, zone);
  const out: { start: number; end: number }[] = [];
  for (let start = Math.floor((local - sizeMs + advanceMs) / advanceMs) * advanceMs; start <= local; start += advanceMs) {
    const window = { start: instantOf(start, zone), end: instantOf(start + sizeMs, zone) };
    if (window.start >= 0 && window.start <= t && t < window.end) out.push(window);
  }
  return out;
}

/** The end of the window that starts at `start`. */
export function zonedWindowEnd(start: number, sizeMs: number, id: string): number {
  const zone = zoneOf(id);
  return instantOf(Math.floor(localMs(start, zone) / DAY_MS) * DAY_MS + sizeMs, zone);
}
