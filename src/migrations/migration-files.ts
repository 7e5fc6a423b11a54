/**
 * The migration files of a project: `V<six digit version>__<Description>.sql`
 * in the migrations directory, the description's underscores read as spaces.
 * A file's checksum is the MD5 of its bytes, in hex, as ksqlDB records it.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MigrationError } from './migration-error.js';
import type { Output } from './output.js';

export interface MigrationFile {
  readonly version: number;
  /** The description, as the metadata and `info` show it. */
  readonly name: string;
  readonly path: string;
}

export const MAX_VERSION = 999_999;

const FILE_NAME = /^V([0-9]{6})__(.+)\.sql$/;

/** Characters a description may not keep in a file name: blanks and what file systems refuse. */
const UNSAFE_IN_FILE_NAME = /\s|\/|\\|:|\*|\?|"|<|>|\|/g;

export function versionPrefix(version: number): string {
  return `V${String(version).padStart(6, '0')}`;
}

export function newMigrationFileName(version: number, description: string): string {
  return `${versionPrefix(version)}__${description.replace(UNSAFE_IN_FILE_NAME, '_')}.sql`;
}

/** Every migration file of the directory, by version; a file of another name is skipped with a warning. */
export function listMigrations(dir: string, out?: Output): MigrationFile[] {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new MigrationError(`${dir} is not a directory.`);
    names = readdirSync(dir).sort();
  } catch (error) {
    if (error instanceof MigrationError) throw error;
    throw new MigrationError(`Failed to read the migrations directory ${dir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const migrations: MigrationFile[] = [];
  for (const name of names) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) continue;
    const match = FILE_NAME.exec(name);
    if (match === null) {
      out?.warn(`Skipping file that does not match the migration file pattern 'V<six digit number>__<name>.sql': ${name}`);
      continue;
    }
    const version = Number(match[1]);
    if (version === 0) throw new MigrationError(`Migration file versions must be positive. Found: ${name}`);
    const previous = migrations.at(-1);
    if (previous?.version === version) {
      throw new MigrationError(`Found multiple migration files with the same version. Version: ${version}. Files: '${previous.path}', '${path}'`);
    }
    migrations.push({ version, name: match[2]!.replace(/_/g, ' '), path });
  }
  return migrations.sort((a, b) => a.version - b.version);
}

export function migrationForVersion(dir: string, version: number): MigrationFile | undefined {
  return listMigrations(dir).find((migration) => migration.version === version);
}

export function readMigration(migration: MigrationFile): string {
  try {
    return readFileSync(migration.path, 'utf8');
  } catch (error) {
    throw new MigrationError(`Failed to read ${migration.path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

export function migrationChecksum(migration: MigrationFile): string {
  try {
    return createHash('md5').update(readFileSync(migration.path)).digest('hex');
  } catch (error) {
    throw new MigrationError(`Could not compute the checksum of ${migration.path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}
