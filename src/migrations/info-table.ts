/**
 * The table `info` prints: a row per migration file, its recorded state (or
 * PENDING when it has none), times as `yyyy-MM-dd HH:mm:ss.SSS <zone>` in the
 * local time zone, the columns padded to their widest cell.
 */
import type { MigrationFile } from './migration-files.js';
import { NO_ERROR_REASON, type VersionInfo } from './migration-metadata.js';

const NOT_APPLIED = 'N/A';

const COLUMNS: readonly (readonly [string, (row: VersionInfo) => string])[] = [
  ['Version', (row) => String(row.version)],
  ['Name', (row) => row.name],
  ['State', (row) => row.state],
  ['Previous Version', (row) => row.previous],
  ['Started On', (row) => formatTime(row.startedOn)],
  ['Completed On', (row) => formatTime(row.completedOn)],
  ['Error Reason', (row) => row.errorReason],
];

export function formatInfoTable(migrations: readonly MigrationFile[], infos: ReadonlyMap<string, VersionInfo>): string {
  const rows = migrations.map((migration): VersionInfo => infos.get(String(migration.version)) ?? {
    version: migration.version,
    checksum: NOT_APPLIED,
    previous: NOT_APPLIED,
    state: 'PENDING',
    name: migration.name,
    startedOn: NOT_APPLIED,
    completedOn: NOT_APPLIED,
    errorReason: NO_ERROR_REASON,
  });
  const cells = rows.map((row) => COLUMNS.map(([, cell]) => cell(row)));
  const widths = COLUMNS.map(([header], i) => Math.max(header.length, ...cells.map((row) => row[i]!.length)));
  const line = (values: readonly string[]): string => ` ${values.map((value, i) => value.padEnd(widths[i]!)).join(' | ')} \n`;
  const divider = `${'-'.repeat(widths.reduce((sum, width) => sum + width, 0) + 3 * COLUMNS.length - 1)}\n`;
  return line(COLUMNS.map(([header]) => header)) + divider + cells.map(line).join('') + divider;
}

/** Epoch milliseconds as local time with the zone's short name; '' and N/A stay as they are. */
function formatTime(epochMillis: string): string {
  if (!/^-?[0-9]+$/.test(epochMillis)) return epochMillis;
  const date = new Date(Number(epochMillis));
  const parts = new Intl.DateTimeFormat('en-US', {
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    fractionalSecondDigits: 3, hourCycle: 'h23', timeZoneName: 'short',
  }).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}:${part('second')}.${part('fractionalSecond')} ${part('timeZoneName')}`;
}
