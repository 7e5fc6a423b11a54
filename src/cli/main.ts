#!/usr/bin/env node
/**
 * `ksqlite` / `npm run shell`: the interactive shell, or with -f/-e (or
 * statements piped to stdin) a script runner. Exit codes: 0 success, 1 a
 * statement failed, 2 bad arguments, 3 the server could not be reached (or
 * refused the credentials).
 */
import { readFileSync } from 'node:fs';
import { CommanderError } from 'commander';
import { parseProperties } from '../server/properties-file.js';
import { parseCliOptions, type CliOptions } from './cli-options.js';
import { splitConfigFile, type ConfigFileSettings } from './client-tls.js';
import { NameCatalog } from './completion.js';
import { historyFilePath } from './history-file.js';
import { ConnectionError, KsqlClient, type Credentials } from './ksql-client.js';
import { promptPassword } from './password-prompt.js';
import { runRepl } from './repl.js';
import { Shell, type ShellIo } from './shell.js';

export const EXIT_OK = 0;
export const EXIT_STATEMENT_FAILED = 1;
export const EXIT_USAGE = 2;
export const EXIT_UNREACHABLE = 3;

function readVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

async function main(): Promise<number> {
  const version = readVersion();
  let options: CliOptions;
  try {
    options = parseCliOptions(process.argv.slice(2), version, {
      out: (s) => process.stdout.write(s),
      err: (s) => process.stderr.write(s),
    });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return EXIT_OK; // --help, --version
      if (error.code === 'ksqlite.conflict' || error.code === 'ksqlite.url') process.stderr.write(`${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }

  const stdoutTty = process.stdout.isTTY === true;
  const interactive = options.file === undefined && options.execute === undefined && process.stdin.isTTY === true;
  const io: ShellIo = {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    columns: () => (stdoutTty ? process.stdout.columns : undefined),
    color: process.stderr.isTTY === true,
    interactive,
  };
  let credentials: Credentials | undefined;
  if (options.user !== undefined) {
    let password = options.password;
    if (password === undefined) {
      if (!interactive) {
        process.stderr.write('error: --user needs --password when the shell cannot prompt for it\n');
        return EXIT_USAGE;
      }
      password = await promptPassword(process.stdin, process.stdout, 'Enter password: ');
    }
    credentials = { user: options.user, password };
  }
  let configFile: ConfigFileSettings = { properties: {}, tls: undefined };
  if (options.configFile !== undefined) {
    try {
      configFile = splitConfigFile(parseProperties(readFileSync(options.configFile, 'utf8')));
    } catch (error) {
      process.stderr.write(`Cannot read '${options.configFile}': ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`);
      return EXIT_USAGE;
    }
  }
  const client = new KsqlClient(options.server, credentials, configFile.tls);
  const catalog = new NameCatalog();
  const shell = new Shell(client, io, interactive ? catalog : undefined);
  shell.format = options.output;
  shell.queryLimits = {
    ...(options.queryRowLimit === undefined ? {} : { rows: options.queryRowLimit }),
    ...(options.queryTimeoutMs === undefined ? {} : { timeoutMs: options.queryTimeoutMs }),
  };
  for (const { name, value } of options.defines) shell.define(name, value);
  for (const [name, value] of Object.entries(configFile.properties)) shell.properties.set(name, value);

  try {
    if (!interactive) {
      let text: string;
      if (options.execute !== undefined) text = options.execute;
      else if (options.file !== undefined) {
        try {
          text = readFileSync(options.file, 'utf8');
        } catch (error) {
          process.stderr.write(`Cannot read '${options.file}': ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`);
          return EXIT_USAGE;
        }
      } else text = readFileSync(0, 'utf8');
      // fail early, with exit code 3, when there is no server or it refuses the credentials
      try {
        await client.info();
      } catch (error) {
        if (error instanceof ConnectionError) throw error;
        process.stderr.write(`The server at ${client.url} refused the request: ${(error as Error).message}\n`);
        return EXIT_UNREACHABLE;
      }
      // Ctrl-C ends a running push query and the run goes on; with no query running it stops the run
      process.on('SIGINT', () => {
        if (!shell.cancelQuery()) process.exit(130);
      });
      const outcome = await shell.runText(text);
      return outcome === 'failed' ? EXIT_STATEMENT_FAILED : EXIT_OK;
    }

    await printBanner(client, version, stdoutTty);
    await catalog.refresh(client);
    await runRepl(shell, catalog, { input: process.stdin, output: process.stdout, historyFile: historyFilePath(process.env) });
    return EXIT_OK;
  } catch (error) {
    if (error instanceof ConnectionError) {
      process.stderr.write(`${error.message}\n`);
      return EXIT_UNREACHABLE;
    }
    throw error;
  } finally {
    shell.close();
  }
}

async function printBanner(client: KsqlClient, version: string, tty: boolean): Promise<void> {
  const out = (s: string): boolean => process.stdout.write(`${s}\n`);
  if (tty) {
    out('');
    out('  ==============================================');
    out('  =   _              _ _ _                     =');
    out('  =  | | _____  __ _| (_) |_ ___               =');
    out("  =  | |/ / __|/ _` | | | __/ _ \\              =");
    out('  =  |   <\\__ \\ (_| | | | ||  __/              =');
    out('  =  |_|\\_\\___/\\__, |_|_|\\__\\___|              =');
    out('  =               |_|   streaming SQL shell    =');
    out('  ==============================================');
    out('');
  }
  try {
    const info = await client.info();
    const healthy = await client.isHealthy().catch(() => false);
    out(`CLI v${version}, Server v${info.version} located at ${client.url}`);
    out(`Server Status: ${info.serverStatus}${healthy ? '' : ' (unhealthy: see /healthcheck)'}`);
  } catch (error) {
    // as ksqlDB's CLI does, the shell starts anyway: statements work once the server is up
    out(`CLI v${version}, Server unreachable at ${client.url}`);
    out(`WARNING: ${(error as Error).message}`);
  }
  out('');
  out("Having trouble? Type 'help' (case-insensitive) for a rundown of how things work!");
  out('');
}

process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0); // the reader went away (| head)
  throw error;
});

main().then(
  (code) => {
    // exit now rather than when the HTTP client's idle keep-alive sockets time out
    process.stdout.write('', () => process.exit(code));
  },
  (error: unknown) => {
    process.stderr.write(`ksqlite: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
