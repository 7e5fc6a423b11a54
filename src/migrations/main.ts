#!/usr/bin/env node
/**
 * `ksqlite-migrations`: ksqlDB's `ksql-migrations` tool for a ksqlite (or
 * ksqlDB) server, reached only through its REST API with the shell's client.
 *   ksqlite-migrations [-c <config-file>] <command> [<args>]
 * Every command ends with its execution time. Exit codes, as ksqlDB's: 0
 * success, 1 anything else (bad arguments, an unreachable server, a failed check or migration).
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { ConnectionError } from '../cli/ksql-client.js';
import { applyMigrations, type ApplyTarget } from './apply-migrations.js';
import { createMigration } from './create-migration.js';
import { destroyMetadata } from './destroy-metadata.js';
import { initializeMetadata } from './initialize-metadata.js';
import { MigrationConfig, readHeadersFile } from './migration-config.js';
import { MigrationError } from './migration-error.js';
import { MAX_VERSION } from './migration-files.js';
import { migrationInfo } from './migration-info.js';
import { MigrationMetadata } from './migration-metadata.js';
import { newProject } from './new-project.js';
import type { Output } from './output.js';
import { validateAppliedMigrations } from './validate-migrations.js';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;

const CONFIG_OPTION = ['-c, --config-file <config-file>', 'the migrations project\'s ksql-migrations.properties (every command but new-project)'] as const;

const out: Output = {
  info: (text) => process.stdout.write(`${text}\n`),
  warn: (text) => process.stderr.write(`WARNING: ${text}\n`),
  error: (text) => process.stderr.write(`ERROR: ${text}\n`),
};

async function main(argv: readonly string[]): Promise<number> {
  let action: (() => Promise<void>) | undefined;
  const program = new Command('ksqlite-migrations')
    .description('Applies versioned migration files of ksqlDB statements to a ksqlite or ksqlDB server, keeping which were applied in a metadata stream and table on the server.')
    .option(...CONFIG_OPTION)
    .addHelpText('after', '\nExit codes: 0 success, 1 failure.')
    .exitOverride()
    .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });
  // -c works before the command's name (ksqlDB's usage) and after it
  const configPath = (command: Command): string | undefined => command.opts<{ configFile?: string }>().configFile ?? program.opts<{ configFile?: string }>().configFile;
  const loadConfig = (command: Command): MigrationConfig => {
    const path = configPath(command);
    if (path === undefined || path.trim() === '') throw new MigrationError('Migrations config file required but not specified. Specify with --config-file (or, equivalently, -c).');
    return MigrationConfig.load(path);
  };
  const subcommand = (name: string, description: string): Command => program.command(name).description(description).option(...CONFIG_OPTION).exitOverride();

  subcommand('new-project', 'Creates a new migrations project directory structure and config file.')
    .argument('<project-path>', 'the root directory of the new project')
    .argument('<ksql-server-url>', "the server's URL, e.g. http://localhost:8088")
    .action((projectPath: string, serverUrl: string, _options: unknown, command: Command) => {
      action = async () => {
        if (configPath(command) !== undefined) {
          throw new MigrationError('This command does not expect a config file to be passed. Rather, this command will create one as part of preparing the migrations directory.');
        }
        newProject(projectPath, serverUrl, out);
      };
    });

  subcommand('initialize-metadata', 'Initializes the migrations schema metadata (ksqlDB stream and table) on the ksqlDB server.')
    .action((_options: unknown, command: Command) => {
      action = async () => {
        const config = loadConfig(command);
        out.info('Initializing migrations metadata');
        await initializeMetadata(config, config.client(), out);
      };
    });

  subcommand('create', 'Creates a blank migration file with the specified description, which can then be populated with ksqlDB statements and applied as the next schema version.')
    .argument('<description>', 'what the migration does; blanks become underscores in the file name')
    .option('-v, --version <version>', 'the new file\'s version (default: the next after the latest file)', parseVersion)
    .action((description: string, options: { version?: number }, command: Command) => {
      action = async () => createMigration(loadConfig(command).migrationsDir, description, options.version, out);
    });

  subcommand('apply', 'Migrates the metadata schema to a new schema version.')
    .option('-a, --all', 'apply every migration after the latest applied one')
    .option('-n, --next', 'apply the next migration only')
    .option('-u, --until <version>', 'apply the migrations up to and including this version', parseVersion)
    .option('-v, --version <version>', 'apply this version only (newer than the latest applied one)', parseVersion)
    .option('-d, --define <name=value>', 'define a variable for every migration file, as DEFINE name=\'value\'; would (repeatable)', collectDefine, new Map<string, string>())
    .option('--headers <headers-file>', 'a file of request headers (Name: value per line) to send with every request')
    .option('--dry-run', 'show which files and statements would be applied, and apply nothing')
    .action((options: { all?: boolean; next?: boolean; until?: number; version?: number; define: Map<string, string>; headers?: string; dryRun?: boolean }, command: Command) => {
      action = async () => {
        const targets: ApplyTarget[] = [];
        if (options.all === true) targets.push({ kind: 'all' });
        if (options.next === true) targets.push({ kind: 'next' });
        if (options.until !== undefined) targets.push({ kind: 'until', version: options.until });
        if (options.version !== undefined) targets.push({ kind: 'version', version: options.version });
        if (targets.length !== 1) throw new MigrationError('Exactly one of --all, --next, --until <version> and --version <version> is required.');
        const config = loadConfig(command);
        const client = config.client(options.headers === undefined ? {} : readHeadersFile(options.headers));
        const metadata = new MigrationMetadata(client, config);
        await applyMigrations(metadata, client, config.migrationsDir, { target: targets[0]!, dryRun: options.dryRun === true, defines: options.define }, out);
      };
    });

  subcommand('info', 'Displays information about the current and available migrations.')
    .action((_options: unknown, command: Command) => {
      action = async () => {
        const config = loadConfig(command);
        await migrationInfo(new MigrationMetadata(config.client(), config), config.migrationsDir, out);
      };
    });

  subcommand('validate', 'Validates applied migrations against local files.')
    .action((_options: unknown, command: Command) => {
      action = async () => {
        const config = loadConfig(command);
        const metadata = new MigrationMetadata(config.client(), config);
        await metadata.ensureInitialized();
        await validateAppliedMigrations(metadata, config.migrationsDir);
        out.info('Successfully validated checksums for migrations that have already been applied');
      };
    });

  subcommand('destroy-metadata', 'Destroys all ksqlDB server resources related to migrations, including the migrations metadata stream and table and their underlying topics. WARNING: this is not reversible!')
    .action((_options: unknown, command: Command) => {
      action = async () => {
        const config = loadConfig(command);
        await destroyMetadata(config, config.client(), out);
      };
    });

  try {
    program.parse([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_OK : EXIT_FAILED;
    throw error;
  }
  if (action === undefined) {
    program.outputHelp();
    return EXIT_OK;
  }
  const start = Date.now();
  let code = EXIT_OK;
  try {
    await action();
  } catch (error) {
    if (!(error instanceof MigrationError || error instanceof ConnectionError)) throw error;
    out.error(error.message);
    code = EXIT_FAILED;
  }
  out.info(`Execution time: ${((Date.now() - start) / 1000).toFixed(4)} seconds`);
  return code;
}

function parseVersion(text: string): number {
  if (!/^[0-9]+$/.test(text) || Number(text) < 1 || Number(text) > MAX_VERSION) throw new InvalidArgumentError(`expected a version from 1 to ${MAX_VERSION}`);
  return Number(text);
}

function collectDefine(text: string, previous: Map<string, string>): Map<string, string> {
  const match = /^([a-zA-Z_][a-zA-Z0-9_@]*)=(.*)$/s.exec(text);
  if (match === null) throw new InvalidArgumentError('expected name=value, the name a letter or _ followed by letters, digits, _ or @');
  return new Map([...previous, [match[1]!, match[2]!]]);
}

main(process.argv.slice(2)).then(
  (code) => {
    // exit now rather than when the HTTP client's idle keep-alive sockets time out
    process.stdout.write('', () => process.exit(code));
  },
  (error: unknown) => {
    process.stderr.write(`ksqlite-migrations: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = EXIT_FAILED;
  },
);
