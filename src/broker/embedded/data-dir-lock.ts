/**
 * One process owns a data directory at a time, as Kafka locks its log
 * directories: two processes appending to one log would give offsets twice
 * and corrupt it for good. The owner holds an exclusive lock on a lock file
 * in the directory for as long as its log is open. The lock is SQLite's own
 * (POSIX record locks through its unix VFS) on a small database of its own,
 * so the kernel releases it when the process ends in any way, kill -9
 * included, and it is taken before anything else in the directory is read.
 *
 * The owner writes its pid into that database's header (user_version, bytes
 * 60..63) so that a refused process can name it: the locks are advisory and
 * do not keep anyone from reading the bytes. This process never opens the
 * lock file any other way while it holds it (closing any descriptor of a
 * file drops the process's POSIX locks on it).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import Database from 'better-sqlite3';
import { BrokerError } from '../broker-error.js';

export interface DataDirLock {
  release(): void;
}

const USER_VERSION_AT = 60;

/** The pid a lock holder wrote into the lock file, or null when it cannot be read. */
function readHolderPid(lockPath: string): number | null {
  try {
    const fd = openSync(lockPath, 'r');
    try {
      const bytes = Buffer.alloc(4);
      if (readSync(fd, bytes, 0, 4, USER_VERSION_AT) !== 4) return null;
      const pid = bytes.readUInt32BE(0);
      return pid > 0 ? pid : null;
    } finally {
      closeSync(fd);
    }
  } catch {
    return null;
  }
}

function isBusy(error: unknown): boolean {
  return error instanceof Database.SqliteError && error.code.startsWith('SQLITE_BUSY');
}

/** Takes the lock at `lockPath` for `dataDir`, or throws a STORAGE error naming the directory and the holder's pid. */
export function lockDataDir(dataDir: string, lockPath: string): DataDirLock {
  // timeout 0: a held lock is refused at once instead of after SQLite's busy wait.
  const db = new Database(lockPath, { timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = MEMORY');
    // The first write takes the exclusive lock; in EXCLUSIVE locking mode SQLite keeps it until close.
    db.pragma(`user_version = ${process.pid}`);
  } catch (error) {
    db.close();
    if (isBusy(error)) {
      const pid = readHolderPid(lockPath);
      throw new BrokerError(
        'STORAGE',
        `The data directory ${dataDir} is in use by another process${pid === null ? '' : ` (pid ${pid})`}: ` +
          'two processes writing one log would corrupt it. Stop that process, or use another data directory.',
      );
    }
    throw new BrokerError('STORAGE', `Cannot lock the data directory ${dataDir} (lock file ${lockPath}): ${(error as Error).message}`, error);
  }
  return { release: () => db.close() };
}
