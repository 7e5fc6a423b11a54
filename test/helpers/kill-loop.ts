/**
 * Test helper for crash tests: a child process does work in a loop and prints
 * a line for each piece of work only once that work is durable; the parent
 * kills it with SIGKILL at a random moment and keeps the lines it completed,
 * which are what the child acknowledged before it died.
 */
import { spawn } from 'node:child_process';
import { realpathSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface KillOptions {
  /** Command-line arguments for the script. */
  readonly args: readonly string[];
  /** Whether to kill now, given every complete line the child printed so far. */
  readonly ready: (lines: readonly string[]) => boolean;
  /** Once `ready` holds, the kill lands a random number of ms later, at least `min` and less than `max`. */
  readonly delayMs: { readonly min: number; readonly max: number };
}

/**
 * Runs `script` with this node, kills it with SIGKILL a random moment after
 * `ready` holds, and resolves to the lines it completed (a line the kill cut
 * short is dropped). Rejects when the child exits by itself.
 */
export function runUntilKilled(script: URL, options: KillOptions): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(script), ...options.args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let partial = '';
    let err = '';
    let killing = false;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop()!;
      lines.push(...parts);
      if (!killing && options.ready(lines)) {
        killing = true;
        // Let it go on working for a moment, then kill it wherever it is.
        setTimeout(() => child.kill('SIGKILL'), randomDelayMs(options.delayMs));
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    // 'close' comes after the pipes are drained, so lines written just before the kill are read too.
    child.on('close', (_code, signal) => {
      if (signal === 'SIGKILL') resolve(lines);
      else reject(new Error(`the child exited without being killed: ${err}`));
    });
  });
}

/** A random whole number of ms, at least `min` and less than `max`: when a kill lands. */
export function randomDelayMs(range: { readonly min: number; readonly max: number }): number {
  return range.min + Math.floor(Math.random() * (range.max - range.min));
}

/** The last complete line as a number (NaN when there is none). */
export function lastNumber(lines: readonly string[]): number {
  return lines.length === 0 ? Number.NaN : Number(lines[lines.length - 1]);
}

/** In the child: whether the module at `moduleUrl` is the script node was started with (not imported by a test). */
export function isMainScript(moduleUrl: string): boolean {
  const main = process.argv[1];
  return main !== undefined && fileURLToPath(moduleUrl) === realpathSync(main);
}

/**
 * In the child: runs `turn` until killed, writing the text it returns to
 * stdout synchronously, so a line the parent reads was acknowledged before
 * the next turn began.
 */
export function loopUntilKilled(turn: () => string): never {
  for (;;) writeFully(turn());
}

/**
 * Writes all of `text` to stdout before returning. Node makes a piped stdout
 * non-blocking, so when the parent reads slower than the child acknowledges,
 * a write fails with EAGAIN (or writes part): try again until it is all out.
 */
function writeFully(text: string): void {
  const bytes = Buffer.from(text);
  let at = 0;
  while (at < bytes.length) {
    try {
      at += writeSync(1, bytes, at);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
    }
  }
}
