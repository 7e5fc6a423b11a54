/**
 * What the log does with its write-ahead log before SQLite opens the
 * database (SQLite itself would silently drop or delete what it cannot use):
 * a WAL whose committed frames SQLite cannot read is copied aside, and the
 * open is refused unless the operator accepts the loss; a WAL left without
 * its database is moved aside, since SQLite deletes it.
 */
import { closeSync, copyFileSync, existsSync, openSync, readdirSync, readSync, renameSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { BrokerError } from '../broker-error.js';
import { describeWalDamage, type WalDamage } from './recovery-report.js';
import { scanWal } from './scan-wal.js';

/** A file-name-safe UTC timestamp, e.g. 2024-05-01T12-30-05Z. */
function stamp(now: number): string {
  return new Date(now).toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
}

const COMPARED_BYTES = 64 * 1024;

function head(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(COMPARED_BYTES);
    return buffer.subarray(0, readSync(fd, buffer, 0, COMPARED_BYTES, 0));
  } finally {
    closeSync(fd);
  }
}

/** Copies `walPath` aside as `<wal>.damaged-<time>`, unless an earlier refused start already kept this very file. */
function keepDamagedCopy(walPath: string, now: number): string {
  const prefix = `${basename(walPath)}.damaged-`;
  const size = statSync(walPath).size;
  const start = head(walPath);
  for (const name of readdirSync(dirname(walPath))) {
    if (!name.startsWith(prefix)) continue;
    const earlier = join(dirname(walPath), name);
    if (statSync(earlier).size === size && head(earlier).equals(start)) return earlier;
  }
  const copy = `${walPath}.damaged-${stamp(now)}`;
  copyFileSync(walPath, copy);
  return copy;
}

/**
 * Scans the WAL of the database at `dbPath` (which exists and is not empty). Returns the damage
 * when the loss is accepted, null when there is none; throws CORRUPT_DATA when it is not accepted.
 */
export function guardWal(dbPath: string, acceptDataLoss: boolean, now: number): WalDamage | null {
  const walFile = `${dbPath}-wal`;
  const loss = scanWal(walFile, dbPath);
  if (loss === null) return null;
  const damage: WalDamage = { walFile, copy: keepDamagedCopy(walFile, now), ...loss };
  if (!acceptDataLoss) {
    throw new BrokerError(
      'CORRUPT_DATA',
      `${describeWalDamage(damage)} Starting would silently lose those transactions, so the log was not opened. ` +
        `Restore the data directory from a backup, or start with the accept-data-loss option (server: --accept-data-loss) ` +
        `to go on with the data before frame ${damage.badFrame}.`,
    );
  }
  return damage;
}

/** Moves a WAL that has no database beside it out of SQLite's way; returns where it went, or null when there was none. */
export function setAsideOrphanedWal(dbPath: string, now: number): string | null {
  const walFile = `${dbPath}-wal`;
  if (!existsSync(walFile) || statSync(walFile).size === 0) return null;
  const aside = `${walFile}.orphaned-${stamp(now)}`;
  renameSync(walFile, aside);
  return aside;
}
