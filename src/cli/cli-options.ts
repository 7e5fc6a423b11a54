/**
 * The shell's command line, parsed by commander:
 *   ksqlite [options] [server-url]
 * with ksqlDB CLI's --file/-f, --execute/-e, --define/-d, --output and
 * --config-file, --query-row-limit and --query-timeout, -u/--user and
 * -p/--password (HTTP Basic credentials), and
 * --server/-s as another way to name the server.
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';

export const DEFAULT_SERVER = 'http://localhost:8088';

export interface CliOptions {
  readonly server: string;
  readonly file: string | undefined;
  readonly execute: string | undefined;
  readonly defines: readonly { name: string; value: string }[];
  readonly output: 'TABULAR' | 'JSON';
  /** A Java properties file whose entries are the session's first SETs. */
  readonly configFile: string | undefined;
  /** HTTP Basic credentials; the password may be left for a prompt. */
  readonly user: string | undefined;
  readonly password: string | undefined;
  /** --query-row-limit: a query's output ends after this many rows. */
  readonly queryRowLimit: number | undefined;
  /** --query-timeout: a query's output ends after this many milliseconds. */
  readonly queryTimeoutMs: number | undefined;
}

export function parseCliOptions(argv: readonly string[], version: string, write: { out: (s: string) => void; err: (s: string) => void }): CliOptions {
  const program = new Command('ksqlite')
    .description('The ksqlite shell: runs ksqlDB SQL against a ksqlite (or ksqlDB) server.')
    .version(version, '-V, --version')
    .argument('[server]', `the server's URL (default ${DEFAULT_SERVER})`)
    .option('-s, --server <url>', "the server's URL")
    .option('-f, --file <path>', 'run the statements of a file, then exit')
    .option('-e, --execute <statements>', 'run the given statements, then exit')
    .option('-d, --define <name=value>', 'define a variable for substitution (repeatable)', collectDefine, [])
    .option('-o, --output <format>', 'TABULAR or JSON', parseFormat, 'TABULAR')
    .option('--config-file <path>', 'a properties file of query properties, as if SET at the start of the session')
    .option('-u, --user <name>', 'user name for a server with HTTP Basic authentication')
    .option('-p, --password <password>', 'password for --user (prompted for in an interactive shell when left out)')
    .option('--query-row-limit <rows>', 'the most rows a query prints before it ends', parsePositive)
    .option('--query-timeout <ms>', 'how long, in milliseconds, a query prints before it ends', parsePositive)
    .addHelpText('after', '\nExit codes: 0 all statements succeeded, 1 a statement failed, 2 bad arguments, 3 the server could not be reached or refused the credentials.')
    .exitOverride()
    .configureOutput({ writeOut: write.out, writeErr: write.err });
  program.parse([...argv], { from: 'user' });
  const opts = program.opts<{
    server?: string; file?: string; execute?: string; define: { name: string; value: string }[]; output: 'TABULAR' | 'JSON'; configFile?: string;
    user?: string; password?: string; queryRowLimit?: number; queryTimeout?: number;
  }>();
  if (opts.file !== undefined && opts.execute !== undefined) {
    throw new CommanderError(2, 'ksqlite.conflict', 'error: --file and --execute cannot be used together');
  }
  if (opts.password !== undefined && opts.user === undefined) {
    throw new CommanderError(2, 'ksqlite.conflict', 'error: --password needs --user');
  }
  const server = normalizeUrl(opts.server ?? program.args[0] ?? DEFAULT_SERVER);
  return { server, file: opts.file, execute: opts.execute, defines: opts.define, output: opts.output, configFile: opts.configFile, user: opts.user, password: opts.password,
    queryRowLimit: opts.queryRowLimit, queryTimeoutMs: opts.queryTimeout,
  };
}

function collectDefine(text: string, previous: { name: string; value: string }[]): { name: string; value: string }[] {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(text);
  if (match === null) throw new InvalidArgumentError('expected name=value, the name a letter or _ followed by letters, digits or _');
  return [...previous, { name: match[1]!, value: match[2]! }];
}

/** ksqlDB's limits are longs of at least 1. */
function parsePositive(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of at least 1');
  return n;
}

function parseFormat(text: string): 'TABULAR' | 'JSON' {
  const format = text.toUpperCase();
  if (format !== 'TABULAR' && format !== 'JSON') throw new InvalidArgumentError('expected TABULAR or JSON');
  return format;
}

function normalizeUrl(text: string): string {
  const withScheme = /^[a-z]+:\/\//i.test(text) ? text : `http://${text}`;
  try {
    return new URL(withScheme).toString().replace(/\/+$/, '');
  } catch {
    throw new CommanderError(2, 'ksqlite.url', `error: '${text}' is not a server URL`);
  }
}
