/**
 * The `ksqlite-test` command (started by ksqlite-test.ts): ksqlDB's run-ksql-test for ksqlite. Runs every `.sql` test
 * file under `--test-directory`/`-td` (a directory, searched recursively, or
 * one file) on the embedded engine with nothing else started, each test's
 * data in `--temp-folder`/`-tf` (default: the system's temporary
 * directory). A folder holding `statements.sql` and `output.json` is one
 * test of ksqlDB's earlier layout (folder-test.ts) instead. `--extension-dir`
 * (`-e`, as ksqlDB's ksql-test-runner) loads user functions as the server does.
 * Prints, per test, its `--@test:` line, then ksqlDB's `>>> Test passed!` or
 * `>>>>> Test failed: ` and the reason, as ksqlDB words it; exits 0 when every
 * test passed, 1 when one failed, 2 on bad arguments.
 */
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createFunctionRegistry } from '../functions/builtin-functions.js';
import { ExtensionDirectory } from '../functions/user/extension-loader.js';
import type { FunctionRegistry } from '../functions/registry.js';
import { folderTestOf, runFolderTest, STATEMENTS_FILE } from './folder-test.js';
import { parseSqlTestFile } from './sql-test-file.js';
import { runSqlTest } from './sql-test-runner.js';

const USAGE = `usage: ksqlite-test {--test-directory | -td} <testDirectory> [{--temp-folder | -tf} <tempFolder>] [{--extension-dir | -e} <dir>]`;

interface Arguments {
  readonly testDirectory: string;
  readonly tempFolder: string | undefined;
  readonly extensionDir: string | undefined;
}

function parseArguments(argv: readonly string[]): Arguments {
  const values = new Map<string, string>();
  const names: Readonly<Record<string, string>> = {
    '--test-directory': 'td', '-td': 'td', '--temp-folder': 'tf', '-tf': 'tf', '--extension-dir': 'ext', '-e': 'ext',
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

/** One test to run: where it is (for the report), and how to run it with the command's settings. */
interface Runnable {
  readonly name: string;
  readonly run: (functions: FunctionRegistry, tempDir: string | undefined) => { passed: boolean; message: string; location: string };
}

/** The tests under `path`: SQL test files, and folders of the earlier layout. */
function testsUnder(path: string): Runnable[] {
  if (statSync(path).isFile()) return sqlFileTests(path);
  const folder = folderTestOf(path);
  if (folder !== undefined) {
    return [{
      name: folder.name,
      run: (functions, tempDir) => ({
        ...runFolderTest(folder, { functions, ...(tempDir === undefined ? {} : { tempDir }) }),
        location: pathToFileURL(join(folder.dir, STATEMENTS_FILE)).href,
      }),
    }];
  }
  return readdirSync(path, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((e) => (e.isDirectory() ? testsUnder(join(path, e.name)) : e.name.endsWith('.sql') ? sqlFileTests(join(path, e.name)) : []));
}

function sqlFileTests(file: string): Runnable[] {
  return parseSqlTestFile(readFileSync(file, 'utf8'), file).map((test) => ({
    name: test.name,
    run: (functions, tempDir) => {
      const outcome = runSqlTest(test, { functions, ...(tempDir === undefined ? {} : { tempDir }) });
      return { ...outcome, location: `${pathToFileURL(test.file).href}:${outcome.line}` };
    },
  }));
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
  let tests: Runnable[];
  try {
    tests = testsUnder(resolve(args.testDirectory));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  let failed = 0;
  for (const test of tests) {
    const outcome = test.run(registry, args.tempFolder);
    // ksqlDB's two lines, exactly (its tool names no test): the test's directive before them says which test it was.
    process.stdout.write(`--@test: ${test.name}\n`);
    if (outcome.passed) process.stdout.write('>>> Test passed!\n');
    else {
      failed++;
      process.stdout.write(`>>>>> Test failed: ${outcome.message}\n\t${outcome.location}\n`);
    }
  }
  process.stdout.write(`${tests.length - failed} of ${tests.length} tests passed\n`);
  return failed === 0 && tests.length > 0 ? 0 : 1;
}

/** Runs the command with its arguments; the exit code. */
export const runSqlTestCommand = main;
