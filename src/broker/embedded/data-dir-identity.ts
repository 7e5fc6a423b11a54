/**
 * The identity of a data directory, as Kafka keeps `meta.properties` in each
 * log directory. A generated id is written both into an identity file next to
 * the database and into the database (broker_meta), when the database is
 * created. A data directory whose identity file says it was used before, but
 * whose database is missing, empty or another directory's, must not start
 * as an empty server: that would lose every stream, table, query and record
 * without a word. The operator can say it is meant (start fresh); a
 * directory with a database but no identity file (made before ksqlite kept
 * one, or the file was lost) adopts the database's identity.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import { BrokerError } from '../broker-error.js';

const FORMAT_VERSION = 1;
const ID_KEY = 'data_dir_id';

/** `key=value` lines of the file this module writes (`#` lines are comments). */
function parseLines(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const at = line.indexOf('=');
    if (line.startsWith('#') || at < 0) continue;
    result[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return result;
}

/** The id the identity file at `path` records, or null when there is no such file. */
export function readIdentityFile(path: string): string | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new BrokerError('STORAGE', `Cannot read the data directory's identity file ${path}: ${(error as Error).message}`, error);
  }
  const properties = parseLines(text);
  const id = properties['data.dir.id'];
  if (properties['version'] !== String(FORMAT_VERSION) || id === undefined || id === '') {
    throw new BrokerError(
      'STORAGE',
      `The data directory's identity file ${path} is not one this version of ksqlite reads (expected version=${FORMAT_VERSION} and data.dir.id).`,
    );
  }
  return id;
}

/**
 * Writes the identity file whole or not at all (a temporary file renamed over it), after the
 * database committed the id: a lost identity file is only written again from the database.
 */
export function writeIdentityFile(path: string, id: string): void {
  const text = `# ksqlite data directory identity: it must match the database next to it. Do not edit or copy.\nversion=${FORMAT_VERSION}\ndata.dir.id=${id}\n`;
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

/** Whether the database holds no log yet (no broker tables). Reads only: no write before the checks. */
export function isEmptyDatabase(db: Database): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'broker_meta'").get() === undefined;
}

/** The id stored in the database, or null. */
export function readDatabaseId(db: Database): string | null {
  if (isEmptyDatabase(db)) return null;
  const row = db.prepare<[string], { value: string }>('SELECT value FROM broker_meta WHERE key = ?').get(ID_KEY);
  return row?.value ?? null;
}

/** Stores `id` in the database (its schema applied); run inside a transaction. */
export function storeDatabaseId(db: Database, id: string): void {
  db.prepare('INSERT INTO broker_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(ID_KEY, id);
}

function newDataDirId(): string {
  return randomUUID();
}

export interface IdentityCheck {
  readonly dataDir: string;
  readonly identityFile: string;
  readonly database: string;
  /** The id in the identity file, or null when there is none. */
  readonly fileId: string | null;
  /** The id in the database, or null when it has none. */
  readonly databaseId: string | null;
  readonly databaseEmpty: boolean;
  readonly startFresh: boolean;
}

export interface IdentityDecision {
  readonly id: string;
  /** The id is new to the database: store it there. */
  readonly storeInDatabase: boolean;
  /** The identity file is missing or stale: write it (after the database holds the id). */
  readonly writeFile: boolean;
  /** What happened, for the log, when it is worth saying. */
  readonly note: string | null;
}

export function missingDatabaseError(check: Pick<IdentityCheck, 'dataDir' | 'database' | 'fileId' | 'identityFile'>): BrokerError {
  return new BrokerError(
    'STORAGE',
    `The data directory ${check.dataDir} was used before (its identity file ${check.identityFile} names data directory ${check.fileId}), ` +
      `but its database ${check.database} is missing or empty: starting would give an empty server and silently lose every stream, ` +
      'table, query and record. Restore the database from a backup, or, if an empty server is really meant, start once with the ' +
      'start-fresh option (server: --start-fresh).',
  );
}

/** Decides which id the data directory has, or refuses to open it. */
export function decideIdentity(check: IdentityCheck): IdentityDecision {
  const { fileId, databaseId } = check;
  if (fileId !== null) {
    if (databaseId === fileId) return { id: fileId, storeInDatabase: false, writeFile: false, note: null };
    if (check.databaseEmpty) {
      if (!check.startFresh) throw missingDatabaseError(check);
      const id = newDataDirId();
      return { id, storeInDatabase: true, writeFile: true, note: `started fresh as requested: the data directory was ${fileId}, it is now ${id}` };
    }
    throw new BrokerError(
      'STORAGE',
      `The database ${check.database} does not belong to the data directory ${check.dataDir}: the directory's identity file ` +
        `${check.identityFile} names data directory ${fileId}, the database ${databaseId === null ? 'names none' : `names ${databaseId}`}. ` +
        'Put the right database back, or, if this database is the one to use, delete the identity file so that the directory adopts it.',
    );
  }
  if (databaseId !== null) return { id: databaseId, storeInDatabase: false, writeFile: true, note: 'the identity file was missing: written again from the database' };
  const id = newDataDirId();
  return { id, storeInDatabase: true, writeFile: true, note: check.databaseEmpty ? null : `adopted a database made before data directory ids, as ${id}` };
}
