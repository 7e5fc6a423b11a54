/** `info`: the current version, then every migration file with its recorded state. */
import { listMigrations } from './migration-files.js';
import type { MigrationMetadata } from './migration-metadata.js';
import { formatInfoTable } from './info-table.js';
import type { Output } from './output.js';

export async function migrationInfo(metadata: MigrationMetadata, dir: string, out: Output): Promise<void> {
  await metadata.ensureInitialized();
  out.info(`Current migration version: ${await metadata.currentVersion()}`);
  const migrations = listMigrations(dir, out);
  if (migrations.length === 0) {
    out.info('No migrations files found');
    return;
  }
  const infos = await metadata.infoForKeys(migrations.map((migration) => String(migration.version)));
  out.info(formatInfoTable(migrations, infos).trimEnd());
}
