/** Time units and durations as written in WINDOW, WITHIN, GRACE PERIOD, RETENTION and TIMEOUT. */
import type { SourceLocation } from './location.js';

/** Singular and plural spellings both map to the plural unit. */
export type TimeUnit = 'MILLISECONDS' | 'SECONDS' | 'MINUTES' | 'HOURS' | 'DAYS';

export interface Duration {
  readonly kind: 'Duration';
  readonly value: number;
  readonly unit: TimeUnit;
  readonly location: SourceLocation;
}

const UNIT_MS: Readonly<Record<TimeUnit, number>> = {
  MILLISECONDS: 1,
  SECONDS: 1000,
  MINUTES: 60_000,
  HOURS: 3_600_000,
  DAYS: 86_400_000,
};

export function durationToMillis(d: Pick<Duration, 'value' | 'unit'>): number {
  return d.value * UNIT_MS[d.unit];
}

/** The unit for a spelling such as `second`, `SECONDS`, `Day`; undefined when unknown. */
export function parseTimeUnit(word: string): TimeUnit | undefined {
  const upper = word.toUpperCase();
  const plural = upper.endsWith('S') ? upper : upper + 'S';
  return Object.prototype.hasOwnProperty.call(UNIT_MS, plural) ? (plural as TimeUnit) : undefined;
}
