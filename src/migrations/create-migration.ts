/**
 * `create <description> [-v n]`: an empty migration file, of the next
 * version after the project's latest unless one is given.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MigrationError } from './migration-error.js';
import { listMigrations, MAX_VERSION, newMigrationFileName } from './migration-files.js';
import type { Output } from './output.js';

export function createMigration(dir: string, description: string, requestedVersion: number | undefined, out: Output): void {
  if (description === '') throw new MigrationError('Description cannot be empty.');
  const migrations = listMigrations(dir, out);
  if (requestedVersion !== undefined) {
    const existing = migrations.find((migration) => migration.version === requestedVersion);
    if (existing !== undefined) throw new MigrationError(`Found existing migrations file for version ${requestedVersion}: ${existing.path}`);
  }
  const version = requestedVersion ?? (migrations.at(-1)?.version ?? 0) + 1;
  if (version <= 0) throw new MigrationError(`Invalid version file version: ${version}. Version must be a positive integer.`);
  if (version > MAX_VERSION) throw new MigrationError(`Invalid version file version: ${version}. Version must fit into a six-digit integer.`);
  const path = join(dir, newMigrationFileName(version, description));
  out.info(`Creating migration file: ${path}`);
  try {
    writeFileSync(path, '', { flag: 'wx' });
  } catch (error) {
    throw new MigrationError(`Failed to create file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  out.info('Migration file successfully created');
}
