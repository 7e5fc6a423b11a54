/**
 * Opening a data directory, in the order that keeps a damaged or shared one
 * from being made worse: take the directory's lock (nothing is read before
 * it); read its identity file; refuse a used directory whose database is
 * missing or empty; scan the WAL before SQLite can drop or overwrite what it
 * cannot read; open the database and check its identity; set the schema up.
 * A database `<name>.db` has its lock file `<name>.lock` and its identity file
 * `<name>.meta.properties` beside it.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import Database from 'better-sqlite3';
import { BrokerError } from '../broker-error.js';
import { decideIdentity, isEmptyDatabase, missingDatabaseError, readDatabaseId, readIdentityFile, type IdentityDecision } from './data-dir-identity.js';
import { lockDataDir, type DataDirLock } from './data-dir-lock.js';
import { applyBrokerSchema, type FlushPolicy } from './embedded-schema.js';
import { guardWal, setAsideOrphanedWal } from './guard-wal.js';
import type { WalDamage } from './recovery-report.js';

export interface DataDirOptions {
  readonly dataDir: string;
  /** The database file (absolute). */
  readonly path: string;
  readonly flush: FlushPolicy;
  /** Open even when the WAL holds committed transactions SQLite cannot read (they are lost). */
  readonly acceptDataLoss: boolean;
  /** Start with an empty database in a used directory whose database is missing or empty. */
  readonly startFresh: boolean;
  readonly now: number;
}

export interface OpenedDataDir {
  readonly database: Database.Database;
  readonly lock: DataDirLock;
  readonly identity: IdentityDecision;
  /** Where the identity file is (written by the caller once the database holds the id). */
  readonly identityFile: string;
  readonly wal: WalDamage | null;
  /** Where a WAL left without its database was moved, or null. */
  readonly orphanedWal: string | null;
}

function siblingPath(path: string, suffix: string): string {
  return join(dirname(path), basename(path, extname(path)) + suffix);
}

function isMissingOrEmpty(path: string): boolean {
  return !existsSync(path) || statSync(path).size === 0;
}

export function openDataDir(options: DataDirOptions): OpenedDataDir {
  const { dataDir, path } = options;
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (error) {
    throw new BrokerError('STORAGE', `Cannot open the log at ${path}: ${(error as Error).message}`, error);
  }
  const lock = lockDataDir(dataDir, siblingPath(path, '.lock'));
  let database: Database.Database | undefined;
  try {
    const identityFile = siblingPath(path, '.meta.properties');
    const fileId = readIdentityFile(identityFile);
    let wal: WalDamage | null = null;
    let orphanedWal: string | null = null;
    if (isMissingOrEmpty(path)) {
      // Checked before SQLite opens the file: it would create it, and delete a WAL it finds beside an empty database.
      if (fileId !== null && !options.startFresh) throw missingDatabaseError({ dataDir, database: path, fileId, identityFile });
      orphanedWal = setAsideOrphanedWal(path, options.now);
    } else {
      wal = guardWal(path, options.acceptDataLoss, options.now);
    }
    try {
      database = new Database(path);
    } catch (error) {
      throw new BrokerError('STORAGE', `Cannot open the log at ${path}: ${(error as Error).message}`, error);
    }
    const identity = decideIdentity({
      dataDir,
      identityFile,
      database: path,
      fileId,
      databaseId: readDatabaseId(database),
      databaseEmpty: isEmptyDatabase(database),
      startFresh: options.startFresh,
    });
    applyBrokerSchema(database, options.flush);
    return { database, lock, identity, identityFile, wal, orphanedWal };
  } catch (error) {
    database?.close();
    lock.release();
    if (error instanceof BrokerError) throw error;
    throw new BrokerError('STORAGE', `Cannot open the log at ${path}: ${(error as Error).message}`, error);
  }
}
