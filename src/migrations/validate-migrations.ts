/**
 * The check `validate` makes and `apply` makes first: from the latest version
 * that MIGRATED back to the first, following each version's `previous`, every
 * version MIGRATED and its file's checksum is the one recorded when it was applied.
 */
import { MigrationError } from './migration-error.js';
import { migrationChecksum, migrationForVersion } from './migration-files.js';
import { ensureMigrated, NONE_VERSION, type MigrationMetadata } from './migration-metadata.js';

export async function validateAppliedMigrations(metadata: MigrationMetadata, dir: string): Promise<void> {
  let version = await metadata.latestMigratedVersion();
  let next: string | undefined;
  const seen = new Set<string>();
  while (version !== NONE_VERSION) {
    if (seen.has(version)) throw new MigrationError(`The chain of previous versions loops back to version ${version}`);
    seen.add(version);
    const info = await metadata.infoForVersion(version);
    if (next !== undefined) ensureMigrated(version, info, next);
    const migration = /^[0-9]+$/.test(version) ? migrationForVersion(dir, Number(version)) : undefined;
    if (migration === undefined) throw new MigrationError(`No migrations file found for version with status MIGRATED. Version: ${version}`);
    const checksum = migrationChecksum(migration);
    if (checksum !== info.checksum) {
      throw new MigrationError(
        `Migrations file found for version ${version} does not match the checksum saved for this version. Expected checksum: ${info.checksum}. Actual checksum: ${checksum}. File name: ${migration.path}`,
      );
    }
    next = version;
    version = info.previous;
  }
}
