/**
 * `apply`: after checking the applied migrations (none still RUNNING, the
 * chain valid, the checksums unchanged), applies the chosen migration files
 * in version order. Each file is recorded RUNNING, read through once (its
 * DEFINEs applied, every statement checked) and then run statement by
 * statement with its own properties and variables, starting from the
 * `--define`s; it ends MIGRATED, or ERROR with the statement and the reason,
 * which stops the command. A file is not atomic: statements before a failed
 * one stay applied.
 */
import type { KsqlClient } from '../cli/ksql-client.js';
import { MigrationError } from './migration-error.js';
import { listMigrations, migrationChecksum, migrationForVersion, readMigration, type MigrationFile } from './migration-files.js';
import { CURRENT_VERSION_KEY, NO_ERROR_REASON, NONE_VERSION, type MigrationMetadata, type MigrationState } from './migration-metadata.js';
import { readStatement, splitMigration } from './migration-statements.js';
import type { Output } from './output.js';
import { validateAppliedMigrations } from './validate-migrations.js';

export type ApplyTarget =
  | { readonly kind: 'all' }
  | { readonly kind: 'next' }
  | { readonly kind: 'until'; readonly version: number }
  | { readonly kind: 'version'; readonly version: number };

export interface ApplyOptions {
  readonly target: ApplyTarget;
  readonly dryRun: boolean;
  /** `--define name=value`s, as if each file began with their DEFINEs. */
  readonly defines: ReadonlyMap<string, string>;
}

export async function applyMigrations(metadata: MigrationMetadata, client: KsqlClient, dir: string, options: ApplyOptions, out: Output): Promise<void> {
  await metadata.ensureInitialized();
  if (options.dryRun) out.info('This is a dry run. No ksqlDB statements will be submitted to the ksqlDB server.');
  out.info('Validating current migration state before applying new migrations');
  const current = await metadata.currentVersion();
  if (current !== NONE_VERSION && (await metadata.infoForVersion(CURRENT_VERSION_KEY)).state === 'RUNNING') {
    throw new MigrationError(
      `Migration version ${current} is still RUNNING: another apply is under way, or one stopped before it finished. If none is running, record the version as ERROR in the metadata stream (see the documentation on repairing migrations metadata) and apply again.`,
    );
  }
  await validateAppliedMigrations(metadata, dir);

  let previous = await metadata.latestMigratedVersion();
  out.info('Loading migration files');
  const migrations = migrationsToApply(dir, previous, options.target, out);
  out.info(migrations.length === 0 ? 'No eligible migrations found.' : `${migrations.length} migration file(s) loaded.`);
  for (const migration of migrations) {
    await applyMigration(metadata, client, migration, previous, options, out);
    previous = String(migration.version);
  }
}

function migrationsToApply(dir: string, previous: string, target: ApplyTarget, out: Output): MigrationFile[] {
  const minimum = previous === NONE_VERSION ? 1 : Number(previous) + 1;
  if (target.kind === 'version') {
    const migration = migrationForVersion(dir, target.version);
    if (migration === undefined) throw new MigrationError(`No migration file with version ${target.version} exists.`);
    if (target.version < minimum) throw new MigrationError(`Version must be newer than the last version migrated. Last version migrated was ${previous}`);
    return [migration];
  }
  const eligible = listMigrations(dir, out).filter((migration) => migration.version >= minimum && (target.kind !== 'until' || migration.version <= target.version));
  if (target.kind === 'next') {
    if (eligible.length === 0) throw new MigrationError('No eligible migrations found.');
    return eligible.slice(0, 1);
  }
  return eligible;
}

async function applyMigration(metadata: MigrationMetadata, client: KsqlClient, migration: MigrationFile, previous: string, options: ApplyOptions, out: Output): Promise<void> {
  out.info(`Applying migration version ${migration.version}: ${migration.name}`);
  const text = readMigration(migration);
  out.info(`${migration.path} contents:\n${text}`);
  if (options.dryRun) {
    out.info('Dry run complete. No migrations were actually applied.');
    return;
  }
  if (previous !== NONE_VERSION) {
    const state = (await metadata.infoForVersion(previous)).state;
    if (state !== 'MIGRATED') throw new MigrationError(`Failed to verify status of version ${previous}: expected status MIGRATED, got ${state}`);
  }

  const startedOn = String(Date.now());
  const record = (state: MigrationState, errorReason = NO_ERROR_REASON): Promise<void> =>
    metadata.write({
      version: migration.version,
      name: migration.name,
      state,
      checksum: migrationChecksum(migration),
      startedOn,
      completedOn: state === 'RUNNING' ? '' : String(Date.now()),
      previous,
      errorReason,
    });
  const fail = async (reason: string): Promise<never> => {
    await record('ERROR', reason);
    throw new MigrationError(reason);
  };

  await record('RUNNING');
  let statements: string[];
  try {
    statements = splitMigration(text);
  } catch (error) {
    if (!(error instanceof MigrationError)) throw error;
    return fail(`Failed to parse ${migration.path}: ${error.message}`);
  }
  // a first pass reads every statement (DEFINEs in effect), so a bad one fails the file before any statement runs
  for (const pass of ['parse', 'execute'] as const) {
    const variables = new Map([...options.defines].map(([name, value]) => [name.toUpperCase(), value]));
    const properties = new Map<string, string>();
    for (const sql of statements) {
      let reason: string | undefined;
      try {
        const statement = readStatement(sql, variables);
        if (statement.kind === 'define') variables.set(statement.name.toUpperCase(), statement.value);
        else if (statement.kind === 'undefine') variables.delete(statement.name.toUpperCase());
        else if (statement.kind === 'set') properties.set(statement.property, statement.value);
        else if (statement.kind === 'unset') properties.delete(statement.property);
        else if (pass === 'execute') reason = await runOnServer(client, sql, properties, variables);
      } catch (error) {
        if (!(error instanceof MigrationError)) throw error;
        reason = error.message;
      }
      if (reason !== undefined) await fail(`Failed to ${pass} sql: ${sql}. Error: ${reason}`);
    }
  }
  await record('MIGRATED');
  out.info('Successfully migrated');
}

/** Runs one statement on /ksql: undefined when it succeeded, else the server's reason. */
async function runOnServer(client: KsqlClient, sql: string, properties: ReadonlyMap<string, string>, variables: ReadonlyMap<string, string>): Promise<string | undefined> {
  const result = await client.execute(sql, { properties: Object.fromEntries(properties), variables: Object.fromEntries(variables) });
  if (result.kind === 'error') return result.error.message;
  const failed = result.entities.find((entity) => entity.commandStatus?.status === 'ERROR');
  return failed === undefined ? undefined : String(failed.commandStatus.message);
}
