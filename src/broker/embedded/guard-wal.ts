/**
 * What the log does with its write-ahead log before SQLite opens the
 * database (SQLite itself would silently drop or delete what it cannot use):
 * a WAL whose committed frames SQLite cannot read is copied aside, and the
 * open is refused unless the operator accepts the loss; a WAL left without
 * its database is moved aside, since SQLite deletes it.
 */
import { closeSync, copyFileSync, existsSync, openSync, readdirSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createLogger } from '../../common/logger.js';
import { BrokerError } from '../broker-error.js';
import { describeWalDamage, type WalDamage } from './recovery-report.js';
import { scanWal } from './scan-wal.js';

/** A file-name-safe UTC timestamp, e.g. 2024-05-01T12-30-05Z. */
function stamp(now: number): string {
  return new Date(now).toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
}

const COMPARED_BYTES = 64 * 1024;
const log = createLogger('broker');

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

/** Moves the WAL (and its wal-index) out of SQLite's way: the database file alone is opened. */
function discardWal(walFile: string): void {
  rmSync(walFile);
  rmSync(walFile.replace(/-wal$/, '-shm'), { force: true });
}

/**
 * Scans the WAL of the database at `dbPath` (which exists and is not empty) before SQLite opens it.
 * Returns the damage when the loss is accepted, null when nothing is lost; throws CORRUPT_DATA
 * when committed transactions would be lost and that is not accepted. A damaged WAL that a
 * checkpoint had already copied into the database is set aside (a copy kept) and costs nothing.
 */
export function guardWal(dbPath: string, acceptDataLoss: boolean, now: number): WalDamage | null {
  const walFile = `${dbPath}-wal`;
  const loss = scanWal(walFile, dbPath);
  if (loss === null) return null;
  const { discardWal: discard, ...counts } = loss;
  const damage: WalDamage = { walFile, copy: keepDamagedCopy(walFile, now), ...counts };
  if (damage.commitsLost > 0 && !acceptDataLoss) {
    throw new BrokerError(
      'CORRUPT_DATA',
      `${describeWalDamage(damage)} Starting would silently lose those transactions, so the log was not opened. ` +
        `Restore the data directory from a backup, or start with the accept-data-loss option (server: --accept-data-loss) ` +
        'to go on with the data that can be read.',
    );
  }
  if (discard) discardWal(walFile);
  if (damage.commitsLost === 0) {
    log.warn({ walFile, copy: damage.copy, badFrame: damage.badFrame }, 'set aside a damaged write-ahead log whose transactions a checkpoint had already copied into the database: nothing was lost');
    return null;
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
