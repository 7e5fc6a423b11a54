/**
 * The `ksqlite-test` command (started by ksqlite-test.ts): ksqlDB's run-ksql-test for ksqlite. Runs every `.sql` test
 * file under `--test-directory`/`-td` (a directory, searched recursively, or
 * one file) on the embedded engine with nothing else started, each test's
 * data in `--temp-folder`/`-tf` (default: the system's temporary
 * directory). `--extension-dir` loads user functions as the server does.
 * Prints a line per test and the reason of each failure; exits 0 when every
 * test passed, 1 when one failed, 2 on bad arguments.
 */
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createFunctionRegistry } from '../functions/builtin-functions.js';
import { ExtensionDirectory } from '../functions/user/extension-loader.js';
import type { FunctionRegistry } from '../functions/registry.js';
import { parseSqlTestFile, type SqlTest } from './sql-test-file.js';
import { runSqlTest } from './sql-test-runner.js';

const USAGE = `usage: ksqlite-test {--test-directory | -td} <testDirectory> [{--temp-folder | -tf} <tempFolder>] [--extension-dir <dir>]`;

interface Arguments {
  readonly testDirectory: string;
  readonly tempFolder: string | undefined;
  readonly extensionDir: string | undefined;
}

function parseArguments(argv: readonly string[]): Arguments {
  const values = new Map<string, string>();
  const names: Readonly<Record<string, string>> = {
    '--test-directory': 'td', '-td': 'td', '--temp-folder': 'tf', '-tf': 'tf', '--extension-dir': 'ext',
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const name = names[flag];
    if (name === undefined) throw new Error(`unknown option ${arg}`);
    if (values.has(name)) throw new Error(`${flag} may occur a maximum of 1 times`);
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    values.set(name, value);
  }
  const testDirectory = values.get('td');
  if (testDirectory === undefined) throw new Error('--test-directory is required');
  return { testDirectory, tempFolder: values.get('tf'), extensionDir: values.get('ext') };
}

function sqlFiles(path: string): string[] {
  if (statSync(path).isFile()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((e) => (e.isDirectory() ? sqlFiles(join(path, e.name)) : e.name.endsWith('.sql') ? [join(path, e.name)] : []));
}

async function main(argv: readonly string[]): Promise<number> {
  let args: Arguments;
  try {
    args = parseArguments(argv);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return 2;
  }
  const registry: FunctionRegistry = createFunctionRegistry();
  if (args.extensionDir !== undefined) {
    const extensions = await ExtensionDirectory.open(resolve(args.extensionDir), registry, false);
    for (const warning of extensions.warnings) process.stderr.write(`warning: ${warning}\n`);
  }
  if (args.tempFolder !== undefined) mkdirSync(args.tempFolder, { recursive: true });
  const tests: SqlTest[] = [];
  try {
    for (const file of sqlFiles(resolve(args.testDirectory))) tests.push(...parseSqlTestFile(readFileSync(file, 'utf8'), file));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  let failed = 0;
  for (const test of tests) {
    // Each test gets its own registry snapshot: user functions it cannot change for the next.
    const outcome = runSqlTest(test, { functions: () => registry.snapshot(), ...(args.tempFolder === undefined ? {} : { tempDir: args.tempFolder }) });
    if (outcome.passed) process.stdout.write(`>>> Test passed! ${test.name}\n`);
    else {
      failed++;
      process.stdout.write(`>>>>> Test failed: ${test.name}\n${outcome.message}\n\n${pathToFileURL(test.file).href}:${outcome.line}\n\n`);
    }
  }
  process.stdout.write(`${tests.length - failed} of ${tests.length} tests passed\n`);
  return failed === 0 && tests.length > 0 ? 0 : 1;
}

/** Runs the command with its arguments; the exit code. */
export const runSqlTestCommand = main;
