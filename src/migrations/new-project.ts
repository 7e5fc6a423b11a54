/**
 * `new-project <dir> <url>`: the project folder, its `migrations` folder and
 * a `ksql-migrations.properties` naming the server, with every other key
 * commented out at its default.
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_FILE_NAME, CONFIG_TEMPLATE, MIGRATIONS_DIR_NAME, SERVER_URL } from './migration-config.js';
import { MigrationError } from './migration-error.js';
import type { Output } from './output.js';

export function newProject(projectPath: string, serverUrl: string, out: Output): void {
  out.info(`Creating new migrations project at ${projectPath}`);
  createDirectory(projectPath, out);
  createDirectory(join(projectPath, MIGRATIONS_DIR_NAME), out);
  const configPath = join(projectPath, CONFIG_FILE_NAME);
  if (existsSync(configPath)) throw new MigrationError(`Failed to create file. File already exists: ${configPath}`);
  out.info(`Creating file: ${configPath}`);
  const config = initialConfig(serverUrl);
  out.info(`Writing to config file: ${config}`);
  try {
    writeFileSync(configPath, `${config}\n`, { flag: 'wx' });
  } catch (error) {
    throw new MigrationError(`Failed to write to config file ${configPath}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  out.info('Migrations project directory created successfully');
}

function createDirectory(path: string, out: Output): void {
  if (existsSync(path)) {
    if (!statSync(path).isDirectory()) throw new MigrationError(`${path} already exists as a file. Cannot create directory.`);
    out.warn(`${path} already exists. Skipping directory creation.`);
    return;
  }
  out.info(`Creating directory: ${path}`);
  try {
    mkdirSync(path, { recursive: true });
  } catch (error) {
    throw new MigrationError(`Failed to create directory ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function initialConfig(serverUrl: string): string {
  const sections = CONFIG_TEMPLATE.map(({ heading, keys }) => [`# ${heading}:`, ...keys.map(([key, value]) => `# ${key}=${value}`)].join('\n'));
  return [`${SERVER_URL}=${serverUrl}`, ...sections].join('\n\n');
}
