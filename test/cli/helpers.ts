/**
 * Drives the real shell (dist/src/cli/main.js): in a pseudo-terminal through
 * node-pty for interactive sessions, or as a plain child process with pipes
 * for -e/-f runs.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as pty from 'node-pty';
import { makeTempDir } from '../helpers/temp-dir.js';

export const CLI_MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

export function tempDir(): string {
  return makeTempDir('ksqlite-cli-');
}

/** Removes colour and cursor control sequences, so tests read what a user sees as text. */
export function stripAnsi(text: string): string {
  return text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');
}

export class PtyShell {
  private readonly proc: pty.IPty;
  private raw = '';
  readonly exited: Promise<number>;

  constructor(args: readonly string[], env: Record<string, string>) {
    this.proc = pty.spawn(process.execPath, [CLI_MAIN, ...args], {
      name: 'xterm',
      cols: 120,
      rows: 40,
      cwd: process.cwd(),
      env: { ...process.env, ...env } as Record<string, string>,
    });
    this.proc.onData((data) => {
      this.raw += data;
    });
    this.exited = new Promise((resolve) => this.proc.onExit(({ exitCode }) => resolve(exitCode)));
  }

  /** Everything the terminal showed so far, without control sequences. */
  get text(): string {
    return stripAnsi(this.raw);
  }

  /** Output since `mark` (a length of `text` taken earlier). */
  since(mark: number): string {
    return this.text.slice(mark);
  }

  write(data: string): void {
    this.proc.write(data);
  }

  /** Waits until the output after `from` matches `pattern`; fails with what was seen after `timeoutMs`. */
  async waitFor(pattern: RegExp | string, from = 0, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const seen = this.since(from);
      if (typeof pattern === 'string' ? seen.includes(pattern) : pattern.test(seen)) return seen;
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${String(pattern)}; the shell showed:\n${seen}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Types EXIT and resolves to the shell's exit code. */
  exit(): Promise<number> {
    this.write('EXIT\r');
    return this.exited;
  }

  kill(): void {
    try {
      this.proc.kill();
    } catch {
      // already gone
    }
  }
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the shell with pipes (stdout is not a terminal), feeding `input` to stdin. */
export function runShell(args: readonly string[], input = '', env: Record<string, string> = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [CLI_MAIN, ...args], { env: { ...process.env, ...env }, timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : -1;
      resolve({ code, stdout, stderr });
    });
    child.stdin!.end(input);
  });
}

/** What the shell prints for `sql` run with -e against the server at `url`; a failing run throws its stderr. */
export async function shellOutput(url: string, sql: string): Promise<string> {
  const res = await runShell(['--server', url, '-e', sql]);
  if (res.code !== 0) throw new Error(res.stderr);
  return res.stdout;
}
